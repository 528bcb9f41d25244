"""Inputs of a batch: shards streamed as raw inputs, read into Documents where they are analysed.

A batch's inputs are cut into *shards*, the unit a rerun resumes by:

- a WARC file (``.warc``, ``.warc.gz``) is one shard; each HTML or text page in it is an input;
- a JSON Lines file (``.jsonl``, ``.ndjson``, also gzipped) is one shard; each line is an input;
- the other files (plain text, HTML, JSON) of one folder form one shard; each file is an input.

Shards are streamed (a WARC or JSONL file of any size is never held in memory whole) as
``RawInput``s: a name, the bytes, and which reader reads them. Reading (decoding, HTML extraction)
happens on the worker that analyses the input (``read_raw``), so that a cluster, not the client,
does that work too.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Iterator, Sequence

from babelwire.model import Document
from babelwire.read.errors import ReadError

JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


@dataclass(frozen=True)
class RawInput:
    name: str  # path, path:LINE (JSON Lines) or path:OFFSET (WARC)
    data: bytes
    kind: str  # file (detect the reader), jsonl (one record), html, text
    url: str | None = None  # where a crawler fetched it, when known


def read_raw(item: RawInput, settings) -> list[Document | ReadError]:
    """The Documents in one raw input (or ReadErrors), read with babelwire's readers."""
    from babelwire.read import html, plain, read_source
    from babelwire.read.jsonl import record_to_document
    from babelwire.read.sources import Source

    try:
        if item.kind == "file":
            return read_source(Source(item.name, item.data), settings)
        if item.kind == "jsonl":
            try:
                record = json.loads(item.data.decode("utf-8-sig"))
            except UnicodeDecodeError as error:
                raise ReadError(item.name, f"not UTF-8 ({error.reason} at byte {error.start})") from None
            except json.JSONDecodeError as error:
                raise ReadError(item.name, f"invalid JSON: {error.msg}") from None
            if not isinstance(record, dict):
                raise ReadError(item.name, "a record must be a JSON object")
            return [record_to_document(record, item.name)]
        reader = html if item.kind == "html" else plain
        documents = reader.read(item.name, item.data, settings)
        for document in documents:
            if item.url and not document.metadata.url:
                document.metadata.url = item.url
        return documents
    except ReadError as error:
        return [error]


# --- shards --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Shard:
    id: str  # stable across runs: from the absolute path of the file (or folder)
    kind: str  # warc, jsonl, files
    paths: tuple[str, ...]  # as given (one file, or the files of one folder)

    @property
    def label(self) -> str:
        return self.paths[0] if self.kind != "files" else os.path.dirname(self.paths[0]) or "."


def shard_id(kind: str, path: str) -> str:
    return f"{kind}-{hashlib.sha1(os.path.abspath(path).encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


def input_identity(name: str) -> str:
    """An input's name with its path made absolute: the same input however the path was given."""
    path, colon, locator = name.rpartition(":")
    if colon and locator.isdigit() and path:
        return f"{os.path.abspath(path)}:{locator}"
    return os.path.abspath(name)


def plan_shards(inputs: Sequence[str], settings) -> tuple[list[Shard], list[ReadError]]:
    """The shards of a batch's inputs (files, folders, globs), in a stable order, and the inputs
    that name nothing."""
    from babelwire.cluster.warc import WARC_SUFFIXES, is_warc
    from babelwire.read.sources import STDIN, expand_inputs

    extensions = tuple(settings.extensions) + tuple({".warc", ".arc", ".gz", ".jsonl", ".ndjson"} - set(settings.extensions))
    shards: list[Shard] = []
    folders: dict[str, list[str]] = {}
    errors: list[ReadError] = []
    seen: set[str] = set()
    for item in expand_inputs(inputs, extensions):
        if isinstance(item, ReadError):
            errors.append(item)
            continue
        if item == STDIN:
            errors.append(ReadError("<stdin>", "a batch reads files, not standard input"))
            continue
        absolute = os.path.abspath(item)
        if absolute in seen:  # named twice (a folder and a glob): read once
            continue
        seen.add(absolute)
        lower = item.lower()
        if is_warc(lower):
            shards.append(Shard(shard_id("warc", item), "warc", (item,)))
        elif lower.endswith(JSONL_SUFFIXES):
            shards.append(Shard(shard_id("jsonl", item), "jsonl", (item,)))
        elif lower.endswith(".gz"):
            errors.append(ReadError(item, f"compressed file: only {', '.join(WARC_SUFFIXES + JSONL_SUFFIXES)} are read compressed"))
        else:
            folders.setdefault(os.path.dirname(absolute), []).append(item)
    for folder, paths in folders.items():
        shards.append(Shard(shard_id("files", folder), "files", tuple(paths)))
    return shards, errors


def shard_inputs(shard: Shard, settings) -> Iterator[RawInput | ReadError]:
    """The inputs of a shard, streamed in a stable order."""
    from babelwire.cluster.warc import warc_inputs

    if shard.kind == "warc":
        yield from warc_inputs(shard.paths[0], settings.max_bytes)
    elif shard.kind == "jsonl":
        yield from _jsonl_inputs(shard.paths[0], settings.max_bytes)
    else:
        for path in shard.paths:
            yield _file_input(path, settings.max_bytes)


def _file_input(path: str, max_bytes: int) -> RawInput | ReadError:
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            return ReadError(path, f"{size} bytes, larger than the limit of {max_bytes} bytes (raise read.max_bytes to read it)")
        with open(path, "rb") as handle:
            return RawInput(path, handle.read(), "file")
    except OSError as error:
        return ReadError(path, f"cannot be read: {error.strerror or error}")


def _jsonl_inputs(path: str, max_bytes: int) -> Iterator[RawInput | ReadError]:
    """One input per non-blank line, named path:LINE (lines counted from 1, as the JSONL reader does)."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                name = f"{path}:{number}"
                if len(line) > max_bytes:
                    yield ReadError(name, f"record larger than the limit of {max_bytes} bytes")
                    continue
                yield RawInput(name, line, "jsonl")
    except (OSError, EOFError) as error:  # unreadable, or a gzip file cut short
        yield ReadError(path, f"cannot be read to the end: {getattr(error, 'strerror', None) or error}")
