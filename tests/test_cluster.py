"""The analysis on a Dask cluster (babelwire.cluster): a scheduler and workers started as separate
processes on loopback, with one of them killed mid-batch; a LocalCluster running `batch` on the
examples corpus into Parquet (examples/manifest.json is the ground truth for copies, translation
groups and stories); the WARC reader, the streaming of JSON Lines, and the cross-partition
duplicate detection checked against the single-machine index.

Model loading dominates the time (each worker process loads the language models once), so the
killed-worker test uses a subset of the examples whose languages need the fewest models."""

from __future__ import annotations

import gzip
import io
import json
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from conftest import EXAMPLES
from distributed import WorkerPlugin

from babelwire.cluster import ClusterError, DaskExecutor, parse_cluster
from babelwire.cluster.dataset import (
    BatchOutput,
    article_row,
    articles_dataset,
    read_rejects,
    record_from_row,
)
from babelwire.cluster.executor import BatchResult, analyse_items, cluster_client
from babelwire.cluster.inputs import RawInput, plan_shards, read_raw, shard_inputs
from babelwire.cluster.links import (
    Fingerprints,
    duplicate_pairs,
    fingerprint_of,
    lsh_bands,
    signature_from_json,
    signature_to_json,
    translation_candidates,
)
from babelwire.cluster.warc import read_warc, warc_inputs
from babelwire.config import Config, ReadSettings
from babelwire.output import document_to_dict
from babelwire.pipeline import Failure

DASK = Path(sys.executable).with_name("dask")
# A subset of the examples whose languages (de, en, it, pt) load the fewest models.
SUBSET = ["de-03_donau-passau.txt", "de-05_passau-katastrophenfall.txt", "de-07_datenleck-lumora.txt",
          "en-02_lumora-ransom.txt", "it-01_incendio-gallura.txt", "it-02_catarino-juventus.txt",
          "pt-01_catarino-juventus.txt", "pt-04_juventus-paga.txt"]

# Pages written for these tests (fiction): a harbour story, a republished copy of it, and a notice.
HARBOUR_HTML = (
    "<html><head><title>Harbour cranes | Port Gazette</title></head><body><nav>Home News Sport</nav>"
    "<article><h1>Storm stops the cranes of Kelvar harbour</h1>"
    "<p>The container cranes of Kelvar harbour stood still on Tuesday after a storm damaged two of the six "
    "gantries overnight, the port authority said in a statement.</p>"
    "<p>Engineers expect repairs to take about a week. Until then, ships bound for the container terminal are "
    "being sent to the northern quay, where smaller cranes can unload about 400 containers a day.</p>"
    "<p>Dock workers said the storm was the strongest since 2019, when a crane arm fell onto an empty barge.</p>"
    "</article><footer>Port Gazette 2025</footer></body></html>")
HARBOUR_COPY_HTML = HARBOUR_HTML.replace("Storm stops the cranes", "Cranes halted by storm").replace(
    "Port Gazette", "Coast Daily").replace("about a week", "around a week")
NOTICE_TEXT = ("Library opening hours\n\nThe town library of Kelvar will open at nine on weekdays from next month, "
               "an hour earlier than now, and will stay closed on Sunday afternoons during the summer.")
FEED_LINE = {"id": "extra-1", "title": "Ferry timetable changes in Kelvar",
             "text": "The ferry between Kelvar and the islands will leave twenty minutes later from Monday, the "
                     "operator said, because the harbour's northern quay is busy with container ships.",
             "published": "2025-05-20", "language": "en", "source": "Port Gazette"}


# --- helpers ------------------------------------------------------------------------------
def write_warc(path: Path, pages: list[tuple[str, str, bytes]], compressed: bool) -> list[int]:
    """A WARC file of HTTP responses (status, content type, body); returns the record offsets."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    offsets = []
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=compressed)
        for number, (status, content_type, body) in enumerate(pages):
            offsets.append(handle.tell())
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://example.org/page/{number}", "response",
                                                          payload=io.BytesIO(body), http_headers=headers))
    return offsets


def comparable(record: dict) -> dict:
    """An analysis without what depends on where and when it was stored (and the input's path)."""
    kept = {key: value for key, value in record.items()
            if key not in ("provenance", "article_id", "story_id", "links", "babelwire_version")}
    kept["metadata"] = {key: value for key, value in record["metadata"].items() if key != "path"}
    return kept


def manifest_entries() -> dict[str, dict]:
    manifest = json.loads((EXAMPLES / "manifest.json").read_text(encoding="utf-8"))
    return {(f"{e['path']}#{e['id']}" if e.get("id") else e["path"]): e for e in manifest}


def manifest_key(key: str, article_id: str) -> str:
    """The manifest's name of a batch row: its path under examples/, with #id for a feed line."""
    relative = key.split("examples/", 1)[1]
    path, _, line = relative.rpartition(":")
    return f"{path}#{article_id}" if path.endswith(".jsonl") and line.isdigit() else relative


def original_of(key: str, entries: dict) -> str:
    while entries[key]["relation"] in ("translation-of", "near-copy-of") and entries[key]["relation_to"] in entries:
        key = entries[key]["relation_to"]
    return key


@lru_cache(maxsize=1)
def local_analyses() -> dict[str, dict]:
    """The single-process analysis (LocalExecutor) of the subset, by file name."""
    from babelwire.pipeline import LocalExecutor, analysis_pipeline
    from babelwire.read import read_inputs

    config = Config()
    paths = [str(EXAMPLES / "articles" / name) for name in SUBSET]
    results = {}
    for document in LocalExecutor(analysis_pipeline(config)).run(d for d in read_inputs(paths, config.read)):
        results[Path(document.metadata.path).name] = document_to_dict(document)
    return results




@pytest.fixture(scope="module", autouse=True)
def local_cluster():
    """A LocalCluster of one single-threaded worker process, shared by the tests of this module. It
    starts with the module and loads its models (a first analysis in each language) while the other
    tests run."""
    from babelwire.cluster.executor import warm_up_documents

    with cluster_client("local:1") as client:
        warming = client.submit(analyse_items, warm_up_documents(), Config(), "no-plugin", pure=False)
        yield client
        warming.cancel()


# --- cluster specs ---------------------------------------------------------------------------
def test_cluster_specs_name_a_local_cluster_or_a_scheduler():
    assert parse_cluster("local:3").local_workers == 3
    assert parse_cluster("local").local_workers == 1
    assert parse_cluster("tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"
    assert parse_cluster("scheduler.example.org:8786").address == "tcp://scheduler.example.org:8786"
    for bad in ("local:0", "local:two", "nowhere", ""):
        with pytest.raises(ClusterError):
            parse_cluster(bad)


def test_a_scheduler_that_does_not_answer_is_a_cluster_error():
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ClusterError, match="cannot connect"):
        with cluster_client(f"tcp://127.0.0.1:{port}", wait_seconds=2):
            pass


def test_batch_command_reports_a_bad_cluster_and_exits_1(tmp_path, capsys):
    from babelwire.cli import main

    assert main(["batch", str(EXAMPLES / "articles"), "--out", str(tmp_path / "out"), "--cluster", "local:zero"]) == 1
    assert "local:N needs a number of workers" in capsys.readouterr().err


# --- reading: WARC and JSON Lines ------------------------------------------------------------
@pytest.mark.parametrize("compressed", [True, False])
def test_warc_pages_are_inputs_and_a_broken_record_is_named_by_its_offset(tmp_path, compressed):
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    offsets = write_warc(path, [
        ("200 OK", "text/html; charset=utf-8", HARBOUR_HTML.encode("utf-8")),
        ("404 Not Found", "text/html", b"<html><body>gone</body></html>"),
        ("200 OK", "text/plain", NOTICE_TEXT.encode("utf-8")),
        ("200 OK", "image/png", b"\x89PNG\r\n\x1a\n0000"),
        ("200 OK", "text/html", HARBOUR_COPY_HTML.encode("utf-8")),
    ], compressed)
    items = list(warc_inputs(str(path), 10_000_000))
    assert [(item.name, item.kind, item.url) for item in items] == [
        (f"{path}:{offsets[0]}", "html", "https://example.org/page/0"),
        (f"{path}:{offsets[2]}", "text", "https://example.org/page/2"),
        (f"{path}:{offsets[4]}", "html", "https://example.org/page/4"),
    ]
    # Damage the notice's record and cut the file inside the last one: the first page is still read,
    # the broken record and the cut one are ReadErrors named by their offsets.
    data = bytearray(path.read_bytes())
    data[offsets[2] + 2:offsets[2] + 30] = b"#" * 28
    broken = tmp_path / ("broken.warc.gz" if compressed else "broken.warc")
    broken.write_bytes(bytes(data[:offsets[4] + 60]))
    found = list(warc_inputs(str(broken), 10_000_000))
    assert isinstance(found[0], RawInput) and found[0].name == f"{broken}:{offsets[0]}"
    errors = [item for item in found if not isinstance(item, RawInput)]
    assert [error.name for error in errors] == [f"{broken}:{offsets[2]}", f"{broken}:{offsets[4]}"]
    assert all(error.problem.startswith("broken WARC record") for error in errors)
    # Read here: the HTML goes through the HTML reader (headline, body), with the crawled URL.
    documents = list(read_warc(str(path), ReadSettings()))
    assert documents[0].metadata.title == "Storm stops the cranes of Kelvar harbour"
    assert documents[0].metadata.url == "https://example.org/page/0"
    assert "Home News Sport" not in documents[0].text and "Engineers expect repairs" in documents[0].text
    assert documents[1].metadata.title == "Library opening hours"


def test_jsonl_shards_are_streamed_line_by_line_with_broken_lines_named(tmp_path):
    good = json.dumps(FEED_LINE)
    feed = tmp_path / "feed.jsonl.gz"
    with gzip.open(feed, "wt", encoding="utf-8") as handle:
        handle.write(good + "\n\n{not json\n" + json.dumps(["a list"]) + "\n")
    (shard,), errors = plan_shards([str(feed)], ReadSettings())
    assert shard.kind == "jsonl" and errors == []
    items = list(shard_inputs(shard, ReadSettings()))
    assert [item.name for item in items] == [f"{feed}:1", f"{feed}:3", f"{feed}:4"]
    results = [read_raw(item, ReadSettings()) for item in items]
    (document,), (bad_json,), (not_object,) = results
    assert document.metadata.id == "extra-1" and document.metadata.published == "2025-05-20"
    assert bad_json.name == f"{feed}:3" and "invalid JSON" in bad_json.problem
    assert not_object.problem == "a record must be a JSON object"


def test_shards_are_files_by_kind_and_folders_and_unknown_inputs_are_reported(tmp_path):
    (tmp_path / "a.txt").write_text("One article.\n\nIts body.", encoding="utf-8")
    (tmp_path / "b.html").write_text(HARBOUR_HTML, encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps(FEED_LINE) + "\n", encoding="utf-8")
    (tmp_path / "d.txt.gz").write_bytes(gzip.compress(b"text"))
    shards, errors = plan_shards([str(tmp_path), str(tmp_path / "a.txt"), str(tmp_path / "missing.jsonl")], ReadSettings())
    kinds = sorted((shard.kind, len(shard.paths)) for shard in shards)
    assert kinds == [("files", 2), ("jsonl", 1)]  # a.txt named twice is read once
    assert sorted(Path(error.name).name for error in errors) == ["d.txt.gz", "missing.jsonl"]
    # Shard ids depend on the absolute path, not on how it was written.
    again, _ = plan_shards([os.path.relpath(tmp_path)], ReadSettings())
    assert {s.id for s in again} == {s.id for s in shards}


# --- the Parquet rows -------------------------------------------------------------------------
def test_article_row_holds_every_layer_and_gives_the_analysis_back():
    from babelwire import analyze
    from babelwire.store.ingest import analysis_record

    document = analyze("A short article.\n\nThe mayor of Leeds spoke on Tuesday 3 June 2025 to 300 people in the town "
                       "hall about the new tram line.", title="A short article", published="2025-06-03")
    # What travels to and from the workers: a Document pickles, layers and all.
    assert pickle.loads(pickle.dumps(document)) == document
    record = analysis_record(document, {"spacy": "test"})
    row = article_row(record, "feeds/x.jsonl:3", "jsonl-0", "jsonl-0-00000")
    assert (row["language"], row["date"], row["published"]) == ("en", "2025-06-03", "2025-06-03")
    assert row["entity_ids"] == sorted({e["id"] for e in record["entities"]})
    assert record_from_row(row) == record


def test_an_interrupted_part_is_removed_before_the_batch_goes_on(tmp_path):
    output = BatchOutput(str(tmp_path))
    leftover = tmp_path / "articles" / "language=en" / "date=2025-01-01" / "files-abc-00003-0.parquet"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a file")
    (tmp_path / "_parts" / "files-abc-00003.started").write_text("files-abc-00003")
    kept = tmp_path / "articles" / "language=en" / "date=2025-01-01" / "files-abc-00002-0.parquet"
    kept.write_bytes(b"a finished part's file")
    (tmp_path / "_parts" / "files-abc-00002.json").write_text(json.dumps({"part": "files-abc-00002", "shard": "files-abc"}))
    assert output.remove_unfinished() == ["files-abc-00003"]
    assert not leftover.exists() and kept.exists()
    assert list(output.done_parts()) == ["files-abc-00002"]


def test_fingerprints_are_the_same_whether_workers_read_the_files_or_the_rows_travel(local_cluster, tmp_path, monkeypatch):
    """Stage 1 on workers that see the output folder (they read and write the files) and on workers
    that do not (the rows go through the client)."""
    from babelwire import analyze
    from babelwire.cluster import links
    from babelwire.cluster.inputs import Shard
    from babelwire.store.ingest import analysis_record

    record = analysis_record(analyze("A short article.\n\nThe mayor of Leeds spoke on Tuesday 3 June 2025 to 300 people in "
                                     "the town hall about the new tram line.", title="A short article",
                                     published="2025-06-03"), {})
    settings = links.BatchLinkSettings.of(Config())
    tables = []
    for shared in (True, False):
        out = tmp_path / f"shared-{shared}"
        shard = Shard("files-test", "files", ("x",))
        rows = [article_row(record, f"page-{n}.txt", shard.id, "files-test-00000") for n in range(3)]
        BatchOutput(str(out)).write_part("files-test-00000", shard, rows, [], [r["key"] for r in rows])
        monkeypatch.setattr(links, "workers_see", lambda out_dir, client, shared=shared: shared)
        files = BatchOutput(str(out)).article_files()
        assert links.fingerprint_partitions(str(out), files, local_cluster, settings, None) == 3
        tables.append(links.Fingerprints.load(str(out), files))
    shared_prints, travelled = tables
    assert shared_prints.keys == travelled.keys == ["page-0.txt", "page-1.txt", "page-2.txt"]
    for field in ("exact", "minhash", "bands", "signature_json", "dates"):
        assert getattr(shared_prints, field) == getattr(travelled, field), field
    assert shared_prints.minhash[0] is not None and shared_prints.dates == ["2025-06-03"] * 3
    # And a local cluster's workers do see this machine's folders.
    monkeypatch.undo()
    assert links.workers_see(str(tmp_path), local_cluster)


# --- duplicates across partitions = the single-machine index ----------------------------------
def _pseudo_articles(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(id, language, body): random word articles, with exact copies, edited copies and cut copies."""
    generator = random.Random(seed)
    vocabulary = ["".join(generator.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(generator.randint(3, 9)))
                  for _ in range(3000)]
    articles = []
    for number in range(count):
        language = generator.choice(["fr", "de", "es"])
        words = [generator.choice(vocabulary) for _ in range(generator.randint(60, 200))]
        articles.append((f"a{number:03d}", language, words))
        if number % 5 == 0:  # an edited copy: a few words changed
            edited = [w if generator.random() > 0.04 else generator.choice(vocabulary) for w in words]
            articles.append((f"a{number:03d}-edited", language, edited))
        if number % 7 == 0:  # the same text again, with other white space
            articles.append((f"a{number:03d}-same", language, list(words)))
        if number % 9 == 0:  # cut short
            articles.append((f"a{number:03d}-cut", language, words[:int(len(words) * 0.6)]))
        if number % 11 == 0:  # the same words under another language's label: never a copy
            articles.append((f"a{number:03d}-other", "it" if language != "it" else "pt", words))
    return [(key, language, " ".join(words) if not key.endswith("-same") else "  ".join(words)) for key, language, words in articles]


def test_band_buckets_merged_across_partitions_find_what_the_sequential_index_finds():
    from babelwire.link.duplicates import DuplicateSettings, duplicate_links
    from babelwire.link.signature import signature_from_text

    settings = DuplicateSettings()
    # Copies keep the original's title (an exact copy is the same clean text); the same words under
    # another language's label get their own title, so only the language keeps them apart.
    signatures = [signature_from_text(key, body, language, published="2025-03-01",
                                      title=f"Title {key if key.endswith('-other') else key.split('-')[0]}")
                  for key, language, body in _pseudo_articles(120)]
    bands = lsh_bands(settings)
    rows = [{"key": s.article_id, "language": s.language, "date": "2025-03-01", **fingerprint_of(s, settings, bands),
             "embedding": None, "signature_json": signature_to_json(s)} for s in signatures]
    prints = Fingerprints.from_rows(rows)
    found = duplicate_pairs(prints, settings)
    order = {key: i for i, key in enumerate(prints.keys)}
    expected = duplicate_links(sorted(signatures, key=lambda s: order[s.article_id]), settings)
    assert {(link["a"], link["b"], link["kind"]) for link in found} == {(link.a, link.b, link.kind) for link in expected}
    kinds = {link["kind"] for link in found}
    assert kinds == {"duplicate", "near-duplicate"}
    assert not any(link["b"].endswith("-other") for link in found)
    # The signature travels between stages as JSON without its clean text.
    again = signature_from_json(signature_to_json(signatures[0]))
    assert again == replace(signatures[0], clean_text="")


def test_translation_candidates_stay_within_the_date_window_and_across_languages():
    vectors = np.array([[1, 0], [1, 0], [1, 0], [1, 0], [0, 1]], dtype=np.float32)
    languages = np.array(["fr", "de", "es", "fr", "de"], dtype=object)
    dates = ["2025-01-01", "2025-01-05", "2025-01-20", None, "2025-01-01"]
    pairs = {(int(i), int(j)) for i, j, _ in translation_candidates(vectors, languages, dates, 0.9, 7)}
    # 0-1 (4 days apart), 1-3 and 2-3 (3 is undated: compared with all), 0-2 too far apart, 0-3 same language,
    # 4 is far in embedding.
    assert pairs == {(0, 1), (1, 3), (2, 3)}


# --- a real scheduler and workers as separate processes, one killed mid-batch -----------------
@pytest.fixture
def scheduler_and_workers(tmp_path):
    """`dask scheduler` and two `dask worker` processes (no nanny: a killed worker stays dead)."""
    scheduler_file = tmp_path / "scheduler.json"
    environment = dict(os.environ, OMP_NUM_THREADS="1", OMP_WAIT_POLICY="passive")
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], env=environment,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert scheduler_file.exists(), "the scheduler did not start"
        for number in range(2):
            processes.append(subprocess.Popen([str(DASK), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                                               "--no-nanny", "--no-dashboard", "--host", "127.0.0.1", "--name", f"worker-{number}"],
                                              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        yield json.loads(scheduler_file.read_text())["address"]
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_ingest_on_a_cluster_stores_every_input_once_when_a_worker_is_killed_mid_batch(
        scheduler_and_workers, tmp_path, monkeypatch):
    from distributed import Client

    from babelwire.store import ingest as ingest_module
    from babelwire.store.database import Store

    address = scheduler_and_workers
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for name in SUBSET:
        shutil.copy(EXAMPLES / "articles" / name, inputs / name)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02 not text \x00" * 20)
    (inputs / "feed.jsonl").write_text('{"id": "x", "text": 42}\n', encoding="utf-8")

    watcher = Client(address, timeout="60s")
    try:
        watcher.wait_for_workers(2, timeout=120)
        pids = watcher.run(os.getpid)  # worker address -> process id
        executors: list[DaskExecutor] = []
        killed: dict[str, list] = {}

        def on_cluster(documents, config, workers):
            executor = DaskExecutor(address, config, batch_size=1)
            executors.append(executor)
            with executor:
                yield from executor.run(documents)

        def kill_a_busy_worker(summary) -> None:
            if killed or summary.stored < 1:
                return
            busy = {worker: keys for worker, keys in watcher.processing().items() if keys}
            if busy:
                victim = sorted(busy)[0]
                os.kill(pids[victim], signal.SIGKILL)
                killed[victim] = list(busy[victim])

        monkeypatch.setattr(ingest_module, "analysed", on_cluster)
        config = replace(Config(), link=replace(Config().link, enabled=False))  # the analysis is what is tested
        store = Store(f"sqlite:///{tmp_path / 'corpus.db'}")
        summary = ingest_module.ingest([str(inputs)], config, store, batch_size=3, on_progress=kill_a_busy_worker)
    finally:
        watcher.close()

    assert killed, "no worker was busy when the first article came back"
    (victim, its_tasks), = killed.items()
    (executor,) = executors
    # The tasks the killed worker held were finished by the other worker, once each.
    assert its_tasks and all(executor.stats.done_by[key] not in (victim, None) for key in its_tasks)
    assert summary.adds_up and summary.inputs == len(SUBSET) + 3
    assert (summary.stored, summary.rejected) == (len(SUBSET), 3)
    assert sorted(Path(path).name for path, _ in summary.rejects) == ["binary.txt", "empty.txt", "feed.jsonl:1"]
    stored = [store.article(article_id) for article_id in store.article_ids()]
    assert sorted(Path(record["metadata"]["path"]).name for record in stored) == sorted(SUBSET)
    assert {row["path"] for row in store.rejects()} == {path for path, _ in summary.rejects}
    # What the cluster computed is what one process computes.
    for record in stored:
        assert comparable(record) == comparable(local_analyses()[Path(record["metadata"]["path"]).name])


# --- the executor: a batch that fails for good ------------------------------------------------
class _NoPlugin(WorkerPlugin):
    """Nothing to load: the task below needs no model."""

    idempotent = True


def _fails_on_poison(items, config, name) -> BatchResult:
    if any("POISON" in item.text for item in items):
        raise RuntimeError("this batch cannot be analysed")
    return BatchResult([[item] for item in items], "test", os.getpid(), 0.0)


class _PoisonExecutor(DaskExecutor):
    task = staticmethod(_fails_on_poison)

    def plugin_key(self) -> str:
        return "babelwire-test-no-models"

    def worker_plugin(self):
        return _NoPlugin()


def test_a_batch_that_fails_for_good_is_tried_item_by_item_and_only_the_bad_one_fails(local_cluster):
    from babelwire.read import read_text

    documents = [read_text(f"Article number {n}.", name=f"doc-{n}") for n in range(7)]
    documents[4] = read_text("POISON in this one.", name="doc-4")
    executor = _PoisonExecutor("local:1", Config(), batch_size=3, retries=0, client=local_cluster)
    results = list(executor.run(documents))
    names = sorted(getattr(r, "name", None) or r.metadata.path for r in results)
    assert names == [f"doc-{n}" for n in range(7)]  # every document back exactly once
    (failure,) = [r for r in results if isinstance(r, Failure)]
    assert failure.name == "doc-4"
    assert "RuntimeError: this batch cannot be analysed" in failure.problem
    assert executor.stats.split_batches == 1 and executor.stats.failed_items == 1


# --- batch: Parquet, links and stories over the examples, interrupted and resumed -------------
class _Interrupt(Exception):
    pass


def test_batch_writes_the_partitioned_dataset_finds_the_examples_links_and_resumes(local_cluster, tmp_path):
    crawl = tmp_path / "crawl.warc.gz"
    offsets = write_warc(crawl, [("200 OK", "text/html", HARBOUR_HTML.encode("utf-8")),
                                 ("200 OK", "text/html", HARBOUR_COPY_HTML.encode("utf-8")),
                                 ("200 OK", "text/plain", NOTICE_TEXT.encode("utf-8"))], True)
    data = bytearray(crawl.read_bytes())
    data[offsets[2] + 2:offsets[2] + 30] = b"#" * 28  # the notice's record is broken
    crawl.write_bytes(bytes(data))
    out = tmp_path / "out"
    inputs = [str(EXAMPLES), str(crawl)]
    from babelwire.cluster.batch import run_batch

    def stop_after_two_parts(summary) -> None:
        if summary.parts_written >= 2:
            raise _Interrupt()

    with pytest.raises(_Interrupt):  # the client dies mid-batch: some parts written, others not
        run_batch(inputs, str(out), Config(), "local:1", client=local_cluster, part_size=8, batch_size=4,
                  on_progress=stop_after_two_parts)
    first_parts = {path.name: path.stat().st_mtime_ns for path in (out / "_parts").glob("*.json")}
    assert len(first_parts) >= 2 and not (out / "links.parquet").exists()

    summary = run_batch(inputs, str(out), Config(), "local:1", client=local_cluster, part_size=8, batch_size=4)
    # Finished parts were kept as they were; the rest was done now; every input exactly once.
    assert {name: (out / "_parts" / name).stat().st_mtime_ns for name in first_parts} == first_parts
    table = articles_dataset(str(out)).to_table()
    rows = table.to_pylist()
    keys = [row["key"] for row in rows]
    assert len(keys) == len(set(keys)) == 42 + 2
    assert summary.skipped + summary.inputs == 42 + 3 and summary.adds_up
    (reject,) = read_rejects(str(out)).to_pylist()
    assert reject["key"] == f"{crawl}:{offsets[2]}" and reject["reason"].startswith("broken WARC record")

    # Partitioned by language and date (hive), an undated article under the default partition.
    folders = {str(path.relative_to(out / "articles").parent) for path in (out / "articles").rglob("*.parquet")}
    assert "language=fr/date=2025-03-13" in folders and "language=de/date=2025-05-19" in folders
    assert any(folder.endswith("date=__HIVE_DEFAULT_PARTITION__") for folder in folders)
    # The workers' analyses are the single-process ones.
    by_name = {Path(row["key"]).name: row for row in rows}
    for name, analysis in local_analyses().items():
        assert comparable(record_from_row(by_name[name])) == comparable(analysis), name

    # Links against examples/manifest.json.
    entries = manifest_entries()
    name_of = {row["key"]: manifest_key(row["key"], row["article_id"]) for row in rows if "examples/" in row["key"]}
    links = pq.read_table(out / "links.parquet").to_pylist()
    copies = {frozenset((name_of.get(l["a"], l["a"]), name_of.get(l["b"], l["b"]))) for l in links
              if l["kind"] in ("duplicate", "near-duplicate")}
    expected_copies = {frozenset((key, e["relation_to"])) for key, e in entries.items() if e["relation"] == "near-copy-of"}
    harbour_pair = frozenset((f"{crawl}:{offsets[0]}", f"{crawl}:{offsets[1]}"))
    assert copies == expected_copies | {harbour_pair}
    groups = pq.read_table(out / "translation_groups.parquet").to_pylist()
    expected_groups = defaultdict(set)
    for key in entries:
        expected_groups[original_of(key, entries)].add(key)
    assert sorted(sorted(name_of[m] for m in g["members"]) for g in groups) == \
        sorted(sorted(members) for members in expected_groups.values() if len({entries[m]["language"] for m in members}) > 1)
    assert all(json.loads(l["evidence_json"]) for l in links if l["kind"] == "translation")
    stories = pq.read_table(out / "stories.parquet").to_pylist()
    found_stories = sorted(sorted(name_of[e["key"]] for e in s["timeline"] if e["key"] in name_of) for s in stories)
    expected_stories = defaultdict(set)
    for key, entry in entries.items():
        expected_stories[entry["story"]].add(key)
    assert [s for s in found_stories if s] == sorted(sorted(members) for members in expected_stories.values())

    # Run again: nothing to do, nothing rewritten.
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    again = run_batch(inputs, str(out), Config(), "local:1", client=local_cluster, part_size=8, batch_size=4)
    assert (again.inputs, again.articles, again.skipped, again.parts_written) == (0, 0, 45, 0)
    assert again.link.up_to_date
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == before
