"""JSON Lines: one article per line with the fields id, title, text, url, published, language, source.

A broken line is reported with its line number and the other lines are still read.
"""

from __future__ import annotations

import json

from babelwire.model import Document, Metadata
from babelwire.read.encoding import decode_bytes
from babelwire.read.errors import ReadError
from babelwire.read.plain import document_from_text

NAME = "jsonl"
EXTENSIONS = (".jsonl", ".ndjson", ".json")
FIELDS = ("id", "title", "text", "url", "published", "language", "source", "author")


def sniff(name: str, data: bytes) -> float:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if name.lower().endswith(EXTENSIONS):
        return 0.9
    return 0.6 if head == b"{" else 0.0


def compose_text(title: str | None, body: str) -> tuple[str, tuple[int, int] | None]:
    """The article's text as read: the headline, a blank line, the body (unless the body opens with it)."""
    body = body.strip("\n")
    if not title or body.startswith(title):
        return body, ((0, len(title)) if title and body.startswith(title) else None)
    return f"{title}\n\n{body}", (0, len(title))


def record_to_document(record: dict, name: str, reader: str = NAME) -> Document:
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ReadError(name, "record has no 'text' field with text in it")
    unknown = [key for key in ("title", "url", "published", "language", "source", "author") if record.get(key) is not None and not isinstance(record[key], str)]
    if unknown:
        raise ReadError(name, f"fields must be strings: {', '.join(unknown)}")
    title = (record.get("title") or "").strip() or None
    full_text, title_span = compose_text(title, text)
    metadata = Metadata(
        title=title, url=record.get("url"), source=record.get("source"), author=record.get("author"),
        id=str(record["id"]) if record.get("id") is not None else None,
        language=record.get("language"), published=record.get("published"), path=name,
    )
    document = document_from_text(full_text, name, reader=reader, metadata=metadata)
    if title_span:
        document.metadata.title_span = title_span
        document.metadata.title = title
    return document


def read(name: str, data: bytes, settings) -> list[Document | ReadError]:
    decoded = decode_bytes(data, name)
    results: list[Document | ReadError] = []
    stripped = decoded.text.strip()
    if name.lower().endswith(".json") and stripped.startswith("["):
        # A plain JSON array of the same records is accepted too.
        try:
            records = json.loads(stripped)
        except json.JSONDecodeError as error:
            raise ReadError(name, f"invalid JSON: {error.msg} (line {error.lineno})") from None
        lines = [(index + 1, record) for index, record in enumerate(records)]
    else:
        lines = []
        for number, line in enumerate(decoded.text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                lines.append((number, json.loads(line)))
            except json.JSONDecodeError as error:
                results.append(ReadError(f"{name}:{number}", f"invalid JSON: {error.msg}"))
    for number, record in lines:
        where = f"{name}:{number}"
        if not isinstance(record, dict):
            results.append(ReadError(where, "a record must be a JSON object"))
            continue
        try:
            document = record_to_document(record, where)
            document.notes.extend(decoded.notes)
            results.append(document)
        except ReadError as error:
            results.append(error)
    if not results:
        raise ReadError(name, "no records in it")
    return results
