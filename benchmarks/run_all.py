"""Runs every benchmark in turn (`make bench`); results also go to benchmarks/results/ (ignored by git)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
BENCHMARKS = [
    ("langid_bench.py", []),
    ("analyze_bench.py", []),
]


def main() -> int:
    RESULTS.mkdir(exist_ok=True)
    failed = []
    for script, extra in BENCHMARKS:
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
