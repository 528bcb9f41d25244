"""Copies, translations and stories in the corpus, checked against the ground truth the shipped
examples come with (examples/manifest.json: each article's story and what it is a copy or a
translation of)."""

from __future__ import annotations

import io
import json
import sqlite3
from collections import defaultdict
from pathlib import Path

import pytest

from babelwire.cli import main
from babelwire.config import Config
from babelwire.link.stream import LinkSettings
from babelwire.store.database import SearchFilters, Store
from babelwire.store.ingest import ingest, relink

from conftest import EXAMPLES

MANIFEST = json.loads((EXAMPLES / "manifest.json").read_text(encoding="utf-8"))


def manifest_key(entry: dict) -> str:
    return f"{entry['path']}#{entry['id']}" if entry.get("id") else entry["path"]


@pytest.fixture(scope="module")
def article_of(examples_store) -> dict[str, int]:
    """Manifest key (path, or path#id for a feed line) -> stored article id."""
    keys = {}
    with sqlite3.connect(examples_store.engine.url.database) as connection:
        for article_id, path, external_id in connection.execute("SELECT id, source_path, external_id FROM articles"):
            relative = Path(path).as_posix().split("examples/", 1)[1].split(":")[0]
            keys[f"{relative}#{external_id}" if external_id else relative] = article_id
    assert len(keys) == len(MANIFEST)
    return keys


def stored_links(store: Store) -> list[tuple[int, int, str]]:
    with sqlite3.connect(store.engine.url.database) as connection:
        return list(connection.execute("SELECT a, b, kind FROM article_links"))


def test_every_copy_and_translation_in_the_manifest_is_found_with_its_kind(examples_store, article_of):
    links = {(min(a, b), max(a, b)): kind for a, b, kind in stored_links(examples_store)}
    expected = [(entry, entry["relation"]) for entry in MANIFEST if entry["relation"] in ("translation-of", "near-copy-of")]
    assert len(expected) >= 15
    for entry, relation in expected:
        a, b = article_of[manifest_key(entry)], article_of[entry["relation_to"]]
        kind = links.get((min(a, b), max(a, b)))
        wanted = "translation" if relation == "translation-of" else "near-duplicate"
        assert kind == wanted, f"{manifest_key(entry)} should be a {wanted} of {entry['relation_to']}, found {kind}"


def test_no_link_joins_articles_of_different_stories(examples_store, article_of):
    story_of = {article_of[manifest_key(entry)]: entry["story"] for entry in MANIFEST}
    for a, b, kind in stored_links(examples_store):
        assert story_of[a] == story_of[b], f"{kind} link between #{a} ({story_of[a]}) and #{b} ({story_of[b]})"


def test_translations_and_copies_land_in_one_story_and_stories_never_mix_events(examples_store, article_of):
    story_of = {article_of[manifest_key(entry)]: entry["story"] for entry in MANIFEST}
    found_story = {}
    page = examples_store.stories(per_page=200)
    for item in page.items:
        story = examples_store.story(item["id"])
        events = {story_of[entry["article_id"]] for entry in story["timeline"]}
        assert len(events) == 1, f"{item['id']} mixes {events}"
        assert story["size"] == len(story["timeline"])
        for entry in story["timeline"]:
            found_story[entry["article_id"]] = item["id"]
    assert set(found_story) == set(story_of), "every article belongs to exactly one story"
    for a, b, _ in stored_links(examples_store):
        assert found_story[a] == found_story[b]
    # The six multi-article events each have one story holding most of their articles.
    sizes = defaultdict(lambda: defaultdict(int))
    for article_id, story_id in found_story.items():
        sizes[story_of[article_id]][story_id] += 1
    for event, by_story in sizes.items():
        total = sum(by_story.values())
        if total >= 5:
            assert max(by_story.values()) / total >= 0.6, f"{event} scattered over {dict(by_story)}"


def test_search_filters_by_story_and_by_translation_links(examples_store, article_of):
    danube = article_of["articles/de-03_donau-passau.txt"]
    story_id = examples_store.article(danube)["story_id"]
    in_story = examples_store.search(SearchFilters(story=story_id, per_page=100))
    assert danube in {item["id"] for item in in_story.items}
    translated = {item["id"] for item in examples_store.search(SearchFilters(has_translation=True, per_page=100)).items}
    untranslated_solo = article_of["articles/plain_en_harwick-bin-crews.txt"]
    assert danube in translated and untranslated_solo not in translated
    copies = {item["id"] for item in examples_store.search(SearchFilters(has_copy=True, per_page=100)).items}
    assert article_of["articles/de-05_passau-katastrophenfall.txt"] in copies and untranslated_solo not in copies


def test_an_article_shows_its_links_and_story(examples_store, article_of):
    record = examples_store.article(article_of["articles/it-05_sardegna-rogo.txt"])
    kinds = {(link["article_id"], link["kind"]) for link in record["links"]}
    assert (article_of["articles/it-01_incendio-gallura.txt"], "near-duplicate") in kinds
    assert record["story_id"] and any(kind == "translation" for _, kind in kinds)


def test_exact_copy_with_other_bytes_is_a_duplicate_and_short_texts_are_not_linked(tmp_path):
    original = (EXAMPLES / "articles" / "de-03_donau-passau.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(original, encoding="utf-8")
    (folder / "b.txt").write_bytes(original.replace("\n", "\r\n").encode("utf-8"))  # same article, other line ends
    (folder / "c.txt").write_text("Kurz\n\nEin Satz.", encoding="utf-8")
    (folder / "d.txt").write_text("Kurz\n\nEin anderer Satz.", encoding="utf-8")
    config = Config(link=LinkSettings(embeddings=False))
    store = Store(str(tmp_path / "db.sqlite"))
    summary = ingest([str(folder)], config, store)
    assert summary.stored == 4
    assert [(kind) for _, _, kind in stored_links(store)] == ["duplicate"]


def test_relink_rebuilds_the_same_links_from_the_stored_analyses(examples_store, tmp_path):
    copy = tmp_path / "copy.db"
    source = sqlite3.connect(examples_store.engine.url.database)
    with sqlite3.connect(copy) as target:
        source.backup(target)
    store = Store(str(copy))
    before = sorted(stored_links(store))
    assert relink(store, Config()) == store.counts()["articles"]
    assert sorted(stored_links(store)) == before


def test_cli_lists_stories_shows_one_and_exports_jsonl_and_parquet(examples_store, tmp_path, capsys):
    db = examples_store.engine.url.database
    out = io.StringIO()
    assert main(["stories", "--db", db, "--sort", "largest", "--json"], stdout=out) == 0
    stories = json.loads(out.getvalue())["items"]
    largest = stories[0]
    assert largest["size"] >= 4 and len(largest["languages"]) >= 3
    out = io.StringIO()
    assert main(["story", largest["id"], "--db", db], stdout=out) == 0
    assert largest["headline"] in out.getvalue() and "translation of" in out.getvalue()
    assert main(["story", "no-such-story", "--db", db], stdout=io.StringIO()) == 1
    assert "no story with id" in capsys.readouterr().err

    jsonl = tmp_path / "fr.jsonl"
    assert main(["export", "--db", db, "--language", "fr", "-o", str(jsonl)], stdout=io.StringIO()) == 0
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert lines and all(line["language"] == "fr" for line in lines)
    assert all({"mentions", "quotes", "times", "links", "story_id"} <= set(line) for line in lines)

    import pyarrow.parquet as pq

    parquet = tmp_path / "story.parquet"
    assert main(["export", "--db", db, "--story", largest["id"], "--format", "parquet", "-o", str(parquet)], stdout=io.StringIO()) == 0
    table = pq.read_table(parquet)
    assert table.num_rows == largest["size"]
    assert set(table.column("story_id").to_pylist()) == {largest["id"]}
    assert json.loads(table.column("mentions")[0].as_py()) is not None
