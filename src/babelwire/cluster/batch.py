"""``babelwire batch``: a corpus too large for a database, analysed on a cluster into Parquet files.

The client streams the inputs shard by shard (JSON Lines and WARC files of any size, folders of
files), sends them to the workers in batches (reading and analysis happen there), and writes each
part of a shard as it completes: articles partitioned by language and date, rejects, then the
part's completion marker. Then the link stage runs over the whole batch (``cluster.links``):
duplicates, translation groups, stories.

Rerunning the same command finishes an interrupted batch: finished parts are skipped input by
input, an interrupted part is cleaned up and done again, and the link tables are rebuilt only when
there is something new. The same code runs on a laptop with ``--cluster local:1``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

from babelwire.cluster.dataset import BatchOutput, article_row
from babelwire.cluster.executor import DaskExecutor, cluster_client, parse_cluster
from babelwire.cluster.inputs import (
    RawInput,
    Shard,
    input_identity,
    plan_shards,
    shard_inputs,
)
from babelwire.config import Config
from babelwire.pipeline import Failure
from babelwire.read.errors import ReadError


class BatchError(Exception):
    """A batch that cannot go on (an input changed under a finished part, an unusable output folder)."""


@dataclass
class BatchSummary:
    inputs: int = 0  # inputs met in this run (those of finished parts not counted)
    articles: int = 0
    rejected: int = 0
    skipped: int = 0  # inputs already in finished parts
    parts_written: int = 0
    parts_cleaned: list[str] = field(default_factory=list)  # interrupted parts removed before starting again
    seconds: dict[str, float] = field(default_factory=dict)
    link: object | None = None  # LinkSummary
    rejects: list[tuple[str, str]] = field(default_factory=list)

    @property
    def adds_up(self) -> bool:
        return self.inputs == self.articles + self.rejected

    def lines(self) -> list[str]:
        analysis = self.seconds.get("analysis", 0.0)
        rate = self.articles / analysis if analysis else 0.0
        lines = [f"{self.inputs} inputs: {self.articles} articles, {self.rejected} rejected, {self.skipped} already done "
                 f"({self.parts_written} parts written) — analysis {analysis:.1f} s, {rate:.2f} articles/s"
                 + ("" if self.adds_up else " (COUNTS DO NOT ADD UP)")]
        if self.parts_cleaned:
            lines.append(f"interrupted parts cleaned up and done again: {', '.join(self.parts_cleaned)}")
        link = self.link
        if link is not None:
            if link.up_to_date:
                lines.append("links: up to date (nothing new since the last run)")
            else:
                timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in link.seconds.items())
                lines.append(f"links over {link.articles} articles: {link.duplicates} duplicates, {link.near_duplicates} "
                             f"near-duplicates, {link.translation_groups} translation groups ({link.translation_links} links), "
                             f"{link.stories} stories — {timing}")
        return lines


@dataclass
class _Part:
    id: str
    shard: Shard
    identities: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    rejects: list[tuple[str, str]] = field(default_factory=list)
    unresolved: int = 0  # inputs sent to the cluster, not back yet
    closed: bool = False  # every input of the part is known


def run_batch(inputs: Sequence[str], out_dir: str, config: Config | None = None, cluster: str = "local:1", *,
              part_size: int = 1000, batch_size: int = 8, link: bool = True, embedder=None,
              on_progress: Callable[[BatchSummary], None] | None = None, client=None) -> BatchSummary:
    """Analyses ``inputs`` on the cluster into ``out_dir`` (Parquet), then links the whole batch."""
    from babelwire.store.ingest import analysis_record, models_in_use

    config = config or Config()
    summary = BatchSummary()
    spec = parse_cluster(cluster)
    os.makedirs(out_dir, exist_ok=True)
    output = BatchOutput(out_dir)
    summary.parts_cleaned = output.remove_unfinished()
    shards, input_errors = plan_shards(inputs, config.read)
    output.write_input_errors([(error.name, error.problem) for error in input_errors])
    for error in input_errors:  # inputs that name no file: rejected in every run until they do
        summary.inputs += 1
        summary.rejected += 1
        summary.rejects.append((error.name, error.problem))
    done = output.done_parts()
    _check_unchanged(shards, done)
    models = models_in_use(config)
    parts: dict[str, _Part] = {}

    def finish_if_complete(part: _Part) -> None:
        if part.closed and part.unresolved == 0 and part.id in parts:
            extra = {"size": os.path.getsize(part.shard.paths[0])} if part.shard.kind != "files" else {}
            output.write_part(part.id, part.shard, part.rows, part.rejects, part.identities, extra)
            summary.parts_written += 1
            del parts[part.id]

    def reject(part: _Part, name: str, reason: str) -> None:
        part.rejects.append((name, reason))
        summary.rejected += 1
        summary.rejects.append((name, reason))

    def batches() -> Iterator[tuple[str, list]]:
        for shard in shards:
            finished = [marker for marker in done.values() if marker["shard"] == shard.id]
            seen = {identity for marker in finished for identity in marker["identities"]}
            number = 1 + max((int(marker["part"].rsplit("-", 1)[1]) for marker in finished), default=-1)
            part: _Part | None = None
            batch: list[RawInput] = []
            for item in shard_inputs(shard, config.read):
                identity = input_identity(item.name)
                if identity in seen:
                    summary.skipped += 1
                    continue
                if part is None:
                    part = _Part(f"{shard.id}-{number:05d}", shard)
                    parts[part.id] = part
                    number += 1
                part.identities.append(identity)
                summary.inputs += 1
                if isinstance(item, ReadError):
                    reject(part, item.name, item.problem)
                else:
                    batch.append(item)
                    part.unresolved += 1
                    if len(batch) >= batch_size:
                        yield part.id, batch
                        batch = []
                if len(part.identities) >= part_size:
                    if batch:
                        yield part.id, batch
                        batch = []
                    part.closed = True
                    finish_if_complete(part)
                    part = None
            if part is not None:
                if batch:
                    yield part.id, batch
                part.closed = True
                finish_if_complete(part)

    started = time.perf_counter()
    with _client(spec, client) as active:
        executor = DaskExecutor(spec, config, batch_size=batch_size, client=active)
        for part_id, items, results in executor.run_batches(batches()):
            part = parts[part_id]
            for item, item_results in zip(items, results):
                part.unresolved -= 1
                if not item_results:
                    reject(part, item.name, "no article in it")
                for result in item_results:
                    if isinstance(result, Failure):
                        reject(part, result.name, result.problem)
                    else:
                        key = result.metadata.path or item.name
                        part.rows.append(article_row(analysis_record(result, models), key, part.shard.id, part.id))
                        summary.articles += 1
            finish_if_complete(part)
            if on_progress:
                on_progress(summary)
        summary.seconds["analysis"] = round(time.perf_counter() - started, 3)
        if link:
            from babelwire.cluster.links import BatchLinkSettings, link_batch
            from babelwire.link.embeddings import Embedder

            settings = BatchLinkSettings.of(config)
            summary.link = link_batch(out_dir, active, settings, embedder or Embedder(settings.embedding))
    return summary


def _check_unchanged(shards: list[Shard], done: dict[str, dict]) -> None:
    """A JSONL or WARC file read into finished parts may have grown (its new records are new inputs)
    but not shrunk: then its lines or offsets no longer name what was read."""
    sizes: dict[str, int] = {}
    for marker in done.values():
        if "size" in marker:
            sizes[marker["shard"]] = max(marker["size"], sizes.get(marker["shard"], 0))
    for shard in shards:
        if shard.id in sizes and shard.kind != "files":
            try:
                size = os.path.getsize(shard.paths[0])
            except OSError:
                continue
            if size < sizes[shard.id]:
                raise BatchError(f"{shard.paths[0]} is smaller than when part of it was written ({sizes[shard.id]} bytes "
                                 f"then, {size} now): write the batch to a new --out folder")


class _client:
    """The given client, or one on the cluster for the length of the batch."""

    def __init__(self, spec, client):
        self.spec, self.client, self.context = spec, client, None

    def __enter__(self):
        if self.client is not None:
            return self.client
        self.context = cluster_client(self.spec)
        return self.context.__enter__()

    def __exit__(self, *exc):
        if self.context is not None:
            self.context.__exit__(*exc)
