"""Readers: the scraped layout, JSON Lines, HTML, encodings, and where inputs come from."""

from __future__ import annotations

import io
import json

import pytest

from babelwire.config import ReadSettings
from babelwire.read import ReadError, pick_reader, read_inputs, read_source, read_text
from babelwire.read.encoding import decode_bytes, mojibake_repairs
from babelwire.read.layout import detect_layout, slug_agreement
from babelwire.read.sources import Source

SCRAPED = (
    "Le maire d’Annecy inaugure « enfin » le nouveau pont sur le Thiou\n\n"
    "Le maire dAnnecy inaugure enfin le nouveau pont s\n\n"
    "Le nouveau pont a été ouvert samedi après deux ans de travaux.\n\n"
    "Les habitants étaient nombreux à la cérémonie.\n\n\n\n"
    "fr-07"
)


def test_scraped_layout_finds_headline_slug_and_tag_and_edits_slug_and_tag_out():
    (document,) = read_source(Source("a.txt", SCRAPED.encode()), ReadSettings())
    meta = document.metadata
    assert meta.title.startswith("Le maire d’Annecy")
    assert meta.slug == "Le maire dAnnecy inaugure enfin le nouveau pont s"
    assert meta.tag == "fr-07" and meta.language == "fr"
    assert document.diagnostics["slug_agrees_with_title"] is True
    assert "fr-07" not in document.clean_text and "dAnnecy" not in document.clean_text
    assert document.clean_text.startswith("Le maire d’Annecy inaugure « enfin »")
    assert document.text == SCRAPED  # the original is untouched
    start, end = meta.tag_span
    assert document.text[start:end] == "fr-07"


def test_slug_that_does_not_match_the_headline_is_body_text():
    text = "Storm hits the coast\n\nThousands were without power on Monday night.\n\nCrews worked until dawn.\n"
    layout = detect_layout(text)
    assert layout.title.text == "Storm hits the coast" and layout.slug is None and layout.tag is None


def test_plain_text_without_title_has_no_title():
    text = "Thousands were without power on Monday night after the storm.\n\nCrews worked until dawn to restore it."
    (document,) = read_source(Source("b.txt", text.encode()), ReadSettings())
    assert document.metadata.title is None
    assert document.clean_text == text


def test_slug_agreement_accepts_a_slug_cut_mid_word_and_rejects_another_sentence():
    title = "Kim Jong-un reçoit son « camarade » Poutine avec un dîner"
    assert slug_agreement(title, "kim jong un recoit son camarade poutine avec un di") == (pytest.approx(1.0), True)
    similarity, agrees = slug_agreement(title, "Le président russe est arrivé mardi à Pyongyang")
    assert similarity < 0.7 and not agrees


def test_jsonl_reads_fields_and_reports_a_broken_line_without_losing_the_others():
    lines = [
        json.dumps({"id": "a1", "title": "Floods in Dresden", "text": "The Elbe rose on Tuesday.\n\nSchools closed.", "url": "https://example.org/a1", "published": "2025-03-04", "language": "en", "source": "Example News"}),
        "{not json",
        json.dumps({"id": "a3", "text": "   "}),
        json.dumps({"id": "a4", "text": "Un texte sans titre, écrit en français."}),
    ]
    results = read_source(Source("feed.jsonl", "\n".join(lines).encode()), ReadSettings())
    documents = [r for r in results if not isinstance(r, ReadError)]
    errors = [r for r in results if isinstance(r, ReadError)]
    assert [d.metadata.id for d in documents] == ["a1", "a4"]
    first = documents[0]
    assert first.metadata.url == "https://example.org/a1" and first.metadata.published == "2025-03-04"
    assert first.text.startswith("Floods in Dresden\n\nThe Elbe rose")
    assert first.metadata.title_span == (0, len("Floods in Dresden"))
    assert [e.name for e in errors] == ["feed.jsonl:2", "feed.jsonl:3"]
    assert "invalid JSON" in errors[0].problem and "'text'" in errors[1].problem


HTML_PAGE = """<!DOCTYPE html><html lang="de"><head><title>Hochwasser in Dresden | Beispiel-Zeitung</title>
<meta property="og:title" content="Hochwasser in Dresden"><meta name="author" content="Anna Beispiel">
<meta property="article:published_time" content="2025-03-04T08:30:00+01:00"></head><body>
<nav><a href="/">Start</a> <a href="/politik">Politik</a></nav><div class="cookie">Wir verwenden Cookies. Akzeptieren</div>
<article><h1>Hochwasser in Dresden</h1>
<p>Die Elbe ist am Dienstag in Dresden über die Ufer getreten, nachdem es tagelang geregnet hatte.</p>
<p>Die Stadt hat mehrere Schulen geschlossen und Sandsäcke an die Anwohner verteilt, berichtete die Feuerwehr.</p>
<p>Der Pegel soll nach Angaben der Behörden bis Donnerstag weiter steigen.</p></article>
<footer>© Beispiel-Zeitung. Alle Rechte vorbehalten.</footer></body></html>"""


def test_html_reader_extracts_main_text_title_date_and_author():
    source = Source("page.html", HTML_PAGE.encode())
    assert pick_reader(source.name, source.data).NAME == "html"
    (document,) = read_source(source, ReadSettings())
    assert document.metadata.title == "Hochwasser in Dresden"
    assert document.metadata.author == "Anna Beispiel"
    assert document.metadata.published.startswith("2025-03-04")
    assert "Die Elbe ist am Dienstag" in document.text
    assert "Cookies" not in document.text and "Politik" not in document.text


def test_html_is_recognised_by_content_without_extension():
    assert pick_reader("page", HTML_PAGE.encode()).NAME == "html"
    assert pick_reader("feed", b'{"text": "x"}\n').NAME == "jsonl"
    assert pick_reader("article", "Bonjour à tous.".encode()).NAME == "plain"


def test_forced_reader_overrides_detection():
    settings = ReadSettings(reader="plain")
    (document,) = read_source(Source("page.html", HTML_PAGE.encode()), settings)
    assert "<article>" in document.text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "cp1252"])
def test_encodings_are_decoded(encoding):
    text = "Élection à Zürich : « Ça suffit », déclare la maire. Größere Straßen, señor."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    decoded = decode_bytes(data, "x.txt")
    assert decoded.text == text


def test_mojibake_is_reported_as_repairs_not_fixed_silently():
    original = "Le président a déclaré à la télévision qu’il était très satisfait."
    broken = original.encode("utf-8").decode("cp1252")
    (document,) = read_source(Source("m.txt", broken.encode("utf-8")), ReadSettings())
    assert document.text == broken
    assert document.clean_text == original
    assert all(edit.kind == "mojibake" for edit in document.edits) and document.edits
    assert mojibake_repairs(original) == []


@pytest.mark.parametrize(
    "data, problem",
    [(b"", "empty"), (b"   \n\n", "empty"), (b"\x00\x01\x02PNG\x00\x00binary", "binary"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_bad_bytes_give_a_one_line_error_naming_the_input(data, problem):
    with pytest.raises(ReadError) as raised:
        decode_bytes(data, "bad.txt")
    assert str(raised.value).startswith("bad.txt: ") and problem in str(raised.value) and "\n" not in str(raised.value)


def test_inputs_from_folders_globs_stdin_and_missing_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Premier article, en français, avec assez de mots.", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("Second article in English with enough words.", encoding="utf-8")
    (tmp_path / "big.txt").write_text("x" * 200, encoding="utf-8")
    (tmp_path / "sub" / "ignored.png").write_bytes(b"\x89PNG")
    settings = ReadSettings(max_bytes=100)
    results = list(read_inputs([str(tmp_path), str(tmp_path / "*.txt"), "-", str(tmp_path / "nope.txt")], settings, stdin=io.BytesIO("Depuis l’entrée standard.".encode())))
    names = [r.name if isinstance(r, ReadError) else r.metadata.path for r in results]
    assert names[:3] == [str(tmp_path / "a.txt"), str(tmp_path / "big.txt"), str(tmp_path / "sub" / "b.txt")]
    big_error = results[1]
    assert isinstance(big_error, ReadError) and "limit of 100 bytes" in big_error.problem
    assert "<stdin>" in names
    assert isinstance(results[-1], ReadError) and results[-1].problem == "no such file or folder"


def test_read_text_puts_a_given_title_before_the_body():
    document = read_text("Body text here.", title="A headline", url="https://example.org/x")
    assert document.text == "A headline\n\nBody text here."
    assert document.metadata.title_span == (0, 10) and document.metadata.url == "https://example.org/x"


def test_utf8_with_a_few_invalid_bytes_is_read_and_the_damage_noted():
    data = "Le président a déclaré à la télévision qu’il était satisfait.".encode("utf-8")
    data = data[:20] + b"\xff\xfe" + data[20:]
    (document,) = read_source(Source("broken.txt", data), ReadSettings())
    assert "\ufffd" in document.text and "télévision" in document.text
    assert document.notes == ["2 invalid UTF-8 byte sequence(s) replaced by U+FFFD"]


def test_latin1_text_is_not_mistaken_for_broken_utf8():
    data = "Größere Straßen für München, sagte der Bürgermeister.".encode("cp1252")
    (document,) = read_source(Source("de.txt", data), ReadSettings())
    assert document.text.startswith("Größere Straßen für München")
    assert document.notes == ["not UTF-8: decoded as cp1252 (detected: its words read as words)"]


@pytest.mark.parametrize("text, encoding", [
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Prezident řekl, že vláda schválila nový zákon o dopravě.", "cp1250"),
    ("Президент заявил, что правительство одобрило новый закон о транспорте.", "cp1251"),
    ("Le président a déclaré à la télévision que le gouvernement était très satisfait.", "cp1252"),
])
def test_legacy_single_byte_encodings_are_told_apart(text, encoding):
    assert decode_bytes(text.encode(encoding), "x.txt").text == text
