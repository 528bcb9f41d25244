"""The corpus: ingest speed with 1 and 2 worker processes, database bytes per article, and search
latency at 10k and 100k stored articles, next to what a user would otherwise do, in one run.

    python benchmarks/corpus_bench.py [--articles 60] [--sizes 10000,100000] [--queries 40] [--out FILE]

1. Ingest: ML-Crisis posts (../shared/eval/stream/ml-crisis, es/fr/it/en) written out as text files
   and ingested with `babelwire ingest` semantics (analysis, all layers, links and stories, one
   transaction per batch) with --workers 1 and 2. Wall time includes starting the workers and loading
   the models in each; the steady rate is measured over the second half of the articles.
2. Bytes: the SQLite file (with WAL checkpointed) divided by the articles stored, next to the bytes
   of the articles' text alone.
3. Search: the stored ML-Crisis articles are replicated inside the database (SQL copies of the rows
   with a perturbation word appended, for speed only: their analyses are the originals') to 10k and
   100k articles. Full-text queries (words drawn from the corpus, seeded), an entity query across
   languages and filtered queries are timed through `Store.search` (FTS5, bm25 ranking, first page
   of 20); next to them, the same words with a LIKE scan over the clean text (what a user without a
   full-text index would write), on a sample of the queries.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(HERE))

from stories_bench import CRISIS, load_crisis  # noqa: E402

from babelwire.config import Config  # noqa: E402
from babelwire.store.database import SearchFilters, Store  # noqa: E402
from babelwire.store.ingest import ingest  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def write_inputs(documents: list[dict], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, document in enumerate(documents):
        path = folder / f"{index:05d}_{document['lang']}.txt"
        path.write_text(document["body"], encoding="utf-8")
        paths.append(path)
    return paths


def database_bytes(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def measure_ingest(inputs: Path, workers: int, workdir: Path) -> dict:
    db = workdir / f"ingest-{workers}.db"
    store = Store(str(db))
    stamps: list[tuple[float, int]] = []
    started = time.perf_counter()
    summary = ingest([str(inputs)], Config(), store, workers=workers, batch_size=10,
                     on_progress=lambda s: stamps.append((time.perf_counter(), s.stored)))
    wall = time.perf_counter() - started
    # Steady rate: the second half of the articles, when every worker has loaded its models.
    half = summary.stored // 2
    middle = next((t for t, stored in stamps if stored >= half), started)
    steady = (summary.stored - half) / (stamps[-1][0] - middle) if stamps and stamps[-1][0] > middle else 0.0
    text_bytes = sum(len(p.read_bytes()) for p in inputs.glob("*.txt"))
    return {"workers": workers, "stored": summary.stored, "rejected": summary.rejected, "wall_s": round(wall, 1),
            "articles_per_s_wall": round(summary.stored / wall, 3), "articles_per_s_steady": round(steady, 3),
            "db_bytes": database_bytes(db), "text_bytes": text_bytes, "db": str(db)}


ARTICLE_COLUMNS = ("clean_hash", "external_id", "title", "language", "published", "published_source", "source", "url",
                   "text", "clean_text", "analysis", "foreign_share", "debris_count", "source_path", "reader",
                   "babelwire_version", "models", "ingested_at", "analysed_at")


def grow(db: Path, target: int, base_ids: list[int], rng: random.Random) -> float:
    """Copies the base articles inside the database until it holds ``target`` articles; seconds."""
    started = time.perf_counter()
    with sqlite3.connect(db) as connection:
        count = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        columns = ", ".join(ARTICLE_COLUMNS)
        copied = ", ".join("clean_text || ' ' || :word" if c == "clean_text" else "text || ' ' || :word" if c == "text" else c
                           for c in ARTICLE_COLUMNS)
        round_number = 0
        while count < target:
            round_number += 1
            for base in base_ids:
                if count >= target:
                    break
                word = f"perturbation{rng.randrange(10 ** 9)}"
                cursor = connection.execute(
                    f"INSERT INTO articles (content_hash, {columns}) SELECT :hash, {copied} FROM articles WHERE id = :id",
                    {"hash": f"copy-{round_number}-{base}-{word}", "word": word, "id": base})
                new_id = cursor.lastrowid
                connection.execute("INSERT INTO article_search(rowid, title, body) SELECT id, coalesce(title, ''), clean_text FROM articles WHERE id = :id", {"id": new_id})
                connection.execute("INSERT INTO article_entities (article_id, entity_id, mentions) SELECT :new, entity_id, mentions FROM article_entities WHERE article_id = :id",
                                   {"new": new_id, "id": base})
                count += 1
        connection.commit()
    return time.perf_counter() - started


def query_words(store: Store, rng: random.Random, count: int) -> list[str]:
    with sqlite3.connect(store.engine.url.database) as connection:
        texts = [row[0] for row in connection.execute("SELECT clean_text FROM articles ORDER BY id LIMIT 400")]
    words = sorted({w for text in texts for w in re.findall(r"\b[^\W\d_]{6,}\b", text.lower())})
    return rng.sample(words, min(count, len(words)))


def time_search(store: Store, filters: list[SearchFilters]) -> list[float]:
    times = []
    for item in filters:
        started = time.perf_counter()
        store.search(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def time_like(db: Path, words: list[str]) -> list[float]:
    times = []
    with sqlite3.connect(db) as connection:
        for word in words:
            started = time.perf_counter()
            connection.execute("SELECT id, title FROM articles WHERE clean_text LIKE :pattern ORDER BY published DESC LIMIT 20",
                               {"pattern": f"%{word}%"}).fetchall()
            connection.execute("SELECT count(*) FROM articles WHERE clean_text LIKE :pattern", {"pattern": f"%{word}%"}).fetchone()
            times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=60, help="ML-Crisis articles ingested for the ingest figures")
    parser.add_argument("--sizes", default="10000,100000", help="corpus sizes for search latency")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--like-queries", type=int, default=8, help="queries timed with the LIKE scan (it is slow)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    if not CRISIS.exists():
        print(f"{CRISIS} is absent: the evaluation data (../shared) is needed", file=sys.stderr)
        return 1
    rng = random.Random(args.seed)
    documents = load_crisis()
    rng.shuffle(documents)
    sample = documents[:args.articles]
    workdir = Path(tempfile.mkdtemp(prefix="babelwire-corpus-bench-"))
    result: dict = {"articles": len(sample)}
    try:
        inputs = workdir / "inputs"
        write_inputs(sample, inputs)
        print(f"ingest of {len(sample)} ML-Crisis articles (all layers, links, stories; batches of 10):")
        runs = [measure_ingest(inputs, workers, workdir) for workers in (1, 2)]
        for run in runs:
            print(f"  --workers {run['workers']}: {run['stored']} stored, wall {run['wall_s']} s "
                  f"({run['articles_per_s_wall']} articles/s with start-up), steady {run['articles_per_s_steady']} articles/s")
        if runs[0]["articles_per_s_steady"]:
            print(f"  2 workers / 1 worker: steady {runs[1]['articles_per_s_steady'] / runs[0]['articles_per_s_steady']:.2f}×, "
                  f"wall {runs[0]['wall_s'] / runs[1]['wall_s']:.2f}× (2 cores, shared machine)")
        one = runs[0]
        per_article = one["db_bytes"] / max(1, one["stored"])
        print(f"database bytes per article: {per_article:,.0f} (article text alone: {one['text_bytes'] / max(1, one['stored']):,.0f}; "
              f"{per_article / max(1, one['text_bytes'] / max(1, one['stored'])):.1f}× the text: every layer, links, embedding, MinHash)")
        result["ingest"] = runs
        result["bytes_per_article"] = round(per_article)

        db = Path(one["db"])
        store = Store(str(db))
        base_ids = store.article_ids()
        words = query_words(store, rng, args.queries)
        entity = (store.top_entities(1) or [{"name": None}])[0]["name"]
        result["search"] = []
        for size in sorted(int(s) for s in args.sizes.split(",") if s):
            seconds = grow(db, size, base_ids, rng)
            store = Store(str(db))
            filters = [SearchFilters(query=word) for word in words]
            filters += [SearchFilters(query=word, sort="date", language="es") for word in words[:10]]
            if entity:
                filters += [SearchFilters(entity=entity)] * 5
            store.search(filters[0])  # warm the page cache once
            fts = time_search(store, filters)
            like = time_like(db, words[:args.like_queries])
            row = {"articles": size, "grow_s": round(seconds, 1), "queries": len(fts),
                   "fts_p50_ms": round(statistics.median(fts), 2), "fts_p95_ms": round(percentile(fts, 0.95), 2),
                   "like_p50_ms": round(statistics.median(like), 2), "like_p95_ms": round(percentile(like, 0.95), 2),
                   "db_bytes": database_bytes(db)}
            result["search"].append(row)
            print(f"search at {size:,} articles ({len(fts)} queries: words, words+language by date, entity '{entity}'): "
                  f"p50 {row['fts_p50_ms']} ms, p95 {row['fts_p95_ms']} ms; LIKE scan ({len(like)} words) p50 {row['like_p50_ms']} ms, "
                  f"p95 {row['like_p95_ms']} ms → FTS {row['like_p50_ms'] / max(row['fts_p50_ms'], 1e-6):.0f}× faster at the median")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
