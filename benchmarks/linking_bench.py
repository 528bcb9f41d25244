"""Translation linking on WMT newstest 2008–2011 (../shared/eval/linking/wmt): the same news articles
in cs, de, en, es, fr, hu (and it in 2009) under shared docids, i.e. known translation groups.

    python benchmarks/linking_bench.py [--limit N] [--seeds S] [--out FILE]

Signatures come from babelwire's own analysis (`analyze` on each document, title = its first
segment): clean text, language, lead sentences and, when the pipeline has them, entity ids. The
analyses are cached in benchmarks/results/ (git-ignored), as are the embeddings of headline + lead.

Measured:
1. ranking: for each document, is its translation the most similar document of another language
   of the same year (P@1, cosine of multilingual-e5-small embeddings of headline + lead)?
2. the real task: one pool of ALL years, each language missing a random half of its documents
   (several seeds); babelwire builds translation groups; pairwise precision / recall / F1, BCubed
   F1 and false links between different documents of the same year (same few days of news).
   Side by side in the same run: embeddings only, evidence only, combined, and the alternative a
   user would script (connected components over a cosine threshold).

The WMT documents carry no dates, so the time window plays no part here; the evidence is what the
signature holds: name stems (entity ids when the analysis has them), numbers and their places,
dates written in the text, paragraph shape.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import html
import json
import os
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared"))
WMT = SHARED / "eval" / "linking" / "wmt"
RESULTS = REPO / "benchmarks" / "results"
ANALYSIS_CACHE = RESULTS / "wmt_analyses.jsonl.gz"
EMBEDDING_CACHE = RESULTS / "embeddings_cache.npz"

_SEGMENT = re.compile(r"<seg[^>]*>(.*?)</seg>")
_DOC = re.compile(r'<doc\s+docid="([^"]*)"')
# The analysis fields the signature reads; the rest of an analysis is not cached.
_KEPT_FIELDS = ("id", "text", "clean_text", "language", "metadata", "segments", "edits", "published",
                "entities", "mentions", "times")


# --- corpus ---------------------------------------------------------------------------------
def load_wmt(root: Path = WMT, years: tuple[str, ...] = ("2008", "2009", "2010", "2011")) -> list[dict]:
    """Documents of the WMT "fake SGML" files, read line by line (not well-formed XML).

    Each: year, lang (cz is written cs), docid, title (first segment), body (paragraphs separated
    by blank lines, segments of one paragraph joined by a space), key = year/lang/docid.
    """
    documents = []
    for year in years:
        for path in sorted((root / f"newstest{year}").glob(f"newstest{year}-src.*")):
            language = path.name.split(".")[-2]
            language = "cs" if language == "cz" else language
            current, block = None, None
            for line in path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                opened = _DOC.match(line)
                if opened:
                    current, block = {"year": year, "lang": language, "docid": opened.group(1), "blocks": []}, None
                elif current is None:
                    continue
                elif line.startswith("</doc"):
                    documents.append(_finish(current))
                    current = None
                elif line in ("<hl>", "<h1>", "<p>"):
                    block = []
                    current["blocks"].append(block)
                elif line.startswith("</"):
                    block = None
                else:
                    found = _SEGMENT.search(line)
                    if found:
                        if block is None:
                            block = []
                            current["blocks"].append(block)
                        block.append(html.unescape(found.group(1)).strip())
    return documents


def _finish(document: dict) -> dict:
    blocks = [block for block in document.pop("blocks") if block]
    document["title"] = blocks[0][0] if blocks else ""
    rest = [blocks[0][1:]] + blocks[1:] if blocks else []
    document["body"] = "\n\n".join(" ".join(block) for block in rest if block)
    document["key"] = f"{document['year']}/{document['lang']}/{document['docid']}"
    return document


# --- caches ---------------------------------------------------------------------------------
def cached_analyses(documents: list[dict], path: Path = ANALYSIS_CACHE, label: str = "wmt") -> dict[str, dict]:
    """babelwire's analysis of each document (key -> reduced analysis dict), computed once."""
    from babelwire import __version__

    cache: dict[str, dict] = {}
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                item = json.loads(line)
                cache[item["key"]] = item["analysis"]
    missing = [d for d in documents if d["key"] not in cache]
    if missing:
        from babelwire import analyze, to_dict

        path.parent.mkdir(parents=True, exist_ok=True)
        print(f"[{label}] analysing {len(missing)} documents (cached in {path.relative_to(REPO)}) …", file=sys.stderr, flush=True)
        started = time.perf_counter()
        with gzip.open(path, "at", encoding="utf-8") as handle:
            for count, document in enumerate(missing, 1):
                try:
                    record = to_dict(analyze(document["body"], title=document["title"] or None,
                                             published=document.get("published"), source=document.get("source")))
                    reduced = {key: record[key] for key in _KEPT_FIELDS if key in record}
                except Exception as error:  # a broken analysis step must not stop the benchmark
                    reduced = {"failed": f"{type(error).__name__}: {error}"}
                reduced["babelwire_version"] = __version__
                cache[document["key"]] = reduced
                handle.write(json.dumps({"key": document["key"], "analysis": reduced}, ensure_ascii=False) + "\n")
                if count % 100 == 0:
                    print(f"  {count}/{len(missing)} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return cache


class EmbeddingCache:
    """Embeddings of texts, keyed by a hash of the text and the embedding settings, kept on disk."""

    def __init__(self, path: Path = EMBEDDING_CACHE):
        self.path = path
        self.vectors: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path) as stored:
                self.vectors = {key: stored[key] for key in stored.files}
        self.computed = 0

    @staticmethod
    def key(text: str, prefix: str) -> str:
        return hashlib.sha1(f"e5-small-q4|{prefix}|{text}".encode("utf-8")).hexdigest()

    def embed(self, signatures: list, embedder, label: str = "") -> np.ndarray:
        from babelwire.link.embeddings import embedding_text

        texts = [embedding_text(s, embedder.settings.max_characters) for s in signatures]
        keys = [self.key(text, embedder.settings.prefix) for text in texts]
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in self.vectors}.items())
        if todo:
            print(f"[{label}] embedding {len(todo)} headlines + leads …", file=sys.stderr, flush=True)
            started = time.perf_counter()
            step = 64
            for start in range(0, len(todo), step):
                chunk = todo[start:start + step]
                vectors = embedder.embed_texts([text for _, text in chunk])
                for (key, _), vector in zip(chunk, vectors):
                    self.vectors[key] = vector
                self.computed += len(chunk)
                if (start // step) % 5 == 4 or start + step >= len(todo):
                    self.save()
                    print(f"  {min(start + step, len(todo))}/{len(todo)} in {time.perf_counter() - started:.0f} s",
                          file=sys.stderr, flush=True)
        return np.vstack([self.vectors[k] for k in keys]) if keys else np.zeros((0, 384), np.float32)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp.npz")
        np.savez(temporary, **self.vectors)
        temporary.replace(self.path)


def signatures_of(documents: list[dict], analyses: dict[str, dict]) -> tuple[list, int]:
    """Signatures from the analyses; a document whose analysis failed gets one built from its text
    (language from the corpus). Returns the signatures and how many fell back."""
    from babelwire.link.signature import signature_from_analysis, signature_from_text

    signatures, failed = [], 0
    for document in documents:
        analysis = analyses[document["key"]]
        if "failed" in analysis:
            failed += 1
            signatures.append(signature_from_text(document["key"], document["body"], document["lang"],
                                                  title=document["title"], published=document.get("published")))
        else:
            signatures.append(signature_from_analysis(analysis, article_id=document["key"]))
    if failed:
        print(f"  {failed} of {len(documents)} analyses failed; their signatures are built from the text",
              file=sys.stderr)
    return signatures, failed


def wmt_signatures(documents: list[dict]) -> list:
    return signatures_of(documents, cached_analyses(documents))[0]


# --- measurements ---------------------------------------------------------------------------
def ranking(signatures: list, embeddings: np.ndarray, documents: list[dict], rerank: int = 10) -> dict:
    """P@1 of the translation among all documents of another language of the same year: by cosine,
    and by babelwire's combined score over the `rerank` nearest by cosine."""
    from babelwire.link.translations import TranslationSettings, pair_score

    settings = TranslationSettings()
    by_year_language: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, document in enumerate(documents):
        by_year_language[(document["year"], document["lang"])].append(index)
    hits_cosine = hits_combined = total = 0
    for (year, language), indices in by_year_language.items():
        for (other_year, other_language), others in by_year_language.items():
            if other_year != year or other_language == language:
                continue
            similarities = embeddings[indices] @ embeddings[others].T
            for row, index in enumerate(indices):
                order = np.argsort(-similarities[row])
                total += 1
                hits_cosine += documents[others[order[0]]]["docid"] == documents[index]["docid"]
                candidates = [others[k] for k in order[:rerank]]
                scores = [pair_score(signatures[index], signatures[c], float(similarities[row, k]), settings)[0]
                          for c, k in zip(candidates, order[:rerank])]
                best = candidates[int(np.argmax(scores))]
                hits_combined += documents[best]["docid"] == documents[index]["docid"]
    return {"queries": total, "p_at_1_cosine": round(hits_cosine / total, 4),
            "p_at_1_combined_rerank": round(hits_combined / total, 4)}


def half_pool(documents: list[dict], seed: int) -> list[int]:
    """All years together; of each year's documents in each language, a random half is removed."""
    rng = random.Random(seed)
    by_year_language: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, document in enumerate(documents):
        by_year_language[(document["year"], document["lang"])].append(index)
    kept = []
    for key in sorted(by_year_language):
        indices = by_year_language[key]
        kept.extend(rng.sample(indices, len(indices) - len(indices) // 2))
    return sorted(kept)


def grouping_scores(kept: list[int], documents: list[dict], group_of_index: dict[int, int]) -> dict:
    """Pairwise precision / recall / F1, BCubed F1, and false links between different documents of
    one year (WMT documents of a year come from the same few days)."""
    gold = {i: (documents[i]["year"], documents[i]["docid"]) for i in kept}
    predicted = {i: group_of_index.get(i, ("alone", i)) for i in kept}
    gold_members, predicted_members = defaultdict(set), defaultdict(set)
    for i in kept:
        gold_members[gold[i]].add(i)
        predicted_members[predicted[i]].add(i)
    true_positive = false_positive = false_same_day = 0
    for members in predicted_members.values():
        ordered = sorted(members)
        for x in range(len(ordered)):
            for y in range(x + 1, len(ordered)):
                a, b = ordered[x], ordered[y]
                if gold[a] == gold[b]:
                    true_positive += 1
                else:
                    false_positive += 1
                    false_same_day += gold[a][0] == gold[b][0]
    gold_pairs = sum(len(m) * (len(m) - 1) // 2 for m in gold_members.values())
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 1.0
    recall = true_positive / gold_pairs if gold_pairs else 1.0
    b_precision = b_recall = 0.0
    for i in kept:
        shared = len(gold_members[gold[i]] & predicted_members[predicted[i]])
        b_precision += shared / len(predicted_members[predicted[i]])
        b_recall += shared / len(gold_members[gold[i]])
    b_precision /= len(kept)
    b_recall /= len(kept)
    return {"precision": precision, "recall": recall,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "bcubed_f1": 2 * b_precision * b_recall / (b_precision + b_recall),
            "false_links_same_day": false_same_day, "gold_pairs": gold_pairs}


def components(kept: list[int], pairs) -> dict[int, int]:
    """Connected components of the kept documents over linked pairs: document -> component root."""
    parent = {i: i for i in kept}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        parent[find(a)] = find(b)
    return {i: find(i) for i in kept}


def connected_components(kept: list[int], embeddings: np.ndarray, documents: list[dict], threshold: float) -> dict[int, int]:
    """The alternative a user would script: link every cross-language pair over a cosine threshold
    and take connected components."""
    vectors = embeddings[kept]
    similarities = vectors @ vectors.T
    rows, columns = np.nonzero(np.triu(similarities, 1) >= threshold)
    pairs = ((kept[r], kept[c]) for r, c in zip(rows.tolist(), columns.tolist()))
    return components(kept, ((a, b) for a, b in pairs if documents[a]["lang"] != documents[b]["lang"]))


def babelwire_groups(kept: list[int], signatures: list, embeddings: np.ndarray, settings) -> dict[int, int]:
    from babelwire.link.translations import translation_groups

    index_of = {signatures[i].article_id: i for i in kept}
    groups = translation_groups([signatures[i] for i in kept], None if settings.mode == "evidence" else embeddings[kept], settings)
    return {index_of[member]: number for number, group in enumerate(groups) for member in group.members}


def pair_link_components(kept: list[int], signatures: list, embeddings: np.ndarray, settings) -> dict[int, int]:
    """What the corpus stores as it ingests: a translation link for every pair scoring at least
    ``link_threshold`` (no group-level decision), read back as connected components."""
    from babelwire.link.translations import scored_pairs

    scores = scored_pairs([signatures[i] for i in kept], embeddings[kept], settings)
    return components(kept, ((kept[a], kept[b]) for (a, b), (score, _) in scores.items() if score >= settings.link_threshold))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="docids per year, kept in every language (0: all)")
    parser.add_argument("--seeds", type=int, default=5, help="random halves of the pool")
    parser.add_argument("--reanalyse", action="store_true", help="drop the cached analyses (after a pipeline change)")
    parser.add_argument("--prepare", action="store_true", help="only fill the caches")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    if not WMT.exists():
        print(f"{WMT} is absent: the folder ../shared (evaluation data) is not beside this checkout")
        return 2
    from babelwire.link.embeddings import Embedder
    from babelwire.link.translations import TranslationSettings, cosine_score

    if args.reanalyse and ANALYSIS_CACHE.exists():
        ANALYSIS_CACHE.unlink()
    documents = load_wmt()
    if args.limit:
        documents = limit_documents(documents, args.limit)
    analyses = cached_analyses(documents)
    signatures, failed = signatures_of(documents, analyses)
    cache = EmbeddingCache()
    embeddings = cache.embed(signatures, Embedder(), "wmt")
    if args.prepare:
        return 0
    report: dict = {"documents": len(documents), "languages": sorted({d["lang"] for d in documents}),
                    "years": sorted({d["year"] for d in documents}), "analyses_failed": failed,
                    "with_entity_ids": sum(bool(s.entity_ids) for s in signatures),
                    "with_dates": sum(bool(s.dates) for s in signatures)}
    print(f"WMT newstest {', '.join(report['years'])}: {len(documents)} documents in {', '.join(report['languages'])}"
          f" ({report['with_entity_ids']} with entity ids, {report['with_dates']} with dates, {failed} analyses failed)")

    started = time.perf_counter()
    report["ranking"] = ranking(signatures, embeddings, documents)
    print(f"1. ranking within a year, {report['ranking']['queries']} queries: P@1 cosine of headline+lead "
          f"{report['ranking']['p_at_1_cosine']:.4f}, combined score over the 10 nearest "
          f"{report['ranking']['p_at_1_combined_rerank']:.4f} ({time.perf_counter() - started:.0f} s)")

    base = TranslationSettings()
    methods = {
        "babelwire combined": base,
        "babelwire evidence only": dataclasses.replace(base, mode="evidence"),
        # Embeddings alone need a lower bar (cosine 0.86): their best F1 on this data.
        "babelwire embeddings only": dataclasses.replace(base, mode="embeddings", group_threshold=cosine_score(0.86, base)),
        "babelwire corpus links (pairs, transitive)": ("pairs", base),
        "connected components, cosine >= 0.88": 0.88,
        "connected components, cosine >= 0.90": 0.90,
    }
    rows: dict[str, list[dict]] = defaultdict(list)
    for seed in range(args.seeds):
        kept = half_pool(documents, seed)
        for name, method in methods.items():
            began = time.perf_counter()
            if isinstance(method, float):
                assignment = connected_components(kept, embeddings, documents, method)
            elif isinstance(method, tuple):
                assignment = pair_link_components(kept, signatures, embeddings, method[1])
            else:
                assignment = babelwire_groups(kept, signatures, embeddings, method)
            scores = grouping_scores(kept, documents, assignment)
            scores["seconds"] = time.perf_counter() - began
            scores["pool"] = len(kept)
            rows[name].append(scores)
    print(f"2. translation groups in one pool of all years, half of each language removed ({args.seeds} seeds, "
          f"pool of {rows['babelwire combined'][0]['pool']}; mean [min–max]):")
    print(f"   {'method':40s} {'precision':>22s} {'recall':>22s} {'F1':>8s} {'BCubed F1':>9s} {'false same-day':>14s} {'s/run':>6s}")
    report["pool"] = {}
    for name, runs in rows.items():
        summary = {key: {"mean": round(statistics.mean(r[key] for r in runs), 4), "min": round(min(r[key] for r in runs), 4),
                         "max": round(max(r[key] for r in runs), 4)}
                   for key in ("precision", "recall", "f1", "bcubed_f1", "false_links_same_day", "seconds")}
        report["pool"][name] = summary
        p, r = summary["precision"], summary["recall"]
        print(f"   {name:40s} {p['mean']:.4f} [{p['min']:.4f}–{p['max']:.4f}] {r['mean']:.4f} [{r['min']:.4f}–{r['max']:.4f}]"
              f" {summary['f1']['mean']:8.4f} {summary['bcubed_f1']['mean']:9.4f} {summary['false_links_same_day']['mean']:14.1f}"
              f" {summary['seconds']['mean']:6.1f}")
    ours = report["pool"]["babelwire combined"]
    cc = report["pool"]["connected components, cosine >= 0.88"]
    print(f"   targets: precision >= 0.995 {'met' if ours['precision']['min'] >= 0.995 else 'NOT met'} "
          f"(min {ours['precision']['min']:.4f}), recall >= 0.99 {'met' if ours['recall']['min'] >= 0.99 else 'NOT met'} "
          f"(min {ours['recall']['min']:.4f}); F1 ratio to connected components at 0.88: "
          f"{ours['f1']['mean'] / cc['f1']['mean']:.3f}")
    if cache.computed:
        cache.save()
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def limit_documents(documents: list[dict], limit: int) -> list[dict]:
    """The first ``limit`` docids of each year, in every language (groups stay complete)."""
    kept: dict[str, list[str]] = defaultdict(list)
    for document in documents:
        ids = kept[document["year"]]
        if document["docid"] not in ids and len(ids) < limit:
            ids.append(document["docid"])
    allowed = {(year, docid) for year, ids in kept.items() for docid in ids}
    return [d for d in documents if (d["year"], d["docid"]) in allowed]


if __name__ == "__main__":
    sys.exit(main())
