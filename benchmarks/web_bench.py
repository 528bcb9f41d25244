"""The web application under concurrent load: requests/s and p50/p95 latency of the article page,
the search page and POST /api/analyze, at 10k stored articles, with zero errors.

    python benchmarks/web_bench.py [--limit N] [--duration S] [--connections C] [--client wrk|python]
                                   [--db FILE] [--out FILE]

1. Corpus: the shipped examples (and the seed article when ../shared is there) are ingested for
   real; the corpus is then GROWN to --limit articles (default 10000) by copying stored rows
   straight into the database, for speed: each copy gets a suffix line (so a new content hash and
   full-text row) and a publication date shifted back by whole days; its analysis and entity rows are
   copied; copies get no links or stories. --db FILE keeps (and reuses) the grown corpus.
2. `babelwire serve` runs in its own process on a free loopback port. The load generator is wrk
   (Debian's /usr/bin/wrk, a Lua script picks a random article id / search word per request and
   reports p50/p95), or a Python client on loopback (threads, keep-alive) when wrk is absent.
3. The alternatives a user would otherwise use, measured in the same run: the same work straight
   through the Store in this process, one call at a time (store.article; store.search + facets;
   babelwire.analyze), and a static file served by the same uvicorn under the same load (the
   ceiling of the HTTP stack). Ratios are web requests/s over those. Searches draw from ~300 words
   of the stored headlines (the server caches facets per query while the corpus is unchanged).
The machine is shared (2 cores): figures are noisy; latencies are percentiles of every request.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "000_cb95c1b5dbc1f6a6.txt"
EXAMPLES = REPO / "examples"
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SEARCH_WORDS = ["Putin", "Macron", "incendie", "Juventus", "BCE", "Passau", "Lumora", "energía", "Catarino", "Lagarde", "Donau",
                "Gallura", "Pyrénées", "hipoteca", "Sánchez", "ransomware", "Montpellier", "tassi", "Harwick", "Alentejo"]
ANALYZE_TEXT = {
    "title": "Incendie dans les collines de Marseille",
    "text": "Un incendie s’est déclaré mardi 4 mars 2025 au nord de Marseille, a indiqué la préfecture des Bouches-du-Rhône. "
            "Plus de 300 pompiers sont mobilisés et deux Canadair survolent la zone depuis le début de l’après-midi.\n\n"
            "« Le feu n’est pas fixé », a déclaré le colonel Martin Roux, porte-parole des pompiers, qui appelle les habitants "
            "à éviter le secteur. La Protección Civil española ha ofrecido ayuda.",
    "published": "2025-03-04",
}


# --- the corpus --------------------------------------------------------------------------------------------
def build_corpus(db: Path, limit: int) -> dict:
    from babelwire.config import Config
    from babelwire.store.database import Store
    from babelwire.store.ingest import ingest

    store = Store(str(db))
    info = {"ingested": 0, "ingest_seconds": 0.0, "copied": 0, "copy_seconds": 0.0}
    if store.counts()["articles"] == 0:
        inputs = [str(EXAMPLES)] + ([str(SEED)] if SEED.exists() else [])
        started = time.perf_counter()
        summary = ingest(inputs, Config(), store)
        info["ingested"], info["ingest_seconds"] = summary.stored, time.perf_counter() - started
        print(f"ingested {summary.line()}", flush=True)
    have = store.counts()["articles"]
    if have < limit:
        started = time.perf_counter()
        info["copied"] = grow(store, limit - have)
        info["copy_seconds"] = time.perf_counter() - started
        print(f"grown by {info['copied']} copies in {info['copy_seconds']:.1f} s (rows copied directly, see the docstring)", flush=True)
    info["articles"] = store.counts()["articles"]
    store.engine.dispose()
    return info


def grow(store, count: int, batch: int = 500) -> int:
    """Copies the originally ingested articles with a suffix line and shifted dates (offsets stay valid:
    the suffix comes after every layer's spans)."""
    from sqlalchemy import func, insert, select, text

    from babelwire.store.database import content_hash
    from babelwire.store.tables import Article, ArticleEntity

    with store.engine.connect() as connection:
        originals = connection.execute(select(Article).where(~Article.text.contains("\n\n(copy "))).mappings().all()
        entity_rows = connection.execute(select(ArticleEntity)).mappings().all()
        next_id = (connection.execute(select(func.max(Article.id))).scalar() or 0) + 1
    entities: dict[int, list[dict]] = {}
    for row in entity_rows:
        entities.setdefault(row["article_id"], []).append(dict(row))
    made = 0
    while made < count:
        articles, search_rows, entity_copies = [], [], []
        for _ in range(min(batch, count - made)):
            source = originals[made % len(originals)]
            copy_number = made // len(originals) + 1
            suffix = f"\n\n(copy {next_id})"  # the new id: unique across runs that grow the same corpus
            published = source["published"]
            if published:
                shifted = dt.date.fromisoformat(published[:10]) - dt.timedelta(days=copy_number)
                published = shifted.isoformat() + published[10:]
            analysis = dict(source["analysis"], text=source["text"] + suffix, clean_text=source["clean_text"] + suffix)
            analysis["published"] = dict(analysis["published"], value=published)
            row = {key: value for key, value in source.items() if key != "id"}
            row.update(id=next_id, text=analysis["text"], clean_text=analysis["clean_text"], analysis=analysis, published=published,
                       content_hash=content_hash(analysis["text"]), clean_hash=content_hash(analysis["clean_text"]),
                       source_path=f"{source['source_path']}#copy-{next_id}")
            articles.append(row)
            search_rows.append({"id": next_id, "title": row["title"] or "", "body": row["clean_text"]})
            entity_copies += [{**entity, "article_id": next_id} for entity in entities.get(source["id"], [])]
            next_id += 1
            made += 1
        with store.engine.begin() as connection:
            connection.execute(insert(Article), articles)
            connection.execute(text("INSERT INTO article_search(rowid, title, body) VALUES (:id, :title, :body)"), search_rows)
            if entity_copies:
                connection.execute(insert(ArticleEntity), entity_copies)
    return made


# --- the server --------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    environment = dict(os.environ, OMP_WAIT_POLICY="passive", PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "babelwire.cli", "serve", "--db", str(db), "--port", str(port)],
                               env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {process.stdout.read()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("the server did not answer within 180 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


# --- load: wrk ------------------------------------------------------------------------------------------------
WRK_SCRIPT = """
local paths = {PATHS}
local method, body = "{METHOD}", {BODY}
wrk.headers["Content-Type"] = "application/json"
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1000000)) end
request = function()
  local path = paths[math.random(#paths)]
  if method == "POST" then return wrk.format("POST", path, nil, body) end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %.3f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, '
    .. '"p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "max_ms": %.2f}\\n', summary.requests, summary.duration / 1e6, e.connect, e.read,
    e.write, e.status, e.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string literal is a Lua string literal here (UTF-8 kept raw)


def run_wrk(base: str, paths: list[str], seconds: int, connections: int, method: str = "GET", body: str = "") -> dict:
    script = WRK_SCRIPT.replace("{PATHS}", "{" + ", ".join(lua_string(p) for p in paths) + "}").replace("{METHOD}", method)
    script = script.replace("{BODY}", lua_string(body))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        completed = subprocess.run([WRK, "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
                                    "-s", handle.name, base], capture_output=True, text=True, check=True)
    finally:
        os.unlink(handle.name)
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line[len("RESULT "):])
    result["errors"] = sum(result[key] for key in ("connect", "read", "write", "status", "timeout"))
    result["rps"] = result["requests"] / result["seconds"]
    return result


# --- load: a Python client (when wrk is absent) -----------------------------------------------------------------
def run_python_client(base: str, paths: list[str], seconds: int, connections: int, method: str = "GET", body: str = "") -> dict:
    host, port = base.split("//", 1)[1].split(":")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine, failed = [], 0
        while time.perf_counter() < stop_at:
            path = random.choice(paths)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body.encode() if method == "POST" else None,
                                   headers={"Content-Type": "application/json"} if method == "POST" else {})
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    pick = lambda q: 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]
    return {"requests": len(latencies), "seconds": elapsed, "errors": errors[0], "rps": len(latencies) / elapsed,
            "p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99), "max_ms": 1000 * ordered[-1]}


# --- the in-process alternatives ----------------------------------------------------------------------------------
def timed_calls(call, seconds: float, at_least: int = 5) -> dict:
    durations = []
    stop_at = time.perf_counter() + seconds
    while time.perf_counter() < stop_at or len(durations) < at_least:
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    ordered = sorted(durations)
    return {"calls": len(durations), "rps": len(durations) / sum(durations), "p50_ms": 1000 * statistics.median(ordered),
            "p95_ms": 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]}


def search_words(db: Path, count: int = 300) -> list[str]:
    """Words of the stored headlines (five letters or more), as varied queries: the server caches
    facets per query while the corpus is unchanged, so the load must not repeat a few words."""
    import re

    from babelwire.store.database import Store

    store = Store(str(db))
    with store.engine.connect() as connection:
        from sqlalchemy import text

        titles = [row[0] or "" for row in connection.execute(text("SELECT DISTINCT title FROM articles"))]
    store.engine.dispose()
    words = sorted({word for title in titles for word in re.findall(r"[^\W\d_]{5,}", title)} | set(SEARCH_WORDS))
    random.Random(11).shuffle(words)
    return words[:count]


def in_process(db: Path, ids: list[int], words: list[str], seconds: float) -> dict:
    from babelwire import analyze
    from babelwire.store import queries
    from babelwire.store.database import SearchFilters, Store

    store = Store(str(db))

    def search_and_facets(filters: SearchFilters) -> None:  # what the search page asks of the store
        store.search(filters)
        queries.facets(store, filters)

    results = {
        "article": timed_calls(lambda: store.article(random.choice(ids)), seconds),
        "search": timed_calls(lambda: search_and_facets(SearchFilters(query=f'"{random.choice(words)}"')), seconds),
    }
    analyze(ANALYZE_TEXT["text"], title=ANALYZE_TEXT["title"], published=ANALYZE_TEXT["published"])  # models load once
    results["analyze"] = timed_calls(lambda: analyze(ANALYZE_TEXT["text"], title=ANALYZE_TEXT["title"], published=ANALYZE_TEXT["published"]),
                                     seconds)
    store.engine.dispose()
    return results


# --- main ---------------------------------------------------------------------------------------------------------
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=10_000, help="stored articles (default 10000)")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page (default 15; analysis gets 4/3 of it)")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections for the pages (analysis: half)")
    parser.add_argument("--client", choices=("wrk", "python"), default="wrk" if Path(WRK).exists() else "python")
    parser.add_argument("--db", help="keep the grown corpus in this SQLite file (reused when it exists)")
    parser.add_argument("--out", help="write the figures as JSON to this file")
    args = parser.parse_args()

    folder = None
    if args.db:
        db = Path(args.db)
    else:
        folder = Path(tempfile.mkdtemp(prefix="babelwire-web-bench-"))
        db = folder / "corpus.sqlite"
    try:
        corpus = build_corpus(db, args.limit)
        from babelwire.store.database import Store

        store = Store(str(db))
        ids = store.article_ids()
        store.engine.dispose()
        words = search_words(db)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        server = start_server(db, port)
        startup = time.perf_counter() - started
        load = run_wrk if args.client == "wrk" else run_python_client
        try:
            first = time.perf_counter()
            request = urllib.request.Request(f"{base}/api/analyze", data=json.dumps(ANALYZE_TEXT).encode(),
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=300).read()
            first_analysis = time.perf_counter() - first
            sample = random.Random(7).sample(ids, min(len(ids), 2000))
            web = {
                "article page": load(base, [f"/articles/{i}" for i in sample], args.duration, args.connections),
                "search page": load(base, [f"/search?q={urllib.request.quote(chr(34) + w + chr(34))}" for w in words], args.duration,
                                    args.connections),
                "/api/analyze": load(base, ["/api/analyze"], args.duration * 4 // 3, max(1, args.connections // 2), "POST",
                                     json.dumps(ANALYZE_TEXT, ensure_ascii=False)),
                "static file": load(base, ["/static/style.css"], max(5, args.duration // 2), args.connections),
            }
        finally:
            stop_server(server)
        local = in_process(db, ids, words, seconds=max(5.0, args.duration / 2))
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)

    print(f"\nweb_bench: {corpus['articles']} stored articles ({corpus['ingested']} ingested, {corpus['copied']} copied rows); "
          f"client {args.client}, {args.connections} connections ({max(1, args.connections // 2)} for analysis), {len(words)} search words; "
          f"server start {startup:.1f} s, first analysis {first_analysis:.1f} s (models loading)")
    print(f"{'target':<14} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}   alternative (same run)")
    pairs = {"article page": ("article", "Store.article(id) in-process"), "search page": ("search", "Store.search + facets in-process"),
             "/api/analyze": ("analyze", "babelwire.analyze() in-process")}
    ratios = {}
    for name, figures in web.items():
        line = f"{name:<14} {figures['rps']:>8.1f} {figures['p50_ms']:>8.1f} {figures['p95_ms']:>8.1f} {figures['errors']:>7}"
        if name in pairs:
            key, label = pairs[name]
            alternative = local[key]
            ratios[name] = {"vs_in_process": figures["rps"] / alternative["rps"], "vs_static": figures["rps"] / web["static file"]["rps"]}
            line += (f"   {label}: {alternative['rps']:.1f}/s (p50 {alternative['p50_ms']:.1f} ms) → ratio {ratios[name]['vs_in_process']:.2f}; "
                     f"{100 * ratios[name]['vs_static']:.1f} % of the static file's req/s")
        else:
            line += "   the HTTP stack's ceiling on this machine"
        print(line)
    errors = sum(figures["errors"] for figures in web.values())
    print("zero errors" if errors == 0 else f"ERRORS: {errors} failed requests")
    if args.out:
        Path(args.out).write_text(json.dumps({"corpus": corpus, "client": args.client, "connections": args.connections,
                                              "server_start_seconds": startup, "first_analysis_seconds": first_analysis,
                                              "web": web, "in_process": local, "ratios": ratios}, indent=2), encoding="utf-8")
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
