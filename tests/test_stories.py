"""Online story clustering (babelwire.link.stories) on short articles written for these tests and on
the stories of the examples corpus (examples/manifest.json `story`).

The embedding model is loaded once for the module."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict

import numpy as np
import pytest

from babelwire.link.duplicates import duplicate_links
from babelwire.link.signature import signature_from_text
from babelwire.link.stories import StoryClusterer, StorySettings
from babelwire.link.translations import TranslationSettings, translation_groups
from conftest import EXAMPLES
from test_duplicates import (HARBOUR_EN, HARBOUR_EN_TITLE, LINDENAU_DE, LINDENAU_DE_TITLE, LOIRE_FR, LOIRE_FR_OTHER,
                             LOIRE_FR_OTHER_TITLE, LOIRE_FR_TITLE, analysed_signature, example_records,
                             example_signatures)
from test_translations import LOIRE_ES, LOIRE_ES_OTHER, LOIRE_ES_OTHER_TITLE, LOIRE_ES_TITLE


@pytest.fixture(scope="module")
def embedder():
    from babelwire.link.embeddings import Embedder

    return Embedder()


@pytest.fixture(scope="module")
def articles(embedder):
    texts = {
        "fr": (LOIRE_FR_TITLE, LOIRE_FR, "2025-03-14"),
        "es-other": (LOIRE_ES_OTHER_TITLE, LOIRE_ES_OTHER, "2025-03-14"),
        "en-harbour": (HARBOUR_EN_TITLE, HARBOUR_EN, "2025-03-14"),
        "fr-other": (LOIRE_FR_OTHER_TITLE, LOIRE_FR_OTHER, "2025-03-15"),
        "de-bikes": (LINDENAU_DE_TITLE, LINDENAU_DE, "2025-03-15"),
        "es": (LOIRE_ES_TITLE, LOIRE_ES, "2025-03-15"),
    }
    signatures = {name: analysed_signature(name, title, body, day) for name, (title, body, day) in texts.items()}
    vectors = embedder.embed(list(signatures.values()))
    return signatures, dict(zip(signatures, vectors))


def test_articles_on_one_event_in_two_languages_share_a_story_and_others_do_not(articles):
    signatures, vectors = articles
    clusterer = StoryClusterer()
    story_of = {name: clusterer.add(signatures[name], vectors[name]) for name in signatures}
    loire = story_of["fr"]
    assert story_of["es-other"] == story_of["fr-other"] == story_of["es"] == loire
    assert story_of["en-harbour"] != loire and story_of["de-bikes"] != loire
    assert story_of["en-harbour"] != story_of["de-bikes"]
    (story,) = [s for s in clusterer.stories() if s.id == loire]
    assert story.languages[:2] in (["fr", "es"], ["es", "fr"]) and sorted(story.languages) == ["es", "fr"]
    assert (story.first, story.last) == ("2025-03-14", "2025-03-15")
    assert [entry.date for entry in story.timeline] == ["2025-03-14", "2025-03-14", "2025-03-15", "2025-03-15"]
    assert story.headline in {LOIRE_FR_TITLE, LOIRE_ES_TITLE, LOIRE_ES_OTHER_TITLE, LOIRE_FR_OTHER_TITLE}
    # The label's main entities are names the articles share, shown as names (not ids or stems).
    shown = " ".join(story.label_entities).casefold()
    assert story.label_entities and any(name in shown for name in ("loire", "loira", "aubin", "beaugency", "pelletier"))
    assert all(":" not in name for name in story.label_entities)
    assert json.loads(json.dumps(story.to_dict()))["size"] == 4
    links = story.links()
    assert [(link.a, link.kind) for link in links] == [("fr", "same-story")] * 3
    assert {link.b for link in links} == {"es-other", "fr-other", "es"}


def test_story_closes_after_the_decay_window_and_is_emitted_once(articles):
    signatures, vectors = articles
    settings = StorySettings(close_after_days=5)
    clusterer = StoryClusterer(settings)
    first = clusterer.add(signatures["fr"], vectors["fr"])
    clusterer.add(signatures["es-other"], vectors["es-other"])
    assert clusterer.take_closed() == [] and len(clusterer) == 1
    # Ten days later the stream has moved on: the flood story closes when the next article arrives.
    later = dataclasses.replace(signatures["de-bikes"], article_id="de-later", published="2025-03-24")
    clusterer.add(later, vectors["de-bikes"])
    (closed,) = clusterer.take_closed()
    assert closed.id == first and closed.closed and closed.article_ids == ["fr", "es-other"]
    assert clusterer.take_closed() == [] and [s.id for s in clusterer.stories()] != [first]
    # A late article on the flood cannot reopen it: it starts a new story.
    late = dataclasses.replace(signatures["es"], article_id="es-late", published="2025-03-25")
    assert clusterer.add(late, vectors["es"]) != first
    assert clusterer.story_of("fr") is None  # closed stories are forgotten


def test_close_older_than_and_close_all(articles):
    signatures, vectors = articles
    clusterer = StoryClusterer()
    for name in ("fr", "en-harbour", "de-bikes"):
        clusterer.add(signatures[name], vectors[name])
    closed = clusterer.close_older_than("2025-03-15")
    assert sorted(entry.article_id for story in closed for entry in story.timeline) == ["en-harbour", "fr"]
    assert [story.article_ids for story in clusterer.close_all()] == [["de-bikes"]]
    assert len(clusterer) == 0


def test_an_article_linked_to_a_story_joins_it_whatever_its_similarity(articles):
    signatures, vectors = articles
    clusterer = StoryClusterer()
    loire = clusterer.add(signatures["fr"], vectors["fr"])
    # A harbour article cannot join the flood on its own, but joins when the link stage says so.
    assert clusterer.add(dataclasses.replace(signatures["en-harbour"], article_id="x"), vectors["en-harbour"]) != loire
    assert clusterer.add(signatures["en-harbour"], vectors["en-harbour"], linked_to=["fr"]) == loire


def test_state_round_trips_through_bytes(articles):
    signatures, vectors = articles
    clusterer = StoryClusterer()
    for name in ("fr", "es-other", "en-harbour"):
        clusterer.add(signatures[name], vectors[name])
    restored = StoryClusterer.from_bytes(clusterer.to_bytes())
    assert [s.to_dict() for s in restored.stories()] == [s.to_dict() for s in clusterer.stories()]
    assert restored.add(signatures["fr-other"], vectors["fr-other"]) == clusterer.add(signatures["fr-other"], vectors["fr-other"])
    with pytest.raises(ValueError):
        StoryClusterer.from_bytes(b"nonsense")


def test_undated_article_takes_the_stream_time():
    clusterer = StoryClusterer()
    vector = np.ones(4, dtype=np.float32)
    dated = signature_from_text("a", "Un texte.", "fr", published="2025-01-10")
    undated = signature_from_text("b", "Un autre texte.", "fr")
    story = clusterer.add(dated, vector)
    assert clusterer.add(undated, vector) == story
    (only,) = clusterer.stories()
    assert [(e.article_id, e.date) for e in only.timeline] == [("a", "2025-01-10"), ("b", None)]


def test_examples_stories_are_found_in_reading_order(embedder):
    """The examples corpus read in manifest order (a crawl): each story's articles share one story,
    the stand-alone articles stay alone. Translation and copy links are passed as the link stage would."""
    _, entries = example_records()
    signatures = example_signatures()
    manifest = json.loads((EXAMPLES / "manifest.json").read_text(encoding="utf-8"))
    order = [f"{e['path']}#{e['id']}" if e.get("id") else e["path"] for e in manifest]
    pool = [signatures[key] for key in order]
    vectors = embedder.embed(pool)
    copies = duplicate_links(pool)
    linked = defaultdict(set)
    for link in copies:
        linked[link.a].add(link.b)
        linked[link.b].add(link.a)
    for group in translation_groups(pool, vectors, TranslationSettings(), copies):
        for member in group.members:
            linked[member].update(m for m in group.members if m != member)
    clusterer = StoryClusterer()
    assigned = {key: clusterer.add(signatures[key], vector, linked_to=linked[key]) for key, vector in zip(order, vectors)}
    found = defaultdict(set)
    for key, story in assigned.items():
        found[story].add(key)
    expected = defaultdict(set)
    for key in order:
        expected[entries[key]["story"]].add(key)
    assert sorted(map(sorted, found.values())) == sorted(map(sorted, expected.values()))
