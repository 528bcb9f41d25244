"""Dates and times on French TimeBank (../shared/eval/time/fr-timebank): babelwire's TimeTagger next
to dateparser alone, scored the TempEval-3 way, with expressions per second for both.

    python benchmarks/time_bench.py [--limit N] [--repeats R] [--out FILE] [--errors dev|check|all]

Each .tml file is one article: the DCT (TIMEX3 functionInDocument="CREATION_TIME") is the date of
writing, the text is <TEXT> without its tags, the gold TIMEX3 keep their offsets. Scores (TempEval-3,
as its scorer computes them): strict extent P/R/F1 (same span), relaxed P/R/F1 (overlapping spans),
type F1 and value F1 = (type or value accuracy on relaxed matches) × relaxed F1.

The corpus here is half of French TimeBank; the files are split once more at random (fixed seed)
into a development half and a check half, and both are reported: rules were written looking at
the development half only. babelwire runs with the TimeBank convention (a day and its clock time
are two expressions: join_date_and_time=False) and, for reference, with its default.

dateparser baseline: search_dates(text, languages=['fr'], settings={'RELATIVE_BASE': DCT}); the type
is TIME when the match holds a clock time, else DATE; the value is the date (and hh:mm for TIME).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared")) / "eval" / "time" / "fr-timebank" / "Data"
HEIDELTIME = {"strict F1": 85.99, "relaxed F1": 90.97, "type F1": 82.66, "value F1": 73.63}
SPLIT_SEED = 20240618


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str | None
    text: str


@dataclass
class Article:
    name: str
    dct: str
    text: str
    gold: list[Timex]


def read_tml(path: Path) -> Article:
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    dct_value = re.search(r'value="([^"]*)"', dct.group(0)).group(1)
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.DOTALL).group(1)
    pieces: list[str] = []
    gold: list[Timex] = []
    open_timexes: list[tuple[dict, int]] = []
    position = 0
    for match in re.finditer(r"<(/?)(\w+)([^>]*?)(/?)>|([^<]+)", body):
        if match.group(5) is not None:
            piece = html.unescape(match.group(5))
            pieces.append(piece)
            position += len(piece)
            continue
        closing, tag, attributes, self_closing = match.groups()[:4]
        if tag != "TIMEX3" or self_closing:
            continue
        if closing:
            attrs, start = open_timexes.pop()
            gold.append(Timex(start, position, attrs.get("type", ""), attrs.get("value"), ""))
        else:
            open_timexes.append((dict(re.findall(r'(\w+)="([^"]*)"', attributes)), position))
    text = "".join(pieces)
    gold = [Timex(t.start, t.end, t.type, t.value, text[t.start:t.end]) for t in gold]
    return Article(path.stem, dct_value, text, sorted(gold, key=lambda t: t.start))


def split_halves(articles: list[Article]) -> tuple[list[Article], list[Article]]:
    names = sorted(a.name for a in articles)
    random.Random(SPLIT_SEED).shuffle(names)
    dev = set(names[: len(names) // 2])
    return [a for a in articles if a.name in dev], [a for a in articles if a.name not in dev]


# --- the two systems -----------------------------------------------------------------------------

def prepare_babelwire(articles: list[Article]):
    """Documents analysed up to the time step (reading, cleaning, languages): only tagging is timed."""
    from babelwire import analyze

    return [analyze(a.text, published=a.dct, language="fr") for a in articles]


def run_babelwire(documents, settings) -> tuple[list[list[Timex]], float]:
    from babelwire.analyse.times import TimeTagger

    tagger = TimeTagger(settings)
    started = time.perf_counter()
    outputs = []
    for document in documents:
        tagger.process(document)
        outputs.append([Timex(t.start, t.end, t.type, t.value, t.text) for t in document.times])
    return outputs, time.perf_counter() - started


CLOCK = re.compile(r"\d\s*h\b|\d\s*h\s*\d|\d:\d\d|\bmidi\b|\bminuit\b|heures?", re.IGNORECASE)


def run_dateparser(articles: list[Article]) -> tuple[list[list[Timex]], float]:
    from dateparser.search import search_dates

    started = time.perf_counter()
    outputs = []
    for article in articles:
        base = dt.datetime.fromisoformat(article.dct[:10])
        found = search_dates(article.text, languages=["fr"], settings={"RELATIVE_BASE": base}) or []
        timexes, cursor = [], 0
        for surface, moment in found:
            start = article.text.find(surface, cursor)
            if start < 0:
                continue
            cursor = start + len(surface)
            is_time = bool(CLOCK.search(surface))
            value = moment.strftime("%Y-%m-%dT%H:%M") if is_time else moment.date().isoformat()
            timexes.append(Timex(start, start + len(surface), "TIME" if is_time else "DATE", value, surface))
        outputs.append(timexes)
    return outputs, time.perf_counter() - started


# --- TempEval-3 scoring --------------------------------------------------------------------------

def score(articles: list[Article], outputs: list[list[Timex]]) -> dict:
    gold_total = system_total = 0
    strict_recall = relaxed_recall = strict_precision = relaxed_precision = 0
    type_match = value_match = 0
    for article, system in zip(articles, outputs):
        gold = article.gold
        gold_total += len(gold)
        system_total += len(system)
        for g in gold:
            overlapping = [s for s in system if s.start < g.end and g.start < s.end]
            if not overlapping:
                continue
            relaxed_recall += 1
            exact = [s for s in overlapping if (s.start, s.end) == (g.start, g.end)]
            strict_recall += bool(exact)
            best = exact[0] if exact else max(overlapping, key=lambda s: min(s.end, g.end) - max(s.start, g.start))
            type_match += best.type == g.type
            value_match += best.value == g.value
        for s in system:
            overlapping = [g for g in gold if s.start < g.end and g.start < s.end]
            if overlapping:
                relaxed_precision += 1
                strict_precision += any((s.start, s.end) == (g.start, g.end) for g in overlapping)

    def f1(p, r):
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = strict_precision / max(system_total, 1), strict_recall / max(gold_total, 1)
    rp, rr = relaxed_precision / max(system_total, 1), relaxed_recall / max(gold_total, 1)
    relaxed_f1 = f1(rp, rr)
    type_accuracy = type_match / max(relaxed_recall, 1)
    value_accuracy = value_match / max(relaxed_recall, 1)
    return {
        "gold": gold_total, "system": system_total,
        "strict P": 100 * sp, "strict R": 100 * sr, "strict F1": 100 * f1(sp, sr),
        "relaxed P": 100 * rp, "relaxed R": 100 * rr, "relaxed F1": 100 * relaxed_f1,
        "type accuracy": 100 * type_accuracy, "value accuracy": 100 * value_accuracy,
        "type F1": 100 * type_accuracy * relaxed_f1, "value F1": 100 * value_accuracy * relaxed_f1,
    }


def show_errors(articles: list[Article], outputs: list[list[Timex]]) -> None:
    for article, system in zip(articles, outputs):
        for g in article.gold:
            overlapping = [s for s in system if s.start < g.end and g.start < s.end]
            if not overlapping:
                print(f"MISS   {article.name} {article.dct} {g.text!r} {g.type} {g.value}   …{article.text[max(0, g.start - 40):g.end + 20]!r}")
                continue
            best = max(overlapping, key=lambda s: min(s.end, g.end) - max(s.start, g.start))
            if (best.start, best.end) != (g.start, g.end) or best.type != g.type or best.value != g.value:
                print(f"DIFF   {article.name} {article.dct} gold {g.text!r} {g.type} {g.value} | ours {best.text!r} {best.type} {best.value}")
        for s in system:
            if not any(s.start < g.end and g.start < s.end for g in article.gold):
                print(f"EXTRA  {article.name} {article.dct} {s.text!r} {s.type} {s.value}   …{article.text[max(0, s.start - 40):s.end + 20]!r}")


# --- report --------------------------------------------------------------------------------------

COLUMNS = ["strict P", "strict R", "strict F1", "relaxed P", "relaxed R", "relaxed F1", "type F1", "value F1"]


def table(rows: list[tuple[str, dict]]) -> str:
    header = f"{'system':<44}" + "".join(f"{c:>11}" for c in COLUMNS)
    lines = [header, "-" * len(header)]
    for name, figures in rows:
        lines.append(f"{name:<44}" + "".join(f"{figures[c]:>11.2f}" if c in figures else f"{'':>11}" for c in COLUMNS))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="read only the first N files (sorted)")
    parser.add_argument("--repeats", type=int, default=5, help="timing repeats (median reported)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON")
    parser.add_argument("--errors", choices=["dev", "check", "all"], help="print babelwire's misses and extras")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data} is absent: the folder ../shared (evaluation data) is not beside this checkout")
    paths = sorted(args.data.glob("*.tml"))
    if args.limit:
        paths = paths[: args.limit]
    articles = [read_tml(path) for path in paths]
    dev, check = split_halves(articles)

    from babelwire.analyse.times import TimeSettings

    documents = prepare_babelwire(articles)
    timebank_settings = TimeSettings(join_date_and_time=False)
    default_settings = TimeSettings()
    outputs_timebank, _ = run_babelwire(documents, timebank_settings)
    outputs_default, _ = run_babelwire(documents, default_settings)
    outputs_dateparser, _ = run_dateparser(articles)

    babel_seconds, dateparser_seconds = [], []
    for _ in range(args.repeats):
        babel_seconds.append(run_babelwire(documents, timebank_settings)[1])
        dateparser_seconds.append(run_dateparser(articles)[1])
    babel_time, dateparser_time = statistics.median(babel_seconds), statistics.median(dateparser_seconds)

    index = {a.name: i for i, a in enumerate(articles)}

    def part(outputs, subset):
        return score(subset, [outputs[index[a.name]] for a in subset])

    rows, figures = [], {}
    for label, subset in (("all", articles), ("dev half", dev), ("check half", check)):
        for system, outputs in (("babelwire (TimeBank convention)", outputs_timebank),
                                ("babelwire (default: day+time joined)", outputs_default),
                                ("dateparser.search_dates", outputs_dateparser)):
            result = part(outputs, subset)
            rows.append((f"{system}, {label}", result))
            figures[f"{system}, {label}"] = result
    rows.append(("HeidelTime 1.8 (published, full corpus)", HEIDELTIME))

    gold_count = sum(len(a.gold) for a in articles)
    babel_count = sum(len(o) for o in outputs_timebank)
    dateparser_count = sum(len(o) for o in outputs_dateparser)
    print(f"French TimeBank half: {len(articles)} articles, {gold_count} gold TIMEX3 "
          f"(dev half {len(dev)} articles / {sum(len(a.gold) for a in dev)}, check half {len(check)} / {sum(len(a.gold) for a in check)})")
    print()
    print(table(rows))
    print()
    babel_rate = babel_count / babel_time if babel_time else float("inf")
    dateparser_rate = dateparser_count / dateparser_time if dateparser_time else float("inf")
    print(f"speed (median of {args.repeats}, whole corpus, tagging only):")
    print(f"  babelwire TimeTagger     {babel_time:8.3f} s  {babel_count:5d} expressions  {babel_rate:9.0f} expressions/s  {len(articles) / babel_time:8.1f} articles/s")
    print(f"  dateparser.search_dates  {dateparser_time:8.3f} s  {dateparser_count:5d} expressions  {dateparser_rate:9.0f} expressions/s  {len(articles) / dateparser_time:8.1f} articles/s")
    print(f"  ratio (babelwire / dateparser, articles/s): {dateparser_time / babel_time:.1f}×")
    all_row = figures["babelwire (TimeBank convention), all"]
    print()
    print("vs HeidelTime (published anchor): " + ", ".join(
        f"{key} {all_row[key]:.2f} ({all_row[key] - anchor:+.2f})" for key, anchor in HEIDELTIME.items()))
    if args.out:
        args.out.write_text(json.dumps({
            "scores": figures, "heideltime": HEIDELTIME,
            "speed": {"babelwire_seconds": babel_time, "dateparser_seconds": dateparser_time,
                      "babelwire_expressions_per_s": babel_rate, "dateparser_expressions_per_s": dateparser_rate},
        }, indent=2), encoding="utf-8")
    if args.errors:
        subset = {"dev": dev, "check": check, "all": articles}[args.errors]
        print()
        show_errors(subset, [outputs_timebank[index[a.name]] for a in subset])


if __name__ == "__main__":
    sys.exit(main())
