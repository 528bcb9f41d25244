"""Direct quotations and their sources on PolNeAR (English political news, brat standoff), next to
the regex a user would otherwise write, measured in the same run.

    python benchmarks/quotes_bench.py [--split dev|train] [--limit N] [--out FILE]

Data: ../shared/eval/quotes/polnear (override the shared folder with BABELWIRE_SHARED). Each
article is read from text/<name>.txt; its gold is the first annotator's .ann file (sorted by name).
Gold relations tie a Content span (possibly in several pieces) to a Source and a Cue.

What is measured
- DIRECT gold quotations: relations whose content, trimmed of spaces and trailing `.,;:`, starts
  and ends with a quotation mark. Predictions: babelwire quotes of kind ``statement``.
- overlap match: a prediction and a gold content share at least one character.
  exact match: the prediction's text equals a piece of the gold content once both are trimmed of
  spaces, quotation marks and surrounding `.,;:!?…`; a gold quotation counts as exactly found
  when each of its pieces is.
- precision: share of predictions that match a DIRECT gold content (strict), and share that
  overlap ANY gold content, direct or reported (lenient: a quoted fragment inside an annotated
  paraphrase is an attributed quotation, but not a gold direct quote).
- source: for a gold direct quotation found (overlap), the best-overlapping prediction's speaker
  span overlaps the gold Source span (pronouns are gold sources as written, and babelwire's
  speaker span of a pronoun is the pronoun). Reported as accuracy over found quotations with a
  gold source, and end to end (quotation found AND source right) over all gold direct quotations
  with a source.
- indirect (bonus): recall of the other gold contents by predictions of kind ``indirect``
  (overlap), with source accuracy, and the precision of those predictions against any gold content.
- speed: the quotation step alone (after the rest of the analysis), median seconds per article,
  and quotes/s over the whole run; the baseline timed the same way.

The baseline: text between double quotation marks (“…”, "…", «…», „…“) in a paragraph, with the
nearest capitalised word run outside the quotation in the same paragraph as speaker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
DATA = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared")) / "eval" / "quotes" / "polnear"
QUOTE_MARKS = "\"“”«»„‘’‹›‚"


@dataclass
class Gold:
    pieces: list[tuple[int, int]]
    source: list[tuple[int, int]] | None
    direct: bool


@dataclass
class Prediction:
    start: int
    end: int
    text: str
    kind: str
    speaker: tuple[int, int] | None


def load_article(ann: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if re.fullmatch(r"T\d+", parts[0]):
            label, _, offsets = parts[1].partition(" ")
            pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
            spans[parts[0]] = (label, pieces)
        elif re.fullmatch(r"E\d+", parts[0]):
            relations.append(dict(item.split(":", 1) for item in parts[1].split()))
    golds = []
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if not content:
            continue
        pieces = [(a, b) for a, b in content[1] if b > a]
        if not pieces:
            continue
        joined = " ".join(text[a:b] for a, b in pieces).strip().rstrip(".,;: ").strip()
        direct = len(joined) >= 2 and joined[0] in QUOTE_MARKS and joined[-1] in QUOTE_MARKS
        source = spans.get(relation.get("Source", ""))
        golds.append(Gold(pieces, source[1] if source else None, direct))
    return golds


def articles(split: str, limit: int) -> list[tuple[str, str, list[Gold]]]:
    folder = DATA / split
    chosen: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    out = []
    for name, ann in sorted(chosen.items()):
        text_path = folder / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        out.append((name, text, load_article(ann, text)))
        if limit and len(out) >= limit:
            break
    return out


# --- the two methods -----------------------------------------------------------------------------

def babelwire_method():
    from babelwire import analyze
    from babelwire.analyse.quotes import QuoteFinder, QuoteSettings

    finder = QuoteFinder(QuoteSettings())
    # Warm-up: the lemma dictionaries load once per process and language, outside the timing.
    for warm_up in ("“Hello,” he said.", "« Bonjour », a-t-il dit.", "„Hallo“, sagte er.", "“Hola”, dijo él.",
                    "«Ciao», ha detto.", "«Olá», disse ele."):
        finder.process(analyze(warm_up))

    def prepare(text: str):
        return analyze(text, language=None)

    def run(document) -> list[Prediction]:
        finder.process(document)
        return [Prediction(q.start, q.end, q.text, q.kind,
                           (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None) for q in document.quotes]

    return prepare, run


BASELINE_QUOTE = re.compile(r"[“\"«„]([^“”\"«»„\n]{1,3000})[”\"»“]")
CAPITALISED = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*")


def baseline_method():
    def prepare(text: str):
        return text

    def run(text: str) -> list[Prediction]:
        predictions = []
        for paragraph in re.finditer(r"[^\n]+", text):
            line, offset = paragraph.group(), paragraph.start()
            quotes = list(BASELINE_QUOTE.finditer(line))
            outside = [(m.start(), m.end()) for m in quotes]
            names = [m for m in CAPITALISED.finditer(line) if not any(a <= m.start() < b for a, b in outside)]
            for quote in quotes:
                best = min(names, key=lambda m: min(abs(m.end() - quote.start()), abs(m.start() - quote.end())), default=None)
                speaker = (offset + best.start(), offset + best.end()) if best else None
                predictions.append(Prediction(offset + quote.start(1), offset + quote.end(1), quote.group(1), "statement", speaker))
        return predictions

    return prepare, run


# --- scoring -------------------------------------------------------------------------------------

def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().strip(QUOTE_MARKS + " .,;:!?…\u00a0").strip(QUOTE_MARKS + " .,;:!?…\u00a0"))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score(text: str, golds: list[Gold], predictions: list[Prediction], totals: dict) -> None:
    statements = [p for p in predictions if p.kind == "statement"]
    indirects = [p for p in predictions if p.kind == "indirect"]
    direct = [g for g in golds if g.direct]
    others = [g for g in golds if not g.direct]
    totals["gold_direct"] += len(direct)
    totals["predicted"] += len(statements)
    for p in statements:
        span = (p.start, p.end)
        if any(overlaps(span, piece) for g in direct for piece in g.pieces):
            totals["predicted_match_direct"] += 1
        if any(overlaps(span, piece) for g in golds for piece in g.pieces):
            totals["predicted_match_any"] += 1
        if any(normalised(p.text) == normalised(text[a:b]) for g in direct for a, b in g.pieces):
            totals["predicted_exact"] += 1
    for g in direct:
        matched = [(sum(overlaps((p.start, p.end), piece) for piece in g.pieces), p) for p in statements]
        matched = [(amount, p) for amount, p in matched if amount > 0]
        if g.source:
            totals["gold_direct_with_source"] += 1
        if not matched:
            continue
        totals["found_overlap"] += 1
        if all(any(normalised(p.text) == normalised(text[a:b]) for _, p in matched) for a, b in g.pieces):
            totals["found_exact"] += 1
        if g.source:
            totals["found_with_source"] += 1
            best = max(matched, key=lambda item: item[0])[1]
            if best.speaker and any(overlaps(best.speaker, piece) for piece in g.source):
                totals["source_right"] += 1
    totals["gold_indirect"] += len(others)
    totals["predicted_indirect"] += len(indirects)
    for p in indirects:
        if any(overlaps((p.start, p.end), piece) for g in golds for piece in g.pieces):
            totals["predicted_indirect_match_any"] += 1
    for g in others:
        matched = [p for p in indirects if any(overlaps((p.start, p.end), piece) for piece in g.pieces)]
        if matched:
            totals["indirect_found"] += 1
            if g.source and any(p.speaker and any(overlaps(p.speaker, piece) for piece in g.source) for p in matched):
                totals["indirect_source_right"] += 1


def ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def summary(totals: dict, seconds: list[float], count: int) -> dict:
    out = {
        "gold_direct": totals["gold_direct"],
        "predicted_statements": totals["predicted"],
        "precision_overlap_strict": ratio(totals["predicted_match_direct"], totals["predicted"]),
        "precision_overlap_lenient": ratio(totals["predicted_match_any"], totals["predicted"]),
        "precision_exact": ratio(totals["predicted_exact"], totals["predicted"]),
        "recall_overlap": ratio(totals["found_overlap"], totals["gold_direct"]),
        "recall_exact": ratio(totals["found_exact"], totals["gold_direct"]),
        "source_accuracy_of_found": ratio(totals["source_right"], totals["found_with_source"]),
        "quote_and_source_recall": ratio(totals["source_right"], totals["gold_direct_with_source"]),
        "median_ms_per_article": round(1000 * statistics.median(seconds), 2) if seconds else 0.0,
        "quotes_per_s": round(count / sum(seconds), 1) if sum(seconds) else 0.0,
    }
    if totals["predicted_indirect"] or totals.get("indirect_measured"):
        out.update({
            "gold_indirect": totals["gold_indirect"],
            "indirect_recall_overlap": ratio(totals["indirect_found"], totals["gold_indirect"]),
            "indirect_source_recall": ratio(totals["indirect_source_right"], totals["gold_indirect"]),
            "indirect_precision_lenient": ratio(totals["predicted_indirect_match_any"], totals["predicted_indirect"]),
        })
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("dev", "train"))
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not (DATA / args.split).exists():
        print(f"{DATA / args.split} is absent: the folder ../shared (evaluation data) is not beside this checkout")
        return 2
    data = articles(args.split, args.limit)
    results = {}
    for label, method in (("babelwire", babelwire_method), ("regex baseline", baseline_method)):
        prepare, run = method()
        totals = {key: 0 for key in ("gold_direct", "predicted", "predicted_match_direct", "predicted_match_any",
                                     "predicted_exact", "found_overlap", "found_exact", "gold_direct_with_source",
                                     "found_with_source", "source_right", "gold_indirect", "predicted_indirect",
                                     "predicted_indirect_match_any", "indirect_found", "indirect_source_right")}
        seconds, count = [], 0
        for name, text, golds in data:
            prepared = prepare(text)
            started = time.perf_counter()
            predictions = run(prepared)
            seconds.append(time.perf_counter() - started)
            count += len(predictions)
            score(text, golds, predictions, totals)
        results[label] = summary(totals, seconds, count)
    ours, base = results["babelwire"], results["regex baseline"]
    print(f"PolNeAR {args.split}: {len(data)} articles, {ours['gold_direct']} gold direct quotations")
    print(f"{'':32}{'babelwire':>12}{'regex':>12}{'ratio':>8}")
    for key in ("predicted_statements", "precision_overlap_strict", "precision_overlap_lenient", "precision_exact",
                "recall_overlap", "recall_exact", "source_accuracy_of_found", "quote_and_source_recall",
                "median_ms_per_article", "quotes_per_s"):
        a, b = ours[key], base[key]
        print(f"{key:32}{a:>12}{b:>12}{(round(a / b, 2) if b else '-'):>8}")
    for key in ("gold_indirect", "indirect_recall_overlap", "indirect_source_recall", "indirect_precision_lenient"):
        if key in ours:
            print(f"{key:32}{ours[key]:>12}")
    print("targets (direct quotations): precision >= 0.9, recall >= 0.8")
    if args.out:
        args.out.write_text(json.dumps({"split": args.split, "articles": len(data), "results": results}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
