"""WARC files (web crawls, warcio): one input per HTML or plain-text page the crawler fetched.

Only ``response`` records with a 2xx status and ``resource`` records whose content type is HTML
(``text/html``, ``application/xhtml+xml``) or ``text/plain`` are inputs; requests, metadata,
revisits, redirects, errors and images are not articles and are passed over. Each input is named
``file.warc.gz:OFFSET`` (the record's byte offset in the file, as CDX indexes give it), so it can
be found again with any WARC tool.

A broken record becomes a ReadError with that name, and the reading goes on at the next record
start found after it (the next gzip member in a ``.warc.gz``, the next ``WARC/1.x`` line in a plain
``.warc``): one damaged record costs that record, not the rest of the file.

``warc_inputs`` yields the raw pages (cheap: no HTML parsing), so that the extraction can run where
the analysis runs; ``read_warc`` yields Documents, read here.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, BinaryIO, Iterator

from babelwire.read.errors import ReadError

if TYPE_CHECKING:
    from babelwire.cluster.inputs import RawInput
    from babelwire.model import Document

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_WARC_LINE = re.compile(rb"(?:^|\n)WARC/1\.\d\r?\n")
_SCAN_BLOCK = 1 << 20


def is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES)


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _kind_of(record) -> str | None:
    """"html", "text", or None for a record that is not a page."""
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        media = _media_type(record.http_headers.get_header("Content-Type"))
    elif record.rec_type == "resource":
        media = _media_type(record.rec_headers.get_header("Content-Type"))
    else:
        return None
    if media in HTML_TYPES:
        return "html"
    if media in TEXT_TYPES:
        return "text"
    return None


def _next_record_start(handle: BinaryIO, start: int, compressed: bool) -> int | None:
    """The offset of the next place at or after ``start`` where a record may begin, or None at the end."""
    position = start
    handle.seek(position)
    carry = b""
    while True:
        block = handle.read(_SCAN_BLOCK)
        if not block:
            return None
        window = carry + block
        base = position - len(carry)
        if compressed:
            found = window.find(_GZIP_MAGIC)
            if found >= 0:
                return base + found
        else:
            match = _WARC_LINE.search(window)
            if match:
                return base + match.start() + (1 if window[match.start():match.start() + 1] == b"\n" else 0)
        carry = window[-16:]
        position += len(block)


def _skip_blank_lines(handle: BinaryIO, offset: int) -> int:
    """The offset of the first byte after the blank lines that end the previous record."""
    handle.seek(offset)
    head = handle.read(64)
    return offset + len(head) - len(head.lstrip(b"\r\n"))


def _printable(message: str) -> str:
    """An error message cut short, without the control characters of the binary data it may quote."""
    return "".join(ch if ch.isprintable() else "?" for ch in message[:120])


def _records_from(handle: BinaryIO, base: int):
    """(offset, record) from ``base`` on; the record's content must be read before the next one."""
    from warcio.archiveiterator import ArchiveIterator

    handle.seek(base)
    iterator = ArchiveIterator(handle, no_record_parse=False)
    for record in iterator:
        yield iterator, record


def warc_inputs(path: str, max_bytes: int) -> Iterator["RawInput | ReadError"]:
    """The pages of a WARC file as raw inputs (or a ReadError per broken or oversized record)."""
    from babelwire.cluster.inputs import RawInput

    compressed = path.lower().endswith(".gz")
    try:
        handle = open(path, "rb")
    except OSError as error:
        yield ReadError(path, f"cannot be read: {error.strerror or error}")
        return
    with handle:
        start = 0
        reporting = True  # after a broken record, false starts found while scanning are not reported
        while start is not None:
            expected = start
            try:
                for iterator, record in _records_from(handle, start):
                    kind = _kind_of(record)
                    data = record.content_stream().read(max_bytes + 1) if kind else b""
                    iterator.read_to_end(record)
                    offset = iterator.get_record_offset()  # from the file's start: warcio reads the file position
                    expected = offset + iterator.get_record_length()
                    reporting = True
                    if kind is None:
                        continue
                    name = f"{path}:{offset}"
                    if len(data) > max_bytes:
                        yield ReadError(name, f"page larger than the limit of {max_bytes} bytes (raise read.max_bytes to read it)")
                        continue
                    yield RawInput(name, data, kind, url=record.rec_headers.get_header("WARC-Target-URI"))
                end = _skip_blank_lines(handle, expected)
                if end < os.fstat(handle.fileno()).st_size and reporting:
                    # warcio stops without a word at a record cut short (a crawl interrupted mid-write).
                    yield ReadError(f"{path}:{end}", "broken WARC record: cut short at the end of the file")
                return
            except Exception as error:  # warcio's ArchiveLoadFailed, zlib and EOF errors in a damaged file
                if reporting:
                    where = _skip_blank_lines(handle, expected)
                    yield ReadError(f"{path}:{where}", f"broken WARC record: {type(error).__name__}: {_printable(str(error))}")
                reporting = False
                start = _next_record_start(handle, expected + 1, compressed)


def read_warc(path: str, settings) -> Iterator["Document | ReadError"]:
    """Documents of the pages of a WARC file, read in this process (HTML through the HTML reader)."""
    from babelwire.cluster.inputs import RawInput, read_raw

    for item in warc_inputs(path, settings.max_bytes):
        if isinstance(item, RawInput):
            yield from read_raw(item, settings)
        else:
            yield item
