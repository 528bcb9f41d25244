"""Stage 1, read: inputs (files, folders, globs, stdin) to Documents.

A registry of small reader modules; each says how sure it is that it can read an input
(``sniff``), the surest one reads it, and a reader can be forced by name.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from babelwire.model import Document
from babelwire.read import html, jsonl, plain
from babelwire.read.errors import ReadError
from babelwire.read.sources import Source, iter_sources

READERS = {module.NAME: module for module in (plain, jsonl, html)}


def pick_reader(name: str, data: bytes, forced: str | None = None):
    if forced:
        if forced not in READERS:
            raise ReadError(name, f"unknown reader {forced!r} (known: {', '.join(sorted(READERS))})")
        return READERS[forced]
    return max(READERS.values(), key=lambda module: module.sniff(name, data))


def read_source(source: Source, settings) -> list[Document | ReadError]:
    """Documents in one input; a ReadError in the list for each part that could not be read."""
    try:
        reader = pick_reader(source.name, source.data, settings.reader)
        return list(reader.read(source.name, source.data, settings))
    except ReadError as error:
        return [error]


def read_inputs(inputs: Sequence[str], settings, stdin=None) -> Iterator[Document | ReadError]:
    for source in iter_sources(inputs, settings.extensions, settings.max_bytes, stdin=stdin):
        if isinstance(source, ReadError):
            yield source
        else:
            yield from read_source(source, settings)


def read_text(text: str, name: str = "<text>", **metadata) -> Document:
    """A Document from a str, with whatever metadata the caller knows (title, url, source, published…)."""
    from babelwire.model import Metadata

    known = Metadata(**metadata)
    if known.title and not text.lstrip().startswith(known.title):
        composed, span = jsonl.compose_text(known.title, text)
        document = plain.document_from_text(composed, name, reader="text", metadata=known)
        document.metadata.title_span = span
        return document
    return plain.document_from_text(text, name, reader="text", metadata=known)


__all__ = ["READERS", "ReadError", "read_inputs", "read_source", "read_text", "pick_reader"]
