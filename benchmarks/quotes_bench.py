"""Direct quotations and their sources on PolNeAR (English political news, brat standoff), next to
the regex a user would otherwise write, measured in the same run; plus the quotation layer's memory
(next to the simplemma lemmatiser it used before) and its time per article.

    python benchmarks/quotes_bench.py [--split dev,test] [--limit N] [--out FILE] [--no-memory] [--errors]

Data: ../shared/eval/quotes/polnear (override the shared folder with BABELWIRE_SHARED). The rules were
chosen on the train split only; dev and test are reported (a split whose folder is absent is
skipped with a message). Each article is read from text/<name>.txt; its gold is the first
annotator's .ann file (sorted by name). Gold relations tie a Content span (possibly in several
pieces) to a Source and a Cue.

What is measured
- DIRECT gold quotations: relations whose content, trimmed of spaces and trailing `.,;:`, starts
  and ends with a quotation mark. Predictions: babelwire quotes of kind ``statement`` (``partial``
  quotations, quoted words inside the reporter's own clause, and ``term`` are not direct quotes).
- quotes, overlap: a prediction and a gold content share at least one character. Precision is the
  share of predictions that overlap a DIRECT gold content (strict) or ANY gold content (lenient: a
  quoted passage inside an annotated paraphrase is attributed, but is not a gold direct quote).
  Recall is the share of gold direct quotations overlapped by a prediction.
- quotes, repaired gold: the same with a gold content counted as direct when its pieces, in text
  order, begin and end at quotation marks that the annotator may have left just outside the span
  (a secondary figure: the main one keeps the definition above, comparable with earlier runs).
- quotes, exact: the prediction's text equals a piece of the gold content once both are trimmed of
  spaces, quotation marks and surrounding `.,;:!?…`; a gold quotation is exactly found when each of
  its pieces is.
- sources: a prediction's speaker is right when its span overlaps the gold Source span of a gold
  direct quotation that the prediction overlaps (pronouns are gold sources as written, and
  babelwire's speaker span of a pronoun is the pronoun). Source precision: right speakers over
  predictions that give a speaker. Source recall: gold direct quotations with a source that are
  found with the right speaker (best-overlapping prediction), over all gold direct quotations with a
  source. Source accuracy: the same over the gold quotations that were found.
- indirect (bonus): recall of the other gold contents by predictions of kind ``indirect``
  (overlap), with source recall, and the precision of those predictions against any gold content.
- speed: the quotation step alone, run again on an analysed article, median and 90th percentile
  milliseconds per article; the baseline timed the same way; and the whole analyze() for scale.
- memory: in a fresh process each, what importing the layer and reading one short text in each of
  fr/es/en/de/it/pt adds (Python allocations by tracemalloc, and resident memory), next to what
  simplemma's lemmatiser (the layer's former way to recognise cue verbs) adds for the same six
  languages.

The baseline: text between double quotation marks (“…”, "…", «…», „…“) in a paragraph, with the
nearest capitalised word run outside the quotation in the same paragraph as speaker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
DATA = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared")) / "eval" / "quotes" / "polnear"
QUOTE_MARKS = "\"“”«»„‘’‹›‚"
TUNED_ON = "train"


@dataclass
class Gold:
    pieces: list[tuple[int, int]]
    source: list[tuple[int, int]] | None
    direct: bool
    direct_repaired: bool = False  # direct once the annotators' boundaries are repaired (see loosely_direct)


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
        golds.append(Gold(pieces, source[1] if source else None, direct, direct or loosely_direct(text, pieces)))
    return golds


def loosely_direct(text: str, pieces: list[tuple[int, int]]) -> bool:
    """A content whose pieces, in text order, start at an opening quotation mark and end at a
    closing one, the marks themselves allowed just outside the span: annotators often left out
    the closing mark (`“There will be …,` then `” said Gov. Phil Bryant`) or listed the pieces of
    a split quotation out of order."""
    ordered = sorted(pieces)
    start, end = ordered[0][0], ordered[-1][1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:!?"):
        end -= 1
    if end - start < 2:
        return False
    opens = text[start] in QUOTE_MARKS or text[max(0, start - 2):start].strip()[-1:] in tuple(QUOTE_MARKS)
    closes = text[end - 1] in QUOTE_MARKS or any(c in QUOTE_MARKS for c in text[end:end + 3])
    return opens and closes


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
    # Warm-up outside the timing: the pipeline's models load once per process.
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


def speaker_right(prediction: Prediction, gold: Gold) -> bool:
    return bool(prediction.speaker and gold.source and any(overlaps(prediction.speaker, piece) for piece in gold.source))


def error_category(text: str, prediction: Prediction, golds: list[Gold]) -> str:
    """A rough reason for a prediction that matches no gold direct quotation (for --errors)."""
    words = re.findall(r"\w+", prediction.text)
    long_words = [w for w in words if len(w) > 3]
    if any(overlaps((prediction.start, prediction.end), piece) for g in golds for piece in g.pieces):
        return "inside a reported (indirect) content"
    if len(words) <= 4:
        if long_words and all(w[0].isupper() for w in long_words):
            return "short, title case (name of a work?)"
        return "short phrase (term / scare quote?)"
    if prediction.end < len(text) and not re.search(r"[“”\"»«„’]", text[prediction.end:prediction.end + 3]):
        return "unclosed (multi-paragraph?)"
    return "other unannotated quotation"


def score(text: str, golds: list[Gold], predictions: list[Prediction], totals: Counter, errors: Counter | None = None) -> None:
    statements = [p for p in predictions if p.kind == "statement"]
    indirects = [p for p in predictions if p.kind == "indirect"]
    direct = [g for g in golds if g.direct]
    others = [g for g in golds if not g.direct]
    totals["gold_direct"] += len(direct)
    totals["predicted"] += len(statements)
    repaired = [g for g in golds if g.direct_repaired]
    totals["gold_direct_repaired"] += len(repaired)
    for g in repaired:
        if any(overlaps((p.start, p.end), piece) for p in statements for piece in g.pieces):
            totals["found_repaired"] += 1
    for p in statements:
        span = (p.start, p.end)
        if any(overlaps(span, piece) for g in repaired for piece in g.pieces):
            totals["predicted_match_repaired"] += 1
        matching = [g for g in direct if any(overlaps(span, piece) for piece in g.pieces)]
        if matching:
            totals["predicted_match_direct"] += 1
        elif errors is not None:
            errors[error_category(text, p, golds)] += 1
        if any(overlaps(span, piece) for g in golds for piece in g.pieces):
            totals["predicted_match_any"] += 1
        if any(normalised(p.text) == normalised(text[a:b]) for g in direct for a, b in g.pieces):
            totals["predicted_exact"] += 1
        if p.speaker:
            totals["predicted_with_speaker"] += 1
            if any(speaker_right(p, g) for g in matching):
                totals["predicted_speaker_right"] += 1
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
            if speaker_right(best, g):
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
            if any(speaker_right(p, g) for p in matched):
                totals["indirect_source_right"] += 1


def ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 3) if p + r else 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(totals: Counter, seconds: list[float]) -> dict:
    precision = ratio(totals["predicted_match_direct"], totals["predicted"])
    recall = ratio(totals["found_overlap"], totals["gold_direct"])
    source_precision = ratio(totals["predicted_speaker_right"], totals["predicted_with_speaker"])
    source_recall = ratio(totals["source_right"], totals["gold_direct_with_source"])
    return {
        "gold_direct": totals["gold_direct"],
        "predicted_statements": totals["predicted"],
        "quote_precision": precision,
        "quote_precision_lenient": ratio(totals["predicted_match_any"], totals["predicted"]),
        "quote_precision_exact": ratio(totals["predicted_exact"], totals["predicted"]),
        "quote_recall": recall,
        "quote_recall_exact": ratio(totals["found_exact"], totals["gold_direct"]),
        "quote_f1": f1(precision, recall),
        "quote_precision_repaired_gold": ratio(totals["predicted_match_repaired"], totals["predicted"]),
        "quote_recall_repaired_gold": ratio(totals["found_repaired"], totals["gold_direct_repaired"]),
        "source_precision": source_precision,
        "source_recall": source_recall,
        "source_f1": f1(source_precision, source_recall),
        "source_accuracy_of_found": ratio(totals["source_right"], totals["found_with_source"]),
        "gold_indirect": totals["gold_indirect"],
        "indirect_recall": ratio(totals["indirect_found"], totals["gold_indirect"]),
        "indirect_source_recall": ratio(totals["indirect_source_right"], totals["gold_indirect"]),
        "indirect_precision_lenient": ratio(totals["predicted_indirect_match_any"], totals["predicted_indirect"]),
        "ms_per_article_median": round(1000 * statistics.median(seconds), 2) if seconds else 0.0,
        "ms_per_article_p90": round(1000 * percentile(seconds, 0.9), 2),
    }


def evaluate(split: str, limit: int, show_errors: bool) -> dict:
    data = articles(split, limit)
    results: dict = {"articles": len(data)}
    prepared_seconds: list[float] = []
    for label, method in (("babelwire", babelwire_method), ("regex baseline", baseline_method)):
        prepare, run = method()
        totals: Counter = Counter()
        errors: Counter = Counter()
        seconds = []
        for name, text, golds in data:
            started = time.perf_counter()
            prepared = prepare(text)
            if label == "babelwire":
                prepared_seconds.append(time.perf_counter() - started)
            started = time.perf_counter()
            predictions = run(prepared)
            seconds.append(time.perf_counter() - started)
            score(text, golds, predictions, totals, errors)
        results[label] = summary(totals, seconds)
        results[label]["errors"] = dict(errors.most_common())
    results["analysis_ms_per_article_median"] = round(1000 * statistics.median(prepared_seconds), 1) if prepared_seconds else 0.0
    print_split(split, results, show_errors)
    return results


ROWS = (
    ("quotes", ("predicted_statements", "quote_precision", "quote_precision_lenient", "quote_precision_exact",
                "quote_recall", "quote_recall_exact", "quote_f1", "quote_precision_repaired_gold",
                "quote_recall_repaired_gold")),
    ("sources", ("source_precision", "source_recall", "source_f1", "source_accuracy_of_found")),
    ("indirect (bonus)", ("gold_indirect", "indirect_recall", "indirect_source_recall", "indirect_precision_lenient")),
    ("speed", ("ms_per_article_median", "ms_per_article_p90")),
)


def print_split(split: str, results: dict, show_errors: bool) -> None:
    ours, base = results["babelwire"], results["regex baseline"]
    print(f"\nPolNeAR {split} (rules chosen on {TUNED_ON}): {results['articles']} articles, "
          f"{ours['gold_direct']} gold direct quotations")
    print(f"{'':30}{'babelwire':>12}{'regex':>12}{'ratio':>8}")
    for title, keys in ROWS:
        print(f"{title}")
        for key in keys:
            a, b = ours[key], base[key]
            if title == "indirect (bonus)":
                print(f"  {key:28}{a:>12}{'-':>12}")
                continue
            print(f"  {key:28}{a:>12}{b:>12}{(round(a / b, 2) if b else '-'):>8}")
    share = ours["ms_per_article_median"] / results["analysis_ms_per_article_median"] if results["analysis_ms_per_article_median"] else 0
    print(f"  whole analyze(), median ms/article {results['analysis_ms_per_article_median']} "
          f"(the quotation step alone is {share:.1%} of it)")
    target = ours["quote_precision"] >= 0.9 and ours["quote_recall"] >= 0.8
    print(f"targets (direct quotations): precision >= 0.9, recall >= 0.8 -> {'met' if target else 'NOT met'}")
    if show_errors:
        for label in ("babelwire", "regex baseline"):
            print(f"false positives of {label} by rough category: {results[label]['errors']}")


# --- memory ----------------------------------------------------------------------------------------

SAMPLES = {
    "fr": "« Nous ne céderons pas », a déclaré la ministre Claire Dubois mardi.",
    "es": "«No vamos a rendirnos», dijo el presidente Luis Ortega.",
    "en": "“We will not back down,” said Senator Jane Miller.",
    "de": "„Wir werden nicht nachgeben“, sagte Kanzlerin Anna Weber am Montag.",
    "it": "«Non ci arrenderemo», ha detto il ministro Marco Rossi.",
    "pt": "«Não vamos desistir», disse a ministra Ana Costa.",
}

# Run in a fresh interpreter: what the quotation layer adds, language by language.
LAYER_PROBE = r"""
import json, sys, tracemalloc
sys.path.insert(0, sys.argv[1])
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * __import__("os").sysconf("SC_PAGE_SIZE") / 1e6
from babelwire.model import Document
from babelwire.pipeline import DocumentStep
from babelwire.read import read_text
samples = json.loads(sys.argv[2])
documents = {}
for language, text in samples.items():
    documents[language] = read_text(text)
    documents[language].language = language
trace = sys.argv[3] == "tracemalloc"  # tracemalloc's own bookkeeping inflates RSS: one or the other
start_rss = rss()
if trace:
    tracemalloc.start()
def measure():
    return tracemalloc.get_traced_memory()[0] / 1e6 if trace else rss() - start_rss
from babelwire.analyse.quotes import QuoteFinder, QuoteSettings
finder = QuoteFinder(QuoteSettings())
out = {"import": measure()}
for language, document in documents.items():
    finder.process(document)
    assert document.quotes, language
    out[language] = measure()
print(json.dumps(out))
"""

# The same for simplemma, which the layer used to recognise cue verbs by their lemma.
SIMPLEMMA_PROBE = r"""
import json, sys
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * __import__("os").sysconf("SC_PAGE_SIZE") / 1e6
import simplemma
start_rss = rss()
out = {}
for language in json.loads(sys.argv[1]):
    simplemma.lemmatize("said", lang=language)
    out[language] = rss() - start_rss
print(json.dumps(out))
"""


def memory() -> dict:
    """Cumulative MB added after each language, in fresh processes."""
    results = {}
    for way in ("tracemalloc", "rss"):
        layer = subprocess.run([sys.executable, "-c", LAYER_PROBE, str(REPO / "src"), json.dumps(SAMPLES), way],
                               capture_output=True, text=True, check=True)
        results[f"babelwire quotes ({way})"] = json.loads(layer.stdout)
    try:
        old = subprocess.run([sys.executable, "-c", SIMPLEMMA_PROBE, json.dumps(list(SAMPLES))],
                             capture_output=True, text=True, check=True)
        results["simplemma (rss)"] = json.loads(old.stdout)
    except subprocess.CalledProcessError as error:
        results["simplemma (rss)"] = {"error": error.stderr[-300:]}
    return results


def print_memory(results: dict) -> None:
    traced, rss, old = (results["babelwire quotes (tracemalloc)"], results["babelwire quotes (rss)"],
                        results["simplemma (rss)"])
    print("\nmemory added in a fresh process, cumulative MB after each step (simplemma: the layer's former cue lookup)")
    print(f"{'':12}{'quotes tracemalloc':>20}{'quotes RSS':>12}{'simplemma RSS':>15}")
    for language in ["import", *SAMPLES]:
        before = old.get(language)
        print(f"{'+ ' + language:12}{traced[language]:>20.2f}{rss[language]:>12.1f}"
              f"{(f'{before:.1f}' if before is not None else '-'):>15}")
    last = list(SAMPLES)[-1]
    if sys.dont_write_bytecode:
        print("(the import row's RSS includes compiling the module's source: this environment writes no bytecode cache)")
    if old.get(last):
        languages = rss[last] - rss["import"]
        print(f"six languages: quotes layer +{languages:.1f} MB RSS after its import ({rss[last]:.1f} MB with it), "
              f"simplemma +{old[last]:.1f} MB; Python allocations of the layer {traced[last]:.2f} MB in all")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev,test", help="comma-separated: train, dev, test")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--no-memory", action="store_true", help="skip the fresh-process memory measurement")
    parser.add_argument("--errors", action="store_true", help="print false positives by rough category")
    args = parser.parse_args()
    report: dict = {"tuned_on": TUNED_ON, "splits": {}}
    for split in [s.strip() for s in args.split.split(",") if s.strip()]:
        if not (DATA / split).exists():
            print(f"\nPolNeAR {split}: {DATA / split} is absent (the evaluation data is not beside this checkout, "
                  f"or this split is held out): skipped")
            continue
        report["splits"][split] = evaluate(split, args.limit, args.errors)
    if not report["splits"]:
        return 2
    if not args.no_memory:
        report["memory_mb"] = memory()
        print_memory(report["memory_mb"])
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
