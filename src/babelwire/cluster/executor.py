"""The analysis on a Dask cluster: documents go to dask.distributed workers in batches, results come
back as they complete.

Each worker builds the analysis pipeline once, when it joins (a worker plugin), and keeps it: the
models load once per worker process, whatever the number of batches it analyses. A batch is one
Dask task. When a worker dies mid-batch the scheduler gives the task to another worker (up to
``distributed.scheduler.allowed-failures`` deaths, 3 by default); a task that raises is retried
(``retries``). A batch that fails for good is tried again document by document, so that one
document that kills its worker does not take the others down with it; a document that still fails
comes back as a ``Failure`` with the reason. Nothing is silently lost: every item given to ``run``
comes back exactly once, as results or as a Failure.

The cluster is named by a string: ``local:N`` starts a LocalCluster of N single-threaded worker
processes on this machine for the length of the run; ``tcp://HOST:PORT`` (or ``HOST:PORT``) connects
to a running scheduler.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from babelwire.config import Config
from babelwire.model import Document
from babelwire.pipeline import Failure, LocalExecutor, analysis_pipeline

try:  # the plugin base class, so that the scheduler treats the plugin as a worker plugin
    from distributed import WorkerPlugin as _WorkerPluginBase
except ImportError:  # dask is an optional dependency; the error comes when a cluster is opened
    _WorkerPluginBase = object



# One sentence per language of the shipped examples (written for babelwire): analysing them once
# loads a worker's models, so that timings and the first real batch do not pay for loading.
WARM_UP_TEXTS = {
    "fr": "Le maire de Lyon, Jean Dupont, a rencontré mardi les pompiers de la ville.",
    "es": "La alcaldesa de Sevilla, Ana García, visitó el martes el nuevo hospital.",
    "de": "Der Bürgermeister von Graz, Peter Huber, besuchte am Dienstag die Feuerwehr.",
    "en": "The mayor of Leeds, John Smith, visited the fire station on Tuesday.",
    "it": "Il sindaco di Bari, Marco Rossi, ha visitato martedì la caserma dei pompieri.",
    "pt": "O presidente da câmara do Porto, Rui Costa, visitou na terça-feira os bombeiros.",
    "ru": "Мэр Казани Иван Петров во вторник посетил пожарную часть.",
}


def warm_up_documents() -> list[Document]:
    from babelwire.read import read_text

    return [read_text(text, name=f"warm-up-{language}") for language, text in WARM_UP_TEXTS.items()]

class ClusterError(Exception):
    """A cluster that cannot be started or reached, or a spec that names none."""


@dataclass(frozen=True)
class ClusterSpec:
    local_workers: int | None  # local:N
    address: str | None  # tcp://HOST:PORT

    def __str__(self) -> str:
        return f"local:{self.local_workers}" if self.local_workers else str(self.address)


def parse_cluster(spec: str) -> ClusterSpec:
    """``local:N`` or a scheduler address (``tcp://HOST:PORT``, ``tls://…``, ``HOST:PORT``)."""
    spec = (spec or "").strip()
    if spec == "local" or spec.startswith("local:"):
        count = spec.partition(":")[2] or "1"
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"cluster {spec!r}: local:N needs a number of workers N ≥ 1")
        return ClusterSpec(int(count), None)
    if "://" in spec:
        return ClusterSpec(None, spec)
    host, _, port = spec.rpartition(":")
    if host and port.isdigit():
        return ClusterSpec(None, f"tcp://{spec}")
    raise ClusterError(f"cluster {spec!r}: expected local:N or a scheduler address like tcp://HOST:8786")


@contextmanager
def cluster_client(spec: str | ClusterSpec, *, wait_seconds: float = 120.0):
    """A dask.distributed Client on the cluster named by ``spec``; a local cluster is closed after."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError("dask.distributed is not installed: pip install 'dask[distributed]'") from None
    parsed = spec if isinstance(spec, ClusterSpec) else parse_cluster(spec)
    cluster = None
    try:
        if parsed.local_workers:
            # Single-threaded worker processes: the analysis holds the GIL, so a thread more per
            # process would only contend; one process per core is the unit of parallelism.
            cluster = LocalCluster(n_workers=parsed.local_workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0")  # any free port: two local clusters may run at once
            client = Client(cluster)
        else:
            client = Client(parsed.address, timeout=f"{int(wait_seconds)}s")
    except (OSError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        raise ClusterError(f"cluster {parsed}: cannot connect: {error}") from None
    try:
        if parsed.address:
            try:
                client.wait_for_workers(1, timeout=wait_seconds)
            except TimeoutError:
                raise ClusterError(f"cluster {parsed}: no worker joined the scheduler in {wait_seconds:.0f} s") from None
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# --- on the workers ------------------------------------------------------------------------------
def plugin_name(config: Config) -> str:
    """One plugin (one pipeline) per configuration: two jobs with other settings can share workers."""
    from babelwire import __version__

    digest = hashlib.sha1(repr((config, __version__)).encode("utf-8")).hexdigest()[:12]
    return f"babelwire-pipeline-{digest}"


class PipelinePlugin(_WorkerPluginBase):
    """Builds the analysis pipeline on each worker when it joins (and when a restarted one joins again)."""

    idempotent = True  # registered again by a later job with the same settings: nothing to redo

    def __init__(self, config: Config, version: str):
        self.config = config
        self.version = version
        self.executor: LocalExecutor | None = None

    async def setup(self, worker) -> None:
        from babelwire import __version__

        if __version__ != self.version:
            raise RuntimeError(f"babelwire {__version__} on worker {worker.address}, {self.version} on the client: "
                               "install the same version everywhere")
        # Built in a thread: the imports take seconds and the worker must keep answering the scheduler.
        pipeline = await asyncio.get_running_loop().run_in_executor(None, analysis_pipeline, self.config)
        self.executor = LocalExecutor(pipeline)

    def teardown(self, worker) -> None:
        self.executor = None


@dataclass
class BatchResult:
    """What a worker sends back for one batch: per item, its results, and who did the work."""

    results: list[list[Document | Failure]]
    worker: str
    pid: int
    seconds: float


def analyse_items(items: list, config: Config, name: str) -> BatchResult:
    """The task: reads (when given raw inputs) and analyses a batch on a worker."""
    from babelwire.cluster.inputs import RawInput, read_raw
    from babelwire.read import ReadError

    started = time.perf_counter()
    executor = None
    address = ""
    try:
        from distributed import get_worker

        worker = get_worker()
        address = worker.address
        plugin = worker.plugins.get(name)
        executor = getattr(plugin, "executor", None)
    except (ImportError, ValueError):  # run outside a worker (tests, a plain function call)
        pass
    executor = executor or LocalExecutor(analysis_pipeline(config))  # the plugin not set up yet: same cache
    results: list[list[Document | Failure]] = []
    for item in items:
        documents = read_raw(item, config.read) if isinstance(item, RawInput) else [item]
        item_results: list[Document | Failure] = []
        for document in documents:
            if isinstance(document, ReadError):
                item_results.append(Failure(document.name, document.problem))
                continue
            for result in executor.run([document]):
                if isinstance(result, Document):
                    result._clean_cache = None  # derived from the edits: rebuilt where it is needed
                item_results.append(result)
        results.append(item_results)
    return BatchResult(results, address, os.getpid(), time.perf_counter() - started)


# --- on the client -------------------------------------------------------------------------------
def item_name(item) -> str:
    """The name a Failure gets for an item: its path or location."""
    if isinstance(item, Document):
        return item.metadata.path or item.id
    return getattr(item, "name", None) or repr(item)[:80]


@dataclass
class ExecutorStats:
    batches: int = 0
    split_batches: int = 0  # batches that failed for good and were tried again item by item
    failed_items: int = 0  # items that came back as a Failure from the cluster (not from the analysis)
    done_by: dict[str, str] = field(default_factory=dict)  # task key -> worker address that finished it
    task_seconds: float = 0.0


class DaskExecutor:
    """Runs the analysis pipeline on a Dask cluster.

    ``DaskExecutor("local:2", config)`` or ``DaskExecutor("tcp://10.0.0.5:8786", config)``; use it as
    a context manager (or call ``close``). ``run(documents)`` yields a Document or a Failure per
    document, in the order they complete.
    """

    task: Callable[..., BatchResult] = staticmethod(analyse_items)  # what a worker runs for a batch

    def __init__(self, cluster: str | ClusterSpec, config: Config, *, batch_size: int = 8, retries: int = 2,
                 in_flight_per_thread: int = 2, client=None, wait_seconds: float = 120.0):
        if getattr(config.identity, "learn", False):
            raise ClusterError("identity.learn writes one names file: learn on one machine, not on a cluster")
        self.spec = cluster if isinstance(cluster, ClusterSpec) else parse_cluster(cluster)
        self.config = config
        self.batch_size = max(1, batch_size)
        self.retries = retries
        self.in_flight_per_thread = max(1, in_flight_per_thread)
        self.stats = ExecutorStats()
        self._wait_seconds = wait_seconds
        self._token = uuid.uuid4().hex[:8]
        self._numbers = itertools.count()
        self._context = None
        self.client = client
        if client is None:
            self._context = cluster_client(self.spec, wait_seconds=wait_seconds)
            self.client = self._context.__enter__()
        self.plugin_name = self.plugin_key()
        self._register_plugin()

    def plugin_key(self) -> str:
        return plugin_name(self.config)

    def worker_plugin(self):
        from babelwire import __version__

        return PipelinePlugin(self.config, __version__)

    def _register_plugin(self) -> None:
        try:
            self.client.register_plugin(self.worker_plugin(), name=self.plugin_name)
        except Exception as error:
            self.close()
            raise ClusterError(f"cluster {self.spec}: the workers could not set up the pipeline: {error}") from None

    def close(self) -> None:
        if self._context is not None:
            context, self._context = self._context, None
            context.__exit__(None, None, None)

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- running ---------------------------------------------------------------------------
    def run(self, documents: Iterable[Document]) -> Iterator[Document | Failure]:
        """A Document or a Failure for each document, as batches complete."""
        def batches() -> Iterator[tuple[None, list]]:
            batch: list[Document] = []
            for document in documents:
                document._clean_cache = None  # the text, metadata and reader's edits travel, not the cache
                batch.append(document)
                if len(batch) >= self.batch_size:
                    yield None, batch
                    batch = []
            if batch:
                yield None, batch

        for _, _, results in self.run_batches(batches()):
            for item_results in results:
                yield from item_results

    def _in_flight_limit(self) -> int:
        threads = sum(self.client.nthreads().values())
        return max(2, self.in_flight_per_thread * threads + 1)

    def run_batches(self, batches: Iterable[tuple[Any, list]]) -> Iterator[tuple[Any, list, list[list[Document | Failure]]]]:
        """For each (tag, items) batch: (tag, items, results per item), as batches complete.

        A batch that fails for good comes back in pieces (its items tried one by one), each piece
        with the same tag; every item comes back exactly once.
        """
        from distributed import as_completed

        source = iter(batches)
        waiting: dict[str, tuple[Any, list, bool, Any]] = {}  # task key -> (tag, items, tried alone, future)
        retry_alone: list[tuple[Any, list]] = []
        completed = as_completed()
        limit = self._in_flight_limit()
        checked = time.monotonic()
        exhausted = False

        def submit(tag, items: list, alone: bool) -> None:
            key = f"babelwire-analyse-{self._token}-{next(self._numbers)}"
            future = self.client.submit(type(self).task, items, self.config, self.plugin_name, key=key,
                                        retries=self.retries, pure=False)
            waiting[key] = (tag, items, alone, future)
            completed.add(future)

        def fill() -> None:
            nonlocal exhausted
            while len(waiting) < limit:
                if retry_alone:
                    tag, items = retry_alone.pop(0)
                    submit(tag, items, True)
                    continue
                if exhausted:
                    return
                try:
                    tag, items = next(source)
                except StopIteration:
                    exhausted = True
                    return
                if items:
                    submit(tag, list(items), False)

        try:
            fill()
            while waiting:
                future = next(completed)
                tag, items, alone, _ = waiting.pop(future.key)
                try:
                    result: BatchResult = future.result()
                except Exception as error:  # KilledWorker, an exception past its retries, a lost scheduler
                    if not alone and len(items) > 1:
                        self.stats.split_batches += 1
                        retry_alone.extend((tag, [item]) for item in items)
                    else:
                        reason = f"analysis failed on the cluster: {type(error).__name__}: {error}"
                        self.stats.failed_items += len(items)
                        yield tag, items, [[Failure(item_name(item), reason)] for item in items]
                else:
                    self.stats.batches += 1
                    self.stats.done_by[future.key] = result.worker
                    self.stats.task_seconds += result.seconds
                    yield tag, items, result.results
                finally:
                    future.release()
                if time.monotonic() - checked > 5:  # workers come and go: follow the cluster's size
                    limit, checked = self._in_flight_limit(), time.monotonic()
                fill()
        finally:
            if waiting:  # the caller stopped early: leave nothing running for it
                self.client.cancel([future for *_, future in waiting.values()], force=True)
                waiting.clear()


def analysed_on_cluster(documents: Iterable[Document], config: Config, cluster: str,
                        batch_size: int = 8) -> Iterator[Document | Failure]:
    """``ingest.analysed`` on a Dask cluster: a Document or a Failure per document, as they complete."""
    with DaskExecutor(cluster, config, batch_size=batch_size) as executor:
        yield from executor.run(documents)
