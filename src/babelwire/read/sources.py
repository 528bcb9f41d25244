"""Where inputs come from: files, folders (recursive), glob patterns and standard input.

Yields each input's name and bytes, or a ReadError for an input that cannot be had, so that a
batch goes on past it.
"""

from __future__ import annotations

import glob
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator, Sequence

from babelwire.read.errors import ReadError

STDIN = "-"


@dataclass(frozen=True)
class Source:
    name: str  # path as given, or "<stdin>"
    data: bytes


def _read_limited(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ReadError(name, f"larger than the limit of {max_bytes} bytes (raise read.max_bytes to read it)")
    return data


def _files_under(folder: Path, extensions: Sequence[str]) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for file_name in sorted(files):
            if not file_name.startswith(".") and Path(file_name).suffix.lower() in extensions:
                yield Path(root) / file_name


def expand_inputs(inputs: Sequence[str], extensions: Sequence[str]) -> Iterator[str | ReadError]:
    """Paths named by the inputs, in a stable order: folders walked, globs expanded."""
    for given in inputs:
        if given == STDIN:
            yield STDIN
            continue
        path = Path(given)
        if path.is_dir():
            found = False
            for file_path in _files_under(path, extensions):
                found = True
                yield str(file_path)
            if not found:
                yield ReadError(given, f"folder holds no files with the extensions {', '.join(extensions)}")
        elif path.exists():
            yield given
        elif glob.has_magic(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                yield ReadError(given, "pattern matches no file")
            for match in matches:
                if Path(match).is_file():
                    yield match
        else:
            yield ReadError(given, "no such file or folder")


def iter_sources(inputs: Sequence[str], extensions: Sequence[str], max_bytes: int, stdin: BinaryIO | None = None) -> Iterator[Source | ReadError]:
    for item in expand_inputs(inputs, extensions):
        if isinstance(item, ReadError):
            yield item
            continue
        try:
            if item == STDIN:
                stream = stdin if stdin is not None else sys.stdin.buffer
                yield Source("<stdin>", _read_limited(stream, "<stdin>", max_bytes))
                continue
            size = os.path.getsize(item)
            if size > max_bytes:
                raise ReadError(item, f"{size} bytes, larger than the limit of {max_bytes} bytes (raise read.max_bytes to read it)")
            with open(item, "rb") as handle:
                yield Source(item, _read_limited(handle, item, max_bytes))
        except ReadError as error:
            yield error
        except OSError as error:
            yield ReadError(item, f"cannot be read: {error.strerror or error}")
