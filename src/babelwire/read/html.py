"""HTML pages: main text, title, date and author extracted with trafilatura."""

from __future__ import annotations

import re
import warnings

import lxml.etree
import lxml.html
import trafilatura

from babelwire.model import Document, Metadata
from babelwire.read.encoding import decode_bytes
from babelwire.read.errors import ReadError
from babelwire.read.jsonl import compose_text
from babelwire.read.plain import document_from_text

NAME = "html"
EXTENSIONS = (".html", ".htm", ".xhtml")
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)", re.IGNORECASE | re.DOTALL)


def sniff(name: str, data: bytes) -> float:
    if name.lower().endswith(EXTENSIONS):
        return 0.9
    return 0.8 if _HTML_START.match(data[:2048].lstrip(b"\xef\xbb\xbf")) else 0.0


def page_headline(html_text: str) -> str | None:
    try:
        tree = lxml.html.fromstring(html_text.encode("utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return None
    for path in ("//article//h1", "//main//h1", "//h1"):
        for element in tree.xpath(path):
            headline = " ".join(element.text_content().split())
            if headline:
                return headline
    return None


def read(name: str, data: bytes, settings) -> list[Document]:
    decoded = decode_bytes(data, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # trafilatura's FutureWarnings from lxml are not the user's concern
        extracted = trafilatura.bare_extraction(decoded.text, with_metadata=True, include_comments=False, include_tables=False, as_dict=True)
    if not extracted or not (extracted.get("text") or "").strip():
        raise ReadError(name, "HTML page with no article text found in it")
    # trafilatura puts one paragraph per line; the model's convention is a blank line between paragraphs.
    paragraphs = [line.strip() for line in extracted["text"].split("\n") if line.strip()]
    # The page's own headline (its <h1>) is the title; <title> and og:title are often rewritten for
    # search engines and social media.
    headline = page_headline(decoded.text)
    title = headline or (extracted.get("title") or "").strip() or None
    if headline and paragraphs and paragraphs[0] != headline and headline in paragraphs[:3]:
        paragraphs.remove(headline)
    body = "\n\n".join(paragraphs)
    text, title_span = compose_text(title, body)
    metadata = Metadata(
        title=title, url=extracted.get("url"), author=extracted.get("author"),
        source=extracted.get("sitename") or extracted.get("hostname"),
        published=extracted.get("date"), language=extracted.get("language"), path=name,
    )
    document = document_from_text(text, name, reader=NAME, encoding=decoded.encoding, metadata=metadata)
    if title_span:
        document.metadata.title_span = title_span
    document.notes.extend(decoded.notes)
    return [document]
