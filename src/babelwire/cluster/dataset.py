"""A batch's output on disk: Parquet datasets, written part by part, each part exactly once.

Layout of ``OUT``::

    articles/language=fr/date=2025-03-13/<part>-0.parquet   one row per analysed article (hive partitions;
                                                             an undated article is in date=__HIVE_DEFAULT_PARTITION__)
    rejects/<part>.parquet                                   inputs that could not be read or analysed, with why
    _parts/<part>.json                                       completion marker of a part (its inputs, counts, files)
    signatures/…                                             link-stage fingerprints, one file per article file
    links.parquet, translation_groups.parquet, stories.parquet

A *part* is up to ``part_size`` inputs of one shard, named ``<shard>-<number>``. It is written
under a ``.started`` marker, then its completion marker replaces it: a part interrupted half-way
(its ``.started`` without a ``.json``) has its files removed before anything else is written, and a
rerun skips every input listed in a completion marker. So a batch can be killed at any moment and
rerun: nothing is lost and nothing is written twice.

Each article row holds the ids, the metadata, the original and the clean text as columns, and every
layer as a JSON string column (``segments_json``, ``mentions_json`` …; the objects of the analysis
output contract). ``record_from_row`` turns a row back into the analysis dict.
"""

from __future__ import annotations

import glob
import json
import os
import re
import time
from typing import Any, Iterable

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

PARTITIONS = ("language", "date")
JSON_LAYERS = ("metadata", "segments", "debris", "edits", "published", "entities", "mentions", "times", "quotes",
               "figures", "diagnostics", "notes", "provenance")

ARTICLE_SCHEMA = pa.schema([
    ("key", pa.string()),  # the input it was read from (path, path:LINE, path:OFFSET): unique in a batch
    ("article_id", pa.string()),  # the article's own id, or a hash of its text (as in the analysis output)
    ("shard", pa.string()),
    ("part", pa.string()),
    ("title", pa.string()),
    ("url", pa.string()),
    ("source", pa.string()),
    ("author", pa.string()),
    ("published", pa.string()),  # the date of writing found by the analysis (ISO 8601), or null
    ("language_confidence", pa.float64()),
    ("entity_ids", pa.list_(pa.string())),
    ("text", pa.string()),
    ("clean_text", pa.string()),
    ("schema_version", pa.string()),
    ("babelwire_version", pa.string()),
    *[(f"{layer}_json", pa.string()) for layer in JSON_LAYERS],
    ("language", pa.string()),
    ("date", pa.string()),
])
PARTITIONING = pads.partitioning(pa.schema([("language", pa.string()), ("date", pa.string())]), flavor="hive")
REJECT_SCHEMA = pa.schema([("key", pa.string()), ("reason", pa.string()), ("shard", pa.string()), ("part", pa.string())])
_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def partition_date(published: str | None) -> str | None:
    match = _DAY.match(published or "")
    return match.group() if match else None


def article_row(record: dict[str, Any], key: str, shard: str, part: str) -> dict[str, Any]:
    """One Parquet row from an analysis record (``analysis_record``: the output contract + provenance)."""
    metadata = record.get("metadata") or {}
    published = (record.get("published") or {}).get("value")
    row = {
        "key": key, "article_id": str(record.get("id")), "shard": shard, "part": part,
        "title": metadata.get("title"), "url": metadata.get("url"), "source": metadata.get("source") or metadata.get("tag"),
        "author": metadata.get("author"), "published": published,
        "language_confidence": record.get("language_confidence"),
        "entity_ids": sorted({entity["id"] for entity in record.get("entities") or [] if entity.get("id")}),
        "text": record.get("text"), "clean_text": record.get("clean_text"),
        "schema_version": record.get("schema_version"), "babelwire_version": record.get("babelwire_version"),
        "language": record.get("language") or "und", "date": partition_date(published),
    }
    for layer in JSON_LAYERS:
        row[f"{layer}_json"] = json.dumps(record.get(layer), ensure_ascii=False)
    return row


def record_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The analysis dict (the output contract, with provenance) of an article row."""
    record = {
        "schema_version": row["schema_version"], "babelwire_version": row["babelwire_version"],
        "id": row["article_id"], "text": row["text"], "clean_text": row["clean_text"],
        "language": row["language"], "language_confidence": row["language_confidence"],
    }
    for layer in JSON_LAYERS:
        record[layer] = json.loads(row[f"{layer}_json"])
    return record


def articles_dataset(out_dir: str, files: Iterable[str] | None = None) -> pads.Dataset:
    """The articles of a batch as a pyarrow dataset (language and date as string columns)."""
    base = os.path.join(out_dir, "articles")
    if files is not None:
        return pads.dataset([os.path.join(base, f) for f in files], schema=ARTICLE_SCHEMA, format="parquet",
                            partitioning=PARTITIONING, partition_base_dir=base)
    return pads.dataset(base, schema=ARTICLE_SCHEMA, format="parquet", partitioning=PARTITIONING)


def write_atomically(path: str, write) -> None:
    """``write(temporary_path)``, then the file takes its name in one rename: never half a file."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    temporary = f"{path}.tmp-{os.getpid()}"
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_json(path: str, value: Any) -> None:
    def write(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(value, handle, ensure_ascii=False, indent=1)

    write_atomically(path, write)


class BatchOutput:
    """The output folder of a batch: which parts are done, and writing a part exactly once."""

    def __init__(self, out_dir: str):
        self.out_dir = out_dir
        self.parts_dir = os.path.join(out_dir, "_parts")
        os.makedirs(self.parts_dir, exist_ok=True)

    def _marker(self, part: str, suffix: str) -> str:
        return os.path.join(self.parts_dir, f"{part}.{suffix}")

    def done_parts(self) -> dict[str, dict]:
        done = {}
        for path in sorted(glob.glob(os.path.join(self.parts_dir, "*.json"))):
            with open(path, encoding="utf-8") as handle:
                marker = json.load(handle)
            done[marker["part"]] = marker
        return done

    def remove_unfinished(self) -> list[str]:
        """Removes what interrupted parts wrote (parts started, never marked done); returns them."""
        removed = []
        for started in sorted(glob.glob(os.path.join(self.parts_dir, "*.started"))):
            part = os.path.basename(started)[:-len(".started")]
            if not os.path.exists(self._marker(part, "json")):
                for leftover in glob.glob(os.path.join(self.out_dir, "articles", "**", f"{part}-*.parquet"), recursive=True):
                    os.remove(leftover)
                rejects = os.path.join(self.out_dir, "rejects", f"{part}.parquet")
                if os.path.exists(rejects):
                    os.remove(rejects)
                removed.append(part)
            os.remove(started)
        return removed

    def write_part(self, part: str, shard, rows: list[dict], rejects: list[tuple[str, str]],
                   identities: list[str], extra: dict | None = None) -> dict:
        """Writes a part's articles and rejects, then its completion marker; returns the marker."""
        started = time.perf_counter()
        with open(self._marker(part, "started"), "w", encoding="utf-8") as handle:
            handle.write(part)
        files: list[str] = []
        if rows:
            table = pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)
            base = os.path.join(self.out_dir, "articles")
            written: list[str] = []
            pads.write_dataset(table, base, format="parquet", partitioning=PARTITIONING,
                               basename_template=f"{part}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore",
                               file_visitor=lambda written_file: written.append(written_file.path))
            files = sorted(os.path.relpath(path, base) for path in written)
        if rejects:
            table = pa.Table.from_pylist([{"key": key, "reason": reason, "shard": shard.id, "part": part} for key, reason in rejects],
                                         schema=REJECT_SCHEMA)
            write_atomically(os.path.join(self.out_dir, "rejects", f"{part}.parquet"), lambda path: pq.write_table(table, path))
        marker = {
            "part": part, "shard": shard.id, "kind": shard.kind, "source": shard.label,
            "inputs": len(identities), "articles": len(rows), "rejects": len(rejects), "files": files,
            "identities": identities, "written_seconds": round(time.perf_counter() - started, 3),
            "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **(extra or {}),
        }
        write_json(self._marker(part, "json"), marker)
        os.remove(self._marker(part, "started"))
        return marker

    def article_files(self) -> list[str]:
        """Article files of the finished parts, relative to ``articles/``."""
        return sorted(f for marker in self.done_parts().values() for f in marker["files"])

    def write_input_errors(self, errors: list[tuple[str, str]]) -> None:
        """Inputs that name no file (this run's), as rejects of the pseudo-part ``_inputs``."""
        path = os.path.join(self.out_dir, "rejects", "_inputs.parquet")
        if not errors:
            if os.path.exists(path):
                os.remove(path)
            return
        table = pa.Table.from_pylist([{"key": key, "reason": reason, "shard": "", "part": "_inputs"} for key, reason in errors],
                                     schema=REJECT_SCHEMA)
        write_atomically(path, lambda temporary: pq.write_table(table, temporary))


def read_rejects(out_dir: str) -> pa.Table:
    files = sorted(glob.glob(os.path.join(out_dir, "rejects", "*.parquet")))
    if not files:
        return REJECT_SCHEMA.empty_table()
    return pa.concat_tables([pq.read_table(f, schema=REJECT_SCHEMA) for f in files])
