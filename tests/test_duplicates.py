"""Exact duplicates and near-duplicates (babelwire.link.duplicates) on short articles written for
these tests, and on the near-copies of the examples corpus (examples/manifest.json)."""

from __future__ import annotations

import json
from functools import lru_cache

import pytest

from babelwire import analyze, to_dict
from babelwire.link.duplicates import (DuplicateSettings, NearDuplicateIndex, clean_text_hash, copy_families,
                                       duplicate_links, shingles)
from babelwire.link.signature import Link, signature_from_analysis, signature_from_text
from conftest import EXAMPLES

# --- articles written for these tests (fiction) ---------------------------------------------
LOIRE_FR_TITLE = "Crue de la Loire : 1 200 habitants évacués à Saint-Aubin"
LOIRE_FR = [
    "La préfecture du Loiret a ordonné vendredi 14 mars l’évacuation de 1 200 habitants de Saint-Aubin-sur-Loire, "
    "où le fleuve a atteint 6,42 mètres dans la matinée. La préfète Hélène Marchetti a qualifié la situation de "
    "« sérieuse mais maîtrisée ».",
    "Selon le service Vigicrues, la décrue ne devrait pas commencer avant dimanche. Le précédent record, 6,90 mètres, "
    "date de 1907. Environ 350 pompiers et 80 militaires de la sécurité civile sont mobilisés sur les quais.",
    "Les écoles de la commune resteront fermées jusqu’au 18 mars. Un gymnase de Beaugency accueille 240 personnes "
    "pour la nuit, les autres sont hébergées chez des proches.",
    "La SNCF a interrompu la circulation des trains entre Orléans et Blois, la voie étant inondée sur près de "
    "3 kilomètres. Le maire, Gérard Pelletier, a demandé la reconnaissance de l’état de catastrophe naturelle.",
]
# The same article republished by another outlet: new headline, one sentence dropped, one added.
LOIRE_FR_COPY_TITLE = "Loire : Saint-Aubin évacue 1 200 personnes face à la montée des eaux"
LOIRE_FR_COPY = [
    LOIRE_FR[0],
    "Selon le service Vigicrues, la décrue ne devrait pas commencer avant dimanche. Environ 350 pompiers et "
    "80 militaires de la sécurité civile sont mobilisés sur les quais.",
    LOIRE_FR[2] + " Une cellule d’écoute a été ouverte à la mairie.",
    LOIRE_FR[3],
]
# Another French article on the same flood, written independently.
LOIRE_FR_OTHER_TITLE = "À Saint-Aubin-sur-Loire, une nuit à regarder monter le fleuve"
LOIRE_FR_OTHER = [
    "Sur le quai Pasteur, Martine Rabier, 67 ans, a rangé ses photos de famille à l’étage avant de partir. « L’eau "
    "est entrée dans le garage vers 5 heures, on n’a pas attendu les pompiers », raconte cette retraitée qui a "
    "connu la crue de 1982.",
    "Comme elle, des centaines de riverains ont rejoint vendredi des proches ou le gymnase de Beaugency. Les "
    "commerçants de la rue Royale ont monté des sacs de sable devant leurs vitrines, sans grand espoir.",
    "Au café du Pont, seul établissement encore ouvert, on commente les bulletins de la préfecture. « Tant que la "
    "pluie continue en amont, ça va monter », prévient le patron, qui a déjà surélevé son comptoir.",
]

LINDENAU_DE_TITLE = "Lindenau beschließt neues Radwegenetz"
LINDENAU_DE = [
    "Der Stadtrat von Lindenau hat am Dienstagabend mit 31 zu 12 Stimmen ein neues Radwegenetz beschlossen. Bis "
    "2029 sollen 46 Kilometer geschützte Radwege entstehen, die Kosten schätzt die Verwaltung auf 18,5 Millionen Euro.",
    "Oberbürgermeisterin Katrin Wehmeyer sprach von einem „Wendepunkt für die Innenstadt“. Die Opposition kritisierte, "
    "dass 420 Parkplätze in der Altstadt wegfallen sollen, und kündigte eine Bürgerbefragung an.",
    "Der Fahrradclub begrüßte den Beschluss, forderte aber einen schnelleren Zeitplan. Die ersten Abschnitte an der "
    "Bahnhofstraße sollen im Frühjahr 2026 fertig werden.",
]
LINDENAU_DE_COPY_TITLE = "Stadtrat stimmt für 46 Kilometer neue Radwege"
LINDENAU_DE_COPY = [
    LINDENAU_DE[0],
    LINDENAU_DE[1],
    LINDENAU_DE[2] + " Die Verwaltung will die Pläne im Juni öffentlich vorstellen.",
]

HARBOUR_EN_TITLE = "Portlow harbour reopens after six-month dredging works"
HARBOUR_EN = [
    "The harbour of Portlow reopened to fishing boats on Monday after six months of dredging works that cost "
    "£4.2 million. The channel is now 5.5 metres deep at low tide, a metre more than before the works.",
    "Harbour master Glenys Owain said 27 trawlers had already asked to return to the quay. Local traders hope the "
    "reopening will bring back the summer ferry to the islands, suspended since 2023.",
]


def body(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def analysed_signature(article_id, title, paragraphs, published="2025-03-14"):
    return signature_from_analysis(to_dict(analyze(body(paragraphs), title=title, published=published)), article_id=article_id)


# --- the examples corpus, analysed once per test session -------------------------------------
@lru_cache(maxsize=1)
def example_records() -> tuple[dict, dict]:
    """(key -> analysis dict, key -> manifest entry) for the shipped examples corpus."""
    from babelwire.config import Config
    from babelwire.pipeline import analysis_pipeline
    from babelwire.read import ReadError, read_inputs

    manifest = json.loads((EXAMPLES / "manifest.json").read_text(encoding="utf-8"))
    entries = {(f"{e['path']}#{e['id']}" if e.get("id") else e["path"]): e for e in manifest}
    config = Config()
    records = {}
    for item in read_inputs([str(EXAMPLES)], config.read):
        assert not isinstance(item, ReadError), str(item)
        (document,) = analysis_pipeline(config).run([item])
        key = document.metadata.path.split("examples/", 1)[1]
        if document.metadata.id:
            key = key.rsplit(":", 1)[0] + f"#{document.metadata.id}"
        records[key] = to_dict(document)
    assert set(records) == set(entries)
    return records, entries


def example_signatures() -> dict:
    records, _ = example_records()
    return {key: signature_from_analysis(record, article_id=key) for key, record in records.items()}


# --- tests --------------------------------------------------------------------------------
def test_same_text_with_other_white_space_is_an_exact_duplicate():
    original = analysed_signature("fr-1", LOIRE_FR_TITLE, LOIRE_FR)
    again = analysed_signature("fr-1-again", LOIRE_FR_TITLE, [p.replace(" ", "  ", 3) for p in LOIRE_FR])
    index = NearDuplicateIndex()
    assert index.add(original) == []
    links = index.add(again)
    assert [(link.a, link.b, link.kind, link.score) for link in links] == [("fr-1", "fr-1-again", "duplicate", 1.0)]
    assert clean_text_hash("a  b\n c") == clean_text_hash("a b c") != clean_text_hash("a b d")


@pytest.mark.parametrize("language, original, copy", [
    ("fr", (LOIRE_FR_TITLE, LOIRE_FR), (LOIRE_FR_COPY_TITLE, LOIRE_FR_COPY)),
    ("de", (LINDENAU_DE_TITLE, LINDENAU_DE), (LINDENAU_DE_COPY_TITLE, LINDENAU_DE_COPY)),
])
def test_republished_copy_with_new_headline_and_edits_is_a_near_duplicate(language, original, copy):
    index = NearDuplicateIndex()
    index.add(analysed_signature("original", *original))
    (link,) = index.add(analysed_signature("copy", *copy))
    assert (link.a, link.b, link.kind) == ("original", "copy", "near-duplicate")
    assert 0.5 <= link.evidence["jaccard"] < 1.0 and link.score >= 0.5
    assert json.loads(json.dumps(link.evidence)) == link.evidence


def test_different_articles_on_the_same_event_and_other_languages_are_not_copies():
    signatures = [
        analysed_signature("fr-agency", LOIRE_FR_TITLE, LOIRE_FR),
        analysed_signature("fr-reportage", LOIRE_FR_OTHER_TITLE, LOIRE_FR_OTHER),
        analysed_signature("de-bikes", LINDENAU_DE_TITLE, LINDENAU_DE),
        analysed_signature("en-harbour", HARBOUR_EN_TITLE, HARBOUR_EN),
    ]
    assert duplicate_links(signatures) == []


def test_shortened_copy_is_found_by_containment():
    full = signature_from_text("full", body(LOIRE_FR), "fr", title=LOIRE_FR_TITLE)
    short = signature_from_text("short", body(LOIRE_FR[:2]), "fr", title="Crue de la Loire")
    (link,) = duplicate_links([full, short])
    assert link.kind == "near-duplicate"
    assert link.evidence["jaccard"] < 0.7 and link.evidence["containment"] >= 0.85


def test_index_state_round_trips_through_bytes_and_keeps_finding_copies():
    index = NearDuplicateIndex(DuplicateSettings(num_perm=64))
    index.add(signature_from_text(1, body(LOIRE_FR), "fr", title=LOIRE_FR_TITLE))
    index.add(signature_from_text(2, body(LINDENAU_DE), "de", title=LINDENAU_DE_TITLE))
    restored = NearDuplicateIndex.from_bytes(index.to_bytes())
    assert len(restored) == 2 and restored.settings.num_perm == 64
    copy = signature_from_text(3, body(LINDENAU_DE_COPY), "de", title=LINDENAU_DE_COPY_TITLE)
    assert [(link.a, link.kind) for link in restored.add(copy)] == [(2, "near-duplicate")]
    exact = signature_from_text(4, body(LOIRE_FR), "fr", title=LOIRE_FR_TITLE)
    assert [(link.a, link.kind) for link in restored.add(exact)] == [(1, "duplicate")]
    with pytest.raises(ValueError):
        NearDuplicateIndex.from_bytes(b"not an index")


def test_removed_article_is_no_longer_found():
    index = NearDuplicateIndex()
    index.add(signature_from_text("a", body(LOIRE_FR), "fr", title=LOIRE_FR_TITLE))
    index.remove("a")
    assert index.add(signature_from_text("b", body(LOIRE_FR_COPY), "fr", title=LOIRE_FR_COPY_TITLE)) == []


def test_shingles_ignore_case_and_punctuation():
    assert shingles("Le fleuve, le Fleuve!", words=2) == {"le fleuve", "fleuve le"}


def test_link_rejects_unknown_kinds_and_clamps_scores():
    with pytest.raises(ValueError):
        Link("a", "b", "cousin", 0.5)
    assert Link("a", "b", "duplicate", 1.7).score == 1.0


def test_near_copies_of_the_examples_corpus_are_found_and_nothing_else():
    records, entries = example_records()
    signatures = example_signatures()
    expected = set()
    for key, entry in entries.items():
        if entry["relation"] == "near-copy-of":
            expected.add(frozenset((key, entry["relation_to"])))
    links = duplicate_links(signatures[key] for key in sorted(signatures))
    found = {frozenset((link.a, link.b)) for link in links}
    assert len(expected) == 6
    assert found == expected
    families = copy_families(links)
    assert sorted(len(family) for family in families) == [2] * 6
