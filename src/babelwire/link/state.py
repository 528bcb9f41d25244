"""Saving the link stage's index states as bytes: JSON metadata plus numpy arrays, no pickle, so a
stored state can be loaded without trusting it to run code."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np


def pack_state(meta: dict[str, Any], **arrays: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8), **arrays)
    return buffer.getvalue()


def unpack_state(data: bytes, expected_format: str, *names: str) -> tuple[dict[str, Any], list[np.ndarray]]:
    """(metadata, arrays by name); ValueError when the bytes are not a state of that format."""
    with np.load(io.BytesIO(data), allow_pickle=False) as stored:
        meta = json.loads(stored["meta"].tobytes().decode("utf-8"))
        arrays = [stored[name] for name in names]
    if meta.get("format") != expected_format:
        raise ValueError(f"not a {expected_format} state: {meta.get('format')!r}")
    return meta, arrays
