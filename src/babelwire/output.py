"""The analysis as JSON: the output contract, described by schema/analysis.schema.json."""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from typing import Any

from babelwire import __version__
from babelwire.model import SCHEMA_VERSION, Document


def document_to_dict(document: Document) -> dict[str, Any]:
    metadata = asdict(document.metadata)
    for key in ("title_span", "slug_span", "tag_span"):
        metadata[key] = list(metadata[key]) if metadata[key] else None
    return {
        "schema_version": SCHEMA_VERSION,
        "babelwire_version": __version__,
        "id": document.id,
        "text": document.text,
        "clean_text": document.clean_text,
        "language": document.language,
        "language_confidence": document.language_confidence,
        "metadata": metadata,
        "segments": [asdict(segment) for segment in document.segments],
        "debris": [asdict(item) for item in document.debris],
        "edits": [asdict(edit) for edit in sorted(document.edits, key=lambda e: (e.start, e.end))],
        "published": asdict(document.published),
        "entities": [asdict(entity) for entity in document.entities],
        "mentions": [asdict(mention) for mention in document.mentions],
        "times": [asdict(time) for time in document.times],
        "quotes": [asdict(quote) for quote in document.quotes],
        "figures": [asdict(figure) for figure in document.figures],
        "diagnostics": document.diagnostics,
        "notes": list(document.notes),
    }


def to_json(document: Document, indent: int | None = None) -> str:
    return json.dumps(document_to_dict(document), ensure_ascii=False, indent=indent)


def analysis_schema() -> dict[str, Any]:
    return json.loads(resources.files("babelwire").joinpath("schema/analysis.schema.json").read_text("utf-8"))
