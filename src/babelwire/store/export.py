"""Export stored articles with every layer: JSON Lines (one analysis per line, as ``babelwire show
--json`` prints it) or Parquet (one row per article; the layers as JSON text columns, so any Parquet
reader gets them without babelwire's types)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any, Iterator

from babelwire.store.database import SearchFilters, Store

# Layers written as JSON text columns in Parquet.
LAYER_COLUMNS = ("metadata", "edits", "segments", "debris", "entities", "mentions", "times", "quotes",
                 "figures", "diagnostics", "links", "provenance", "notes")
FORMATS = ("jsonl", "parquet")


def matching_records(store: Store, filters: SearchFilters) -> Iterator[dict[str, Any]]:
    """Every stored article the filters match, with its layers and links, page by page."""
    filters = dataclasses.replace(filters, per_page=200, page=1)
    while True:
        page = store.search(filters)
        for item in page.items:
            record = store.article(item["id"])
            if record is not None:
                yield record
        if page.page * page.per_page >= page.total:
            return
        filters = dataclasses.replace(filters, page=filters.page + 1)


def export(store: Store, filters: SearchFilters, output: Path, file_format: str) -> int:
    """Writes the matching articles to ``output``; returns how many."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown export format {file_format!r}; expected one of {', '.join(FORMATS)}")
    records = matching_records(store, filters)
    if file_format == "jsonl":
        count = 0
        with open(output, "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        return count
    return _write_parquet(records, output)


def _parquet_row(record: dict[str, Any]) -> dict[str, Any]:
    metadata = record.get("metadata") or {}
    row = {
        "article_id": record["article_id"], "title": metadata.get("title"), "language": record.get("language"),
        "published": (record.get("published") or {}).get("value"), "source": metadata.get("source"),
        "url": metadata.get("url"), "story_id": record.get("story_id"), "text": record.get("text"),
        "clean_text": record.get("clean_text"), "babelwire_version": record.get("babelwire_version"),
    }
    for layer in LAYER_COLUMNS:
        row[layer] = json.dumps(record.get(layer), ensure_ascii=False)
    row["date_of_writing"] = json.dumps(record.get("published"), ensure_ascii=False)  # value, source, evidence
    return row


def _write_parquet(records: Iterator[dict[str, Any]], output: Path, rows_per_group: int = 1000) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("article_id", pa.int64()), ("title", pa.string()), ("language", pa.string()),
                        ("published", pa.string()), ("source", pa.string()), ("url", pa.string()),
                        ("story_id", pa.string()), ("text", pa.string()), ("clean_text", pa.string()),
                        ("babelwire_version", pa.string())] + [(layer, pa.string()) for layer in LAYER_COLUMNS]
                       + [("date_of_writing", pa.string())])
    count = 0
    with pq.ParquetWriter(str(output), schema) as writer:
        chunk: list[dict[str, Any]] = []
        for record in records:
            chunk.append(_parquet_row(record))
            if len(chunk) >= rows_per_group:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count += len(chunk)
                chunk = []
        if chunk:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count
