"""Analysis layers on short articles written for these tests, in several languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from babelwire import analyze, to_dict
from babelwire.analyse.debris import classify_line
from babelwire.analyse.published import find_dates, parse_given
from babelwire.analyse.repairs import find_glued_words, whitespace_repairs
from babelwire.config import CleanSettings
from babelwire.offsets import rebuild_original


@pytest.mark.parametrize(
    "line, kind",
    [
        ("WATCH: Firefighters battle the blaze near the coast pic.twitter.com/Ab12Cd34", "embed"),
        ("VER: El presidente llega a Lima pic.twitter.com/xYz987", "embed"),
        ("ANSEHEN: Die Flut erreicht Dresden https://t.co/abc123", "embed"),
        ("GUARDA: il video dell'incendio https://t.co/q1w2e3", "embed"),
        ("— Daily Example (@DailyExample) March 4, 2025", "embed-attribution"),
        ("– Actualités Exemple (@ActuExemple) 4 mars 2025", "embed-attribution"),
        ("[Lesen Sie auch: Die Bahn streicht Verbindungen nach Prag]", "related-link"),
        ("LEA TAMBIÉN: El Banco Central sube los tipos", "related-link"),
        ("Partager sur Facebook", "share"),
        ("Abonnez-vous à notre newsletter", "share"),
        ("Aceptar cookies", "share"),
        ("Jetzt abonnieren", "share"),
    ],
)
def test_debris_lines_are_recognised_in_many_languages(line, kind):
    assert classify_line(line)[0] == kind


@pytest.mark.parametrize(
    "line",
    [
        "The minister said the newsletter of the party had been sent to every member before the vote.",
        "Watch the river closely, the mayor told residents on Tuesday.",
        "Le président a partagé son inquiétude avec les journalistes présents.",
        "[",
    ],
)
def test_article_sentences_are_not_debris(line):
    assert classify_line(line) is None


@pytest.mark.parametrize(
    "text, language, repaired",
    [
        ("Le ministre Sergueï Lavrovles ministres de la Santé sont venus.", "fr", "Lavrov les"),
        ("La inflación bajó este añoEl banco central decidió esperar.", "es", "año El"),
        ("Die Preise stiegen im vergangenen JahrDie Regierung will nun handeln.", "de", "Jahr Die"),
        ("The talks ended last weekThe ministers will meet again in May.", "en", "week The"),
    ],
)
def test_glued_words_are_split_using_the_language_word_frequencies(text, language, repaired):
    found = find_glued_words(text, language, CleanSettings())
    assert len(found) == 1
    split = found[0].split_at
    assert (text[:split] + " " + text[split:]).count(repaired) == 1


@pytest.mark.parametrize(
    "text, language",
    [
        ("Il a rencontré Emmanuel Macron et Olaf Scholz à Bruxelles avec les ministres.", "fr"),
        ("YouTube, PlayStation et McDonald's ont publié leurs résultats trimestriels.", "fr"),
        ("El alcalde Valverde dijo que Valverde seguirá en el cargo.", "es"),
        ("Die Bundesregierung und die Europäische Zentralbank berieten in Frankfurt.", "de"),
        ("Anderson and MacLeod discussed the iPhone sales in Edinburgh yesterday.", "en"),
    ],
)
def test_real_words_and_names_are_not_split(text, language):
    assert find_glued_words(text, language, CleanSettings()) == []


def test_whitespace_repairs_collapse_runs_and_blank_lines():
    changes = whitespace_repairs("a  b \n\n\n\nc\r\nd ")
    kinds = sorted(reason for _, _, _, reason in changes)
    assert "runs of spaces made one" in kinds and "blank lines made one" in kinds and "line breaks made \\n" in kinds


def test_analyze_reports_languages_per_sentence_and_a_switch_inside_a_german_sentence():
    text = (
        "Hochwasser in Dresden\n\n"
        "Die Elbe ist am Dienstag über die Ufer getreten und hat mehrere Straßen in der Altstadt überflutet. "
        "The city council said the schools would stay closed until the water goes down again. "
        "Die Feuerwehr verteilte in der Nacht Sandsäcke an die Anwohner der betroffenen Viertel."
    )
    result = analyze(text)
    assert result.language == "de"
    sentences = [s for s in result.segments if s.kind == "sentence"]
    assert [s.language for s in sentences] == ["de", "en", "de"]
    assert result.diagnostics["foreign_share"] > 0.2


def test_analyze_without_any_date_leaves_the_date_of_writing_unknown():
    result = analyze("Le conseil municipal a voté le budget.\n\nLes travaux commenceront bientôt, selon le maire.")
    assert result.published.value is None and result.published.source == "unknown"


def test_given_publication_date_wins_and_an_unreadable_one_is_noted():
    assert analyze("Texte court.", published="2025-03-04").published.value == "2025-03-04"
    result = analyze("Texte court.", published="not a date")
    assert result.published.source == "unknown"
    assert any("could not be read" in note for note in result.notes)


@pytest.mark.parametrize(
    "text, language, iso",
    [
        ("le 18 juin 2024 à Pyongyang", "fr", "2024-06-18"),
        ("on June 18, 2024 in Seoul", "en", "2024-06-18"),
        ("am 18. Juni 2024 in Berlin", "de", "2024-06-18"),
        ("el 18 de junio de 2024 en Madrid", "es", "2024-06-18"),
        ("il 18 giugno 2024 a Roma", "it", "2024-06-18"),
        ("31 février 2024", "fr", None),
        ("fr-02 and 24 ans", "fr", None),
    ],
)
def test_full_dates_are_found_in_several_languages(text, language, iso):
    found = find_dates(text, [language])
    assert [m.date.isoformat() for m in found] == ([iso] if iso else [])


def test_dateline_with_agreeing_weekday_dates_an_english_article():
    text = (
        "Floods close schools\n\n"
        "DRESDEN, March 4, 2025 (Example Wire) – The Elbe burst its banks on Tuesday after days of rain.\n\n"
        "Officials expect the water to peak on Thursday."
    )
    result = analyze(text)
    assert result.published.value == "2025-03-04"
    assert {e.text for e in result.published.evidence} >= {"March 4, 2025", "Tuesday"}


def test_parse_given_accepts_iso_dates_and_datetimes():
    assert parse_given("2024-06-18") == "2024-06-18"
    assert parse_given("2024-06-18T10:30:00+02:00") == "2024-06-18T10:30:00+02:00"
    assert parse_given("garbage") is None


def test_analyze_output_always_rebuilds_the_original():
    text = "Titre\n\nUn   paragraphe avec  des espaces.  \n\n\n\nREGARDER : une vidéo pic.twitter.com/abc123\n\nFin du texte. .\n"
    result = analyze(text)
    assert rebuild_original(result.clean_text, result.edits) == text
    assert "pic.twitter.com" not in result.clean_text and "  " not in result.clean_text
    payload = to_dict(result)
    assert payload["text"] == text


@pytest.mark.parametrize("text", ["", "   ", "12345 678", "🙂🙂🙂", "\u202e\u0000\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace")])
def test_analyze_never_raises_on_odd_text(text):
    result = analyze(text)
    assert result.text == text


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_unicode_text_analyses_with_valid_offsets_and_rebuilds(text):
    result = analyze(text)
    assert rebuild_original(result.clean_text, result.edits) == text
    for layer in (result.segments, result.debris, result.edits):
        for span in layer:
            assert 0 <= span.start <= span.end <= len(text)
    assert 0.0 <= result.diagnostics["foreign_share"] <= 1.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "Le président est arrivé mardi.", "REGARDER : vidéo pic.twitter.com/abc", "– Nom (@nom) 3 mars 2025",
    "[Lire aussi : un autre article]", " .", "annéeLe", "Lavrovles ministres", "«", "»", "\n", "\n\n", "  ",
    "El ministro dijo que sí.", "Partager", "fr-02", "\u0065\u0301", "Ã©",
]), max_size=25))
def test_noisy_article_pieces_in_any_order_analyse_and_rebuild(pieces):
    text = "".join(pieces)
    result = analyze(text)
    assert rebuild_original(result.clean_text, result.edits) == text
