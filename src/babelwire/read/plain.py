"""Plain-text articles: the scraped layout (headline, slug, body, source tag) or simply text."""

from __future__ import annotations

from babelwire.model import Document, Metadata
from babelwire.read.encoding import decode_bytes, mojibake_repairs
from babelwire.read.layout import SOURCE_TAG, content_lines, detect_layout

NAME = "plain"
EXTENSIONS = (".txt", ".text", ".md")


def sniff(name: str, data: bytes) -> float:
    """Any text will do: this is the fallback reader."""
    return 0.1


def document_from_text(text: str, name: str, *, reader: str = NAME, encoding: str | None = None, metadata: Metadata | None = None) -> Document:
    """A Document for a plain text, with its layout parts recorded and the slug and tag edited out."""
    metadata = metadata or Metadata()
    metadata.path = metadata.path or name
    metadata.reader = reader
    metadata.encoding = encoding or metadata.encoding
    document = Document(text=text, metadata=metadata)
    for start, end, replacement in mojibake_repairs(text):
        document.add_edit(start, end, "mojibake", "text decoded with the wrong encoding (ftfy)", replacement)
    layout = detect_layout(text, lambda line: document.clean_text[slice(*document.clean_span(line.start, line.end))])
    lines = content_lines(text)
    if layout.title is not None:
        metadata.title_span = (layout.title.start, layout.title.end)
        # The title as it reads once mojibake is repaired.
        clean_start, clean_end = document.clean_span(*metadata.title_span)
        metadata.title = metadata.title or document.clean_text[clean_start:clean_end]
    if layout.slug is not None:
        metadata.slug = layout.slug.text
        metadata.slug_span = (layout.slug.start, layout.slug.end)
        following = next(line for line in lines if line.start > layout.slug.start)
        document.add_edit(layout.slug.start, following.start, "metadata", "URL slug repeating the headline: metadata, not body", "")
        document.diagnostics["slug_similarity"] = layout.slug_similarity
        document.diagnostics["slug_agrees_with_title"] = layout.slug_agrees
    if layout.tag is not None:
        metadata.tag = layout.tag.text
        metadata.tag_span = (layout.tag.start, layout.tag.end)
        tag_match = SOURCE_TAG.match(layout.tag.text)
        if tag_match and not metadata.language:
            metadata.language = tag_match.group(1)
        before = [line for line in lines if line.end <= layout.tag.start]
        cut_from = before[-1].end if before else layout.tag.start
        document.add_edit(cut_from, len(text), "metadata", "source tag (language and feed): metadata, not body", "")
    return document


def read(name: str, data: bytes, settings) -> list[Document]:
    decoded = decode_bytes(data, name)
    document = document_from_text(decoded.text, name, encoding=decoded.encoding)
    document.notes.extend(decoded.notes)
    return [document]
