"""The shipped examples against their manifest (examples/manifest.json, written with the corpus):
language, date of writing, title, slug, tag, glued words and passages in other languages."""

from __future__ import annotations

import json

import pytest

from babelwire.config import Config
from babelwire.pipeline import analysis_pipeline
from babelwire.read import ReadError, read_inputs
from conftest import EXAMPLES

MANIFEST = json.loads((EXAMPLES / "manifest.json").read_text(encoding="utf-8"))


def manifest_key(entry: dict) -> str:
    return f"{entry['path']}:{entry['id']}" if entry.get("id") else entry["path"]


@pytest.fixture(scope="module")
def analysed() -> dict:
    config = Config()
    results = {}
    for item in read_inputs([str(EXAMPLES)], config.read):
        assert not isinstance(item, ReadError), str(item)
        (document,) = analysis_pipeline(config).run([item])
        relative = document.metadata.path.split("examples/", 1)[1]
        if document.metadata.id:
            relative = relative.rsplit(":", 1)[0] + f":{document.metadata.id}"
        results[relative] = document
    return results


def test_every_manifest_entry_is_read_and_analysed(analysed):
    assert sorted(analysed) == sorted(manifest_key(entry) for entry in MANIFEST)
    assert len(MANIFEST) >= 30 and len({entry["language"] for entry in MANIFEST}) >= 5


@pytest.mark.parametrize("entry", MANIFEST, ids=manifest_key)
def test_example_language_title_and_layout(entry, analysed):
    document = analysed[manifest_key(entry)]
    assert document.language == entry["language"]
    if entry["format"] == "plain-untitled":
        assert document.metadata.title is None
    else:
        assert document.metadata.title == entry["title"]
    assert document.metadata.tag == entry.get("source_tag")
    assert document.metadata.slug == entry.get("slug")
    if entry.get("slug"):
        assert document.diagnostics["slug_agrees_with_title"] is True


@pytest.mark.parametrize("entry", MANIFEST, ids=manifest_key)
def test_example_date_of_writing(entry, analysed):
    document = analysed[manifest_key(entry)]
    value = document.published.value
    assert (value[:10] if value else None) == entry["published"], entry["date_evidence"]


def test_glued_words_in_the_examples_are_repaired_with_no_false_split(analysed):
    expected, found, false_splits = 0, 0, []
    for entry in MANIFEST:
        document = analysed[manifest_key(entry)]
        glued_edits = [e for e in document.edits if e.kind.startswith("glued")]
        explained = set()
        for token in entry.get("glued", []):
            expected += 1
            start = document.text.index(token)
            hits = [e for e in glued_edits if start < e.start < start + len(token)]
            found += bool(hits)
            explained.update(id(e) for e in hits)
        false_splits += [(entry["path"], document.text[e.start - 15:e.start + 15]) for e in glued_edits if id(e) not in explained]
    # Known miss: a name glued to a verb in a compounding language (`Södersagte`) looks like a compound.
    assert found / expected >= 0.9, f"{found}/{expected}"
    assert false_splits == []


@pytest.mark.parametrize("entry", [e for e in MANIFEST if e.get("foreign_spans")], ids=manifest_key)
def test_example_passages_in_other_languages_are_found(entry, analysed):
    document = analysed[manifest_key(entry)]
    layers = [s for s in document.segments if s.kind in ("sentence", "fragment", "heading")] + list(document.debris)
    for span in entry["foreign_spans"]:
        text = span["text"]
        start = document.text.index(text[:40])
        covering = [s for s in layers if s.start <= start + 5 < s.end and s.language == span["language"]]
        assert covering, f"{span['language']} passage not found: {text[:60]}"
