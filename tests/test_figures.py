"""Figures: numbers with what they count and their hedges, per language, and the reference article's
list from ../shared/seed/FINDINGS.md ("Figures")."""

from __future__ import annotations

import pytest

from babelwire import analyze
from babelwire.analyse.figures import FigureFinder, FigureSettings, parse_number


def figures_of(text: str, language: str):
    document = analyze(text, language=language)
    FigureFinder(FigureSettings()).process(document)
    return document, document.figures


def as_tuples(figures):
    return [(f.text, f.value, f.unit, f.qualifier) for f in figures]


def test_french_more_than_with_space_thousands_and_a_vague_quantity():
    _, figures = figures_of("Pyongyang aurait livré plus de 11 000 conteneurs de munitions et des dizaines de missiles balistiques.", "fr")
    assert as_tuples(figures) == [
        ("plus de 11 000 conteneurs de munitions", 11000.0, "conteneurs de munitions", "more-than"),
        ("des dizaines de missiles balistiques", None, "missiles balistiques", "tens"),
    ]


def test_french_money_percent_and_times_of_day():
    _, figures = figures_of("Au moins 3,1 milliards d’euros, soit 2,5 % du budget, ont été votés à 19h45.", "fr")
    assert as_tuples(figures) == [
        ("Au moins 3,1 milliards d’euros", 3.1e9, "EUR", "at-least"),
        ("2,5 %", 2.5, "%", None),
        ("19h45", 19.75, "time", None),
    ]


def test_spanish_dot_thousands_number_words_and_about():
    _, figures = figures_of("Hace dos años, unos 1.200 soldados y decenas de tanques cruzaron la frontera.", "es")
    assert as_tuples(figures) == [
        ("dos años", 2.0, "años", None),
        ("unos 1.200 soldados", 1200.0, "soldados", "about"),
        ("decenas de tanques", None, "tanques", "tens"),
    ]


def test_english_comma_thousands_currency_symbol_scale_and_dozens():
    _, figures = figures_of("More than 11,000 ammunition containers and dozens of missiles, worth €3.1bn, arrived at 5:45 p.m.", "en")
    assert as_tuples(figures) == [
        ("More than 11,000 ammunition containers", 11000.0, "ammunition containers", "more-than"),
        ("dozens of missiles", None, "missiles", "tens"),
        ("€3.1bn", 3.1e9, "EUR", None),
        ("5:45 p.m.", 17.75, "time", None),
    ]


def test_english_codes_handles_urls_ordinals_and_full_dates_are_not_figures():
    _, figures = figures_of("On June 18, 2024, @user42 shared https://example.com/a/123 about COVID-19, the G7 and the 21st century.", "en")
    assert figures == []


def test_german_decimal_comma_prozent_and_capitalised_nouns():
    _, figures = figures_of("Nordkorea lieferte rund 3,1 Milliarden Euro, mehr als 11.000 Munitionscontainer und 2,5 Prozent mehr.", "de")
    assert as_tuples(figures) == [
        ("rund 3,1 Milliarden Euro", 3.1e9, "EUR", "about"),
        ("mehr als 11.000 Munitionscontainer", 11000.0, "Munitionscontainer", "more-than"),
        ("2,5 Prozent", 2.5, "%", None),
    ]


def test_german_date_is_left_to_the_time_layer_but_a_lone_year_is_a_figure():
    _, figures = figures_of("Am 18. Juni 2024 kamen zwei Delegationen, seit 2006 gelten Sanktionen.", "de")
    assert as_tuples(figures) == [("zwei Delegationen", 2.0, "Delegationen", None), ("2006", 2006.0, None, None)]


@pytest.mark.parametrize("raw, language, value", [
    ("11 000", "fr", 11000.0), ("11\u202f000", "fr", 11000.0), ("2,5", "fr", 2.5), ("11.000", "de", 11000.0),
    ("1.234,5", "es", 1234.5), ("11,000", "en", 11000.0), ("3.1", "en", 3.1), ("1,234.5", "en", 1234.5),
    ("2,500", "fr", 2.5), ("3.5", "it", 3.5),
])
def test_parse_number_follows_the_language_conventions(raw, language, value):
    assert parse_number(raw, language) == value


def test_figure_offsets_point_into_the_original_text():
    document, figures = figures_of("Le bilan : plus de 11 000 conteneurs.", "fr")
    (figure,) = figures
    assert document.text[figure.start:figure.end] == "plus de 11 000 conteneurs"


def test_seed_figures(seed_analysis):
    document = seed_analysis
    if not document.figures:
        FigureFinder(FigureSettings()).process(document)
    found = {(f.text, f.value, f.unit, f.qualifier) for f in document.figures}
    for expected in [
        ("24 ans", 24.0, "ans", None),
        ("2h45", 2.75, "time", None),
        ("19h45", 19.75, "time", None),
        ("plus de 11 000 conteneurs de munitions", 11000.0, "conteneurs de munitions", "more-than"),
        ("des dizaines de missiles balistiques", None, "missiles balistiques", "tens"),
        ("2006", 2006.0, None, None),
        ("1950", 1950.0, None, None),
        ("deux ans", 2.0, "ans", None),
    ]:
        assert expected in found, expected
    # `depuis 2006` and `Il y a deux ans` are where FINDINGS.md places them.
    text = document.text
    assert any(text[f.start - 10:f.end].endswith("depuis 2006") for f in document.figures)
    assert any(text[f.start - 10:f.end].endswith("Il y a deux ans") for f in document.figures)
    # The source tag and the tweet's handle and link are not figures.
    assert not any("fr-02" in text[f.start - 3:f.end + 3] or "12LASnKmZT" in text[f.start - 5:f.end + 5] for f in document.figures)
