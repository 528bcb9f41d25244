"""The reference article end to end: what ../shared/seed/FINDINGS.md lists for layout, languages,
debris, repairs, headings and the date of writing."""

from __future__ import annotations

import jsonschema

from babelwire.offsets import rebuild_original
from babelwire.output import analysis_schema, document_to_dict
from conftest import line_of


def lines(seed_analysis):
    return seed_analysis.text.split("\n")


def test_seed_layout_headline_slug_and_tag_are_metadata(seed_analysis):
    doc = seed_analysis
    text_lines = lines(doc)
    assert doc.metadata.title == text_lines[0]
    assert doc.metadata.slug == text_lines[2] == "Kim Jong un recoit son camarade Poutine avec un"
    assert doc.metadata.tag == "fr-02"
    assert doc.diagnostics["slug_agrees_with_title"] is True
    assert "recoit son camarade" not in doc.clean_text
    assert not doc.clean_text.rstrip().endswith("fr-02")
    assert doc.clean_text.startswith(text_lines[0] + "\n\nLe président russe, Vladimir Poutine")


def test_seed_is_french_with_spanish_exactly_on_lines_19_27_and_the_start_of_33(seed_analysis):
    doc = seed_analysis
    assert doc.language == "fr"
    spanish_lines = {line_of(doc.text, s.start) for s in doc.segments if s.language == "es" and s.kind in ("fragment", "sentence", "paragraph", "heading", "title")}
    spanish_lines |= {line_of(doc.text, d.start) for d in doc.debris if d.language == "es"}
    assert spanish_lines == {19, 27, 33}
    related = [d for d in doc.debris if d.kind == "related-link"]
    assert [(line_of(doc.text, d.start), d.language) for d in related] == [(19, "es"), (27, "es")]


def test_seed_line_33_switches_from_spanish_to_french_inside_the_sentence(seed_analysis):
    doc = seed_analysis
    fragments = [s for s in doc.segments if s.kind == "fragment" and line_of(doc.text, s.start) == 33]
    assert [f.language for f in fragments][:2] == ["es", "fr"]
    spanish, french = fragments[0], fragments[1]
    assert doc.text[spanish.start:spanish.end].startswith("La agencia de noticias rusa Interfax")
    assert doc.text[spanish.start:spanish.end].rstrip().endswith("y una declaración a los")
    assert doc.text[french.start:].startswith("moyens de communication")
    # The switch is inside one sentence: a sentence segment spans both fragments.
    assert any(s.kind == "sentence" and s.start <= spanish.start and french.end <= s.end for s in doc.segments)


def test_seed_page_debris_is_marked_and_out_of_the_clean_text(seed_analysis):
    doc = seed_analysis
    found = {(line_of(doc.text, d.start), d.kind) for d in doc.debris}
    assert found == {
        (7, "stray-punctuation"), (9, "stray-punctuation"), (11, "embed"), (13, "embed-attribution"),
        (15, "stray-guillemet"), (19, "related-link"), (27, "related-link"), (35, "stray-guillemet"),
    }
    for gone in ("REGARDER", "pic.twitter.com", "@BNONews", "[Más armas", "[Decenas", "Reuters. .", "pouvoir. .", "coopération«", "américain«"):
        assert gone not in doc.clean_text
    assert "coopération »." in doc.clean_text and "américain », a-t-il écrit" in doc.clean_text


def test_seed_headings_are_lines_21_and_31_and_kept(seed_analysis):
    doc = seed_analysis
    headings = [(line_of(doc.text, s.start), doc.text[s.start:s.end]) for s in doc.segments if s.kind == "heading"]
    assert headings == [(21, "Les États-Unis surveillent de près"), (31, "concert de gala")]
    assert "\n\nconcert de gala\n\n" in doc.clean_text


def test_seed_glued_words_are_split_and_nothing_else_is(seed_analysis):
    doc = seed_analysis
    for repaired in ("Kim Il-sung moins", "cette année Le voyage", "Andreï Beloussov le ministre", "Sergueï Lavrov les ministres"):
        assert repaired in doc.clean_text
    glued = [e for e in doc.edits if e.kind in ("glued-words", "glued-sentence")]
    assert len(glued) == 4 and all(e.replacement == " " and e.start == e.end for e in glued)


def test_seed_is_dated_18_june_2024_from_the_embed_and_the_weekday(seed_analysis):
    published = seed_analysis.published
    assert published.value == "2024-06-18" and published.source == "inferred"
    evidence = {e.text for e in published.evidence}
    assert "18 juin 2024" in evidence and "mardi" in evidence


def test_seed_translation_error_signs_are_reported(seed_analysis):
    doc = seed_analysis
    signs = {(s["kind"], doc.text[s["start"]:s["end"]]) for s in doc.diagnostics["translation_error_signs"]}
    assert ("double-article", "un une") in signs
    assert ("foreign-article", "Il Conseil") in signs
    assert ("stray-capital", "Sanctions") in signs
    assert 0.0 < doc.diagnostics["foreign_share"] < 0.1


def test_seed_output_validates_against_the_schema_and_rebuilds_the_original(seed_analysis):
    payload = document_to_dict(seed_analysis)
    jsonschema.validate(payload, analysis_schema())
    assert rebuild_original(payload["clean_text"], seed_analysis.edits) == payload["text"]
    for layer in ("segments", "debris", "edits"):
        for span in payload[layer]:
            assert 0 <= span["start"] <= span["end"] <= len(payload["text"])
