"""The corpus store on PostgreSQL next to SQLite, in one run: how fast each stores analysed
articles, how many bytes an article takes, and how fast each answers searches.

    python benchmarks/store_bench.py [--limit 3000] [--batch-size 50] [--repeats 15] [--pg-url URL] [--out FILE]

Storage, not analysis, is measured: the shipped examples (42 articles, 7 languages) are analysed once
(`analysis_record`, time shown apart), then replicated to ``--limit`` records with perturbed text (a
few words swapped for words of other articles, a serial mark so each is a new article), spread dates
and sources. The same records are saved into a new SQLite file and a new PostgreSQL database with
`Store.save_batch` in batches (each batch into one then the other, so the shared machine's noise
falls on both), link stage off (``linker=None``): articles/s (total, and the median batch), bytes
per article (database growth over the empty migrated database), then search latency (`Store.search`,
first page of 20, p50/p95 over ``--repeats`` runs, each query on both in turn) of full-text queries
drawn from the corpus (words, phrases, OR, exclusion, with filters) and of filter-only queries, with
how many articles each backend found.

PostgreSQL: ``--pg-url`` (an empty database), or a throwaway server started from the local binaries
(tests/postgres.py; `apt-get install postgresql postgresql-contrib`) with ``synchronous_commit=off``,
the durability of SQLite's WAL with synchronous=NORMAL (a crash may lose the last commits, never
corrupt). PostgreSQL's statistics are refreshed (ANALYZE, as autovacuum would) before searching.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "tests"))

from babelwire.config import Config  # noqa: E402
from babelwire.store.database import SearchFilters, Store  # noqa: E402

EXAMPLES = REPO / "examples"
SOURCES = [f"Source {letter}" for letter in "ABCDEFGHIJKLMNOPQRST"]
WORD = re.compile(r"\w{6,}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def analysed_examples() -> tuple[list[dict], float]:
    from babelwire.pipeline import Failure, LocalExecutor, analysis_pipeline
    from babelwire.read import ReadError, read_inputs
    from babelwire.store.ingest import analysis_record, models_in_use

    config = Config()
    started = time.perf_counter()
    documents = [item for item in read_inputs([str(EXAMPLES)], config.read) if not isinstance(item, ReadError)]
    models = models_in_use(config)
    records = [analysis_record(result, models) for result in LocalExecutor(analysis_pipeline(config)).run(documents)
               if not isinstance(result, Failure)]
    return records, time.perf_counter() - started


def perturbed(text: str, pool: list[str], rng: random.Random, share: float = 0.03) -> str:
    parts = re.split(r"(\s+)", text)
    for index in range(0, len(parts), 2):
        if parts[index] and rng.random() < share:
            parts[index] = rng.choice(pool)
    return "".join(parts)


def replicas(records: list[dict], count: int, seed: int = 7) -> list[dict]:
    """``count`` records made from the analysed ones: new words here and there, a serial mark, a
    date within two years and one of twenty sources."""
    rng = random.Random(seed)
    pool = sorted({word for record in records for word in WORD.findall(record["clean_text"])})
    made = []
    for serial in range(count):
        record = records[serial % len(records)]
        mark = f"\n\nRef. bw{serial:07d}"
        day = f"2024-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}" if rng.random() < 0.5 else f"2025-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
        copy = dict(record)
        copy["text"] = perturbed(record["text"], pool, rng) + mark
        copy["clean_text"] = perturbed(record["clean_text"], pool, rng) + mark
        copy["metadata"] = dict(record["metadata"], source=rng.choice(SOURCES), id=f"bench-{serial}")
        copy["published"] = dict(record["published"], value=None if rng.random() < 0.05 else day)
        copy["provenance"] = {"path": f"bench/{serial:07d}.txt", "models": record["provenance"].get("models", {})}
        made.append(copy)
    return made


def queries_from(records: list[dict], seed: int = 11) -> list[tuple[str, SearchFilters]]:
    """Searches a reader would make of this corpus: title words, a phrase, alternatives, an
    exclusion, with and without filters, plus filter-only listings."""
    rng = random.Random(seed)
    titles = [(record["language"], WORD.findall(record["metadata"].get("title") or "")) for record in records]
    titles = [(language, words) for language, words in titles if len(words) >= 2]
    chosen = rng.sample(titles, 4)
    (l1, w1), (l2, w2), (l3, w3), (l4, w4) = chosen
    return [
        ("word", SearchFilters(query=w1[0])),
        ("two words", SearchFilters(query=f"{w2[0]} {w2[1]}")),
        ("phrase", SearchFilters(query=f'"{w3[0]} {w3[1]}"' if len(w3) > 1 else w3[0])),
        ("OR", SearchFilters(query=f"{w1[0]} OR {w4[0]}")),
        ("exclusion", SearchFilters(query=f"{w2[0]} -{w1[0]}")),
        ("word, language, dates", SearchFilters(query=w4[0], language=l4, date_from="2024-06-01", date_to="2025-06")),
        ("word by date", SearchFilters(query=w3[0], sort="date")),
        ("language by date", SearchFilters(language=l1, sort="date")),
        ("source and dates", SearchFilters(source=SOURCES[3], date_from="2025-01-01", sort="date")),
    ]


def store_records(backends: dict[str, Store], records: list[dict], batch_size: int) -> dict[str, dict]:
    """Saves each batch into every backend in turn (the machine's noise falls on both alike)."""
    seconds = {name: 0.0 for name in backends}
    rates: dict[str, list[float]] = {name: [] for name in backends}
    for start in range(0, len(records), batch_size):
        batch = records[start:start + batch_size]
        for name, store in backends.items():
            began = time.perf_counter()
            store.save_batch(batch, linker=None)
            took = time.perf_counter() - began
            seconds[name] += took
            rates[name].append(len(batch) / took)
    return {name: {"articles": len(records), "seconds": round(seconds[name], 2), "articles_per_s": round(len(records) / seconds[name], 1),
                   "median_batch_articles_per_s": round(statistics.median(rates[name]), 1)} for name in backends}


def sqlite_bytes(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def postgres_bytes(store: Store) -> int:
    from sqlalchemy import text

    with store.engine.connect() as connection:
        return connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one()


def postgres_breakdown(store: Store) -> dict:
    from sqlalchemy import text

    with store.engine.connect() as connection:
        row = connection.execute(text(
            "SELECT pg_relation_size('articles'), pg_total_relation_size('articles') - pg_relation_size('articles') - pg_indexes_size('articles'), "
            "pg_indexes_size('articles'), pg_relation_size('ix_articles_search_vector')")).one()
    return {"heap": row[0], "toast": row[1], "indexes": row[2], "search_index": row[3]}


def time_searches(store: Store, queries: list[tuple[str, SearchFilters]], repeats: int) -> dict:
    results = {}
    for name, filters in queries:
        store.search(filters)  # warm the caches once
        timings = []
        for _ in range(repeats):
            began = time.perf_counter()
            page = store.search(filters)
            timings.append((time.perf_counter() - began) * 1000)
        results[name] = {"total": page.total, "p50_ms": round(percentile(timings, 0.5), 2), "p95_ms": round(percentile(timings, 0.95), 2), "all": timings}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=3000, help="articles stored in each backend")
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=15, help="runs of each search")
    parser.add_argument("--pg-url", help="an empty PostgreSQL database (default: a throwaway server)")
    parser.add_argument("--out", help="write the figures as JSON here")
    args = parser.parse_args()

    server = None
    pg_url = args.pg_url
    if not pg_url:
        from postgres import start_server

        try:
            server = start_server(settings=("synchronous_commit=off",))
        except RuntimeError as problem:
            print(f"store_bench: no PostgreSQL to compare with: {problem} (or pass --pg-url)", file=sys.stderr)
            return 1
        pg_url = server.create_database("store_bench")
    try:
        return run(args, pg_url, "throwaway server, synchronous_commit=off" if server else "--pg-url")
    finally:
        if server is not None:
            server.stop()


def run(args: argparse.Namespace, pg_url: str, pg_origin: str) -> int:
    from sqlalchemy import text

    records, analysis_seconds = analysed_examples()
    print(f"analysed {len(records)} examples once in {analysis_seconds:.1f} s (not part of the figures); "
          f"replicated to {args.limit} records, batches of {args.batch_size}, link stage off")
    made = replicas(records, args.limit)
    queries = queries_from(records)
    text_bytes = sum(len(record["text"].encode("utf-8")) for record in made) / len(made)
    figures: dict = {"articles": args.limit, "batch_size": args.batch_size, "text_bytes_per_article": round(text_bytes)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        backends = {"sqlite": Store(str(path)), "postgresql": Store(pg_url)}
        with backends["postgresql"].engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar_one()
        print(f"SQLite {sqlite3.sqlite_version} (WAL, synchronous=NORMAL) and PostgreSQL {version} ({pg_origin}), one process each in turn")
        empty = {"sqlite": sqlite_bytes(path), "postgresql": postgres_bytes(backends["postgresql"])}
        for name, ingest in store_records(backends, made, args.batch_size).items():
            figures[name] = {"ingest": ingest}
        with backends["postgresql"].engine.begin() as connection:
            connection.execute(text("ANALYZE"))  # what autovacuum does after a load
        for name, store in backends.items():
            size = sqlite_bytes(path) if name == "sqlite" else postgres_bytes(store)
            figures[name]["bytes_per_article"] = round((size - empty[name]) / args.limit)
        figures["postgresql"]["articles_table_bytes_per_article"] = {key: round(value / args.limit) for key, value in postgres_breakdown(backends["postgresql"]).items()}
        for name, store in backends.items():
            figures[name]["search"] = {}
        for query in queries:  # each query on both backends in turn
            for name, store in backends.items():
                figures[name]["search"].update(time_searches(store, [query], args.repeats))

    sqlite, postgresql = figures["sqlite"], figures["postgresql"]
    print(f"\n{'':30}{'SQLite':>14}{'PostgreSQL':>14}{'PG / SQLite':>13}")
    for label, key in (("ingest articles/s (total)", "articles_per_s"), ("ingest articles/s (median batch)", "median_batch_articles_per_s")):
        a, b = sqlite["ingest"][key], postgresql["ingest"][key]
        print(f"{label:30}{a:>14.1f}{b:>14.1f}{b / a:>12.2f}x")
    a, b = sqlite["bytes_per_article"], postgresql["bytes_per_article"]
    print(f"{'bytes per article':30}{a:>14,}{b:>14,}{b / a:>12.2f}x   (text alone: {figures['text_bytes_per_article']:,} bytes)")
    parts = postgresql["articles_table_bytes_per_article"]
    print(f"{'':30}PostgreSQL articles table per article: heap {parts['heap']:,}, TOAST (compressed text and analysis) "
          f"{parts['toast']:,}, indexes {parts['indexes']:,} of which full-text {parts['search_index']:,}")
    print(f"\nsearch, first page of 20, {args.repeats} runs each (ms)")
    print(f"{'query':26}{'found':>13}{'SQLite p50':>12}{'p95':>8}{'PG p50':>10}{'p95':>8}{'PG / SQLite':>13}")
    every = {"sqlite": [], "postgresql": []}
    for name, filters in queries:
        one, other = sqlite["search"][name], postgresql["search"][name]
        every["sqlite"] += one.pop("all")
        every["postgresql"] += other.pop("all")
        found = f"{one['total']}/{other['total']}"
        print(f"{name:26}{found:>13}{one['p50_ms']:>12.1f}{one['p95_ms']:>8.1f}{other['p50_ms']:>10.1f}{other['p95_ms']:>8.1f}"
              f"{other['p50_ms'] / one['p50_ms']:>12.2f}x   {filters.query or ''}")
    overall = {name: {"p50_ms": round(percentile(values, 0.5), 2), "p95_ms": round(percentile(values, 0.95), 2)} for name, values in every.items()}
    figures["search_overall"] = overall
    print(f"{'all searches':26}{'':>13}{overall['sqlite']['p50_ms']:>12.1f}{overall['sqlite']['p95_ms']:>8.1f}"
          f"{overall['postgresql']['p50_ms']:>10.1f}{overall['postgresql']['p95_ms']:>8.1f}"
          f"{overall['postgresql']['p50_ms'] / overall['sqlite']['p50_ms']:>12.2f}x")
    print("(found: articles matched on SQLite/PostgreSQL; PostgreSQL stems words, so it may find more)")
    if args.out:
        Path(args.out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
