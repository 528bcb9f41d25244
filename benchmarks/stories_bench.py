"""Story clustering of a multilingual stream (babelwire.link.stories).

    python benchmarks/stories_bench.py [--limit N] [--scale 1000,10000,100000] [--out FILE]

1. WMT newstest 2008–2011 (../shared/eval/linking/wmt): each docid is one article in 5–7 languages.
   Streamed in date order (the date in the docid, languages interleaved), the translations of one
   article must land in one story: share of translation groups in one story, by clustering alone
   and with the translation links babelwire finds passed to the clusterer.
2. ML-Crisis (../shared/eval/stream/ml-crisis): es/fr/it Global Voices posts on four crises in
   dated folders. Purity and inverse purity of the stories against the (coarse) topics, and how
   the reference timelines are covered: share of the dates of a topic's reference timeline that
   fall within the time span (±1 day) of a story of that topic with at least two articles.
   Side by side: babelwire's clusterer and the single-pass cosine-threshold clustering a user would
   script (no time decay, no entities), in the same run.
3. Cost: clustering time for 1k / 10k / 100k articles (signatures replayed in cycles with new ids,
   shifted dates and rotated embeddings — for speed only) and peak memory of the clusterer.

Signatures come from babelwire's analysis (cached in benchmarks/results/, as in linking_bench.py).
Published anchors for orientation (other data): Miranda et al. (EMNLP 2018) streaming multilingual
clustering F1 ≈ 94 (monolingual); Event Registry cross-lingual cluster linking F1 0.89.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gc
import json
import random
import re
import statistics
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from linking_bench import (RESULTS, SHARED, WMT, EmbeddingCache, cached_analyses, limit_documents,  # noqa: E402
                           load_wmt, signatures_of, wmt_signatures)

CRISIS = SHARED / "eval" / "stream" / "ml-crisis"
CRISIS_CACHE = RESULTS / "crisis_analyses.jsonl.gz"
ANCHORS = "anchors (other data): Miranda et al. 2018 streaming multilingual F1 ~94 (monolingual); Event Registry cross-lingual linking F1 0.89"


# --- data -----------------------------------------------------------------------------------
def load_crisis(root: Path = CRISIS) -> list[dict]:
    documents = []
    for path in sorted(root.glob("*/*/*/*.txt")):
        language, topic, day = path.parts[-4], path.parts[-3], path.parts[-2]
        if topic == "reference" or not re.fullmatch(r"\d{4}-\d\d-\d\d", day):
            continue
        text = path.read_text(encoding="utf-8")
        # One paragraph per line in these files; blank lines make paragraphs for the reader.
        body = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
        documents.append({"key": f"{language}/{topic}/{day}/{path.name}", "lang": language, "topic": topic,
                          "published": day, "title": "", "body": body, "source": path.name.split("_")[0]})
    return documents


def reference_timelines(root: Path = CRISIS) -> dict[tuple[str, str], list[str]]:
    timelines = {}
    for path in sorted(root.glob("*/reference/*.txt")):
        dates = re.findall(r"^(\d{4}-\d\d-\d\d)\s*$", path.read_text(encoding="utf-8"), flags=re.M)
        timelines[(path.parts[-3], path.stem)] = sorted(set(dates))
    return timelines


def crisis_signatures(documents: list[dict]) -> list:
    return signatures_of(documents, cached_analyses(documents, CRISIS_CACHE, "ml-crisis"))[0]


def docid_date(docid: str, year: str) -> str:
    """The date written in a WMT docid (napi.hu/2007/12/12/0, aktualne.cz-2010-12-02-…)."""
    found = re.search(r"(20\d\d)[/-](\d\d)[/-](\d\d)", docid)
    return f"{found.group(1)}-{found.group(2)}-{found.group(3)}" if found else f"{int(year) - 1}-12-01"


# --- clustering runs ------------------------------------------------------------------------
def run_stories(signatures, embeddings, order, settings, links_of=None) -> dict:
    """Streams articles in ``order`` through a clusterer; returns article id -> story id and the stories."""
    from babelwire.link.stories import StoryClusterer

    clusterer = StoryClusterer(settings)
    assignment = {}
    stories = []
    for index in order:
        signature = signatures[index]
        linked = links_of.get(signature.article_id, ()) if links_of else ()
        assignment[signature.article_id] = clusterer.add(signature, embeddings[index], linked_to=linked)
        stories.extend(clusterer.take_closed())
    stories.extend(clusterer.close_all())
    return {"assignment": assignment, "stories": stories}


def run_threshold_baseline(signatures, embeddings, order, threshold: float) -> dict:
    """Single-pass clustering on the cosine to cluster centroids (no time, no entities)."""
    centroids = np.zeros((0, embeddings.shape[1]), dtype=np.float32)
    sums = []
    assignment = {}
    for index in order:
        vector = embeddings[index]
        if len(sums):
            scores = centroids @ vector
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                sums[best] = sums[best] + vector
                centroids[best] = sums[best] / np.linalg.norm(sums[best])
                assignment[signatures[index].article_id] = best
                continue
        sums.append(vector.copy())
        centroids = np.vstack([centroids, vector[None, :]])
        assignment[signatures[index].article_id] = len(sums) - 1
    return {"assignment": assignment, "stories": None}


def purity(assignment: dict, labels: dict) -> tuple[float, float]:
    clusters, classes = defaultdict(list), defaultdict(list)
    for item, cluster in assignment.items():
        clusters[cluster].append(labels[item])
        classes[labels[item]].append(cluster)
    total = len(assignment)
    pure = sum(Counter(members).most_common(1)[0][1] for members in clusters.values()) / total
    inverse = sum(Counter(members).most_common(1)[0][1] for members in classes.values()) / total
    return pure, inverse


def timeline_coverage(stories, labels: dict, timelines: dict, languages: list[str]) -> dict:
    """Share of reference timeline dates inside (±1 day) the span of a story (≥ 2 articles) of the topic."""
    spans = defaultdict(list)
    for story in stories:
        if len(story.timeline) < 2 or not story.first:
            continue
        topic = Counter(labels[e.article_id] for e in story.timeline).most_common(1)[0][0]
        spans[topic].append((dt.date.fromisoformat(story.first) - dt.timedelta(days=1),
                             dt.date.fromisoformat(story.last) + dt.timedelta(days=1)))
    result = {}
    for (language, topic), dates in sorted(timelines.items()):
        if language not in languages or not dates:
            continue
        covered = sum(any(start <= dt.date.fromisoformat(d) <= end for start, end in spans[topic]) for d in dates)
        result[f"{language}/{topic}"] = round(covered / len(dates), 3)
    return result


# --- the three measurements ----------------------------------------------------------------
def wmt_measure(args, settings) -> dict:
    from babelwire.link.embeddings import Embedder
    from babelwire.link.translations import TranslationSettings, translation_groups

    documents = load_wmt()
    if args.limit:
        documents = limit_documents(documents, args.limit)
    signatures = wmt_signatures(documents)
    signatures = [dataclasses.replace(s, published=docid_date(d["docid"], d["year"])) for s, d in zip(signatures, documents)]
    embeddings = EmbeddingCache().embed(signatures, Embedder(), "wmt")
    rng = random.Random(7)
    order = sorted(range(len(signatures)), key=lambda i: (signatures[i].published, rng.random()))
    group_of = {s.article_id: (d["year"], d["docid"]) for s, d in zip(signatures, documents)}

    # Translation links over the stream, one day at a time (what the link stage hands the clusterer).
    links_of = defaultdict(set)
    by_day = defaultdict(list)
    for index, signature in enumerate(signatures):
        by_day[signature.published].append(index)
    for day, indices in by_day.items():
        pool = [signatures[i] for i in indices]
        for group in translation_groups(pool, embeddings[indices], TranslationSettings()):
            for member in group.members:
                links_of[member].update(m for m in group.members if m != member)

    result = {}
    for label, links in (("clustering alone", None), ("with translation links", links_of)):
        started = time.perf_counter()
        run = run_stories(signatures, embeddings, order, settings, links)
        elapsed = time.perf_counter() - started
        stories_of_group = defaultdict(set)
        for article, story in run["assignment"].items():
            stories_of_group[group_of[article]].add(story)
        in_one = sum(len(stories) == 1 for stories in stories_of_group.values()) / len(stories_of_group)
        docids_per_story = Counter(len({group_of[e.article_id] for e in story.timeline}) for story in run["stories"])
        result[label] = {
            "translation_groups_in_one_story": round(in_one, 4),
            "stories": len(run["stories"]),
            "stories_with_several_docids": sum(v for k, v in docids_per_story.items() if k > 1),
            "seconds": round(elapsed, 2),
        }
    baseline = run_threshold_baseline(signatures, embeddings, order, settings.join_similarity)
    stories_of_group = defaultdict(set)
    for article, story in baseline["assignment"].items():
        stories_of_group[group_of[article]].add(story)
    result["baseline: cosine threshold, no decay"] = {
        "translation_groups_in_one_story": round(sum(len(s) == 1 for s in stories_of_group.values()) / len(stories_of_group), 4),
        "stories": len(set(baseline["assignment"].values())),
    }
    result["documents"] = len(signatures)
    result["translation_groups"] = len(set(group_of.values()))
    return result


def crisis_measure(args, settings) -> dict:
    from babelwire.link.embeddings import Embedder

    documents = load_crisis()
    if args.limit:
        documents = documents[::max(1, len(documents) // max(1, args.limit * 3))]
    signatures = crisis_signatures(documents)
    # The folder date is the publication date; the analysis may not find one in the text.
    signatures = [dataclasses.replace(s, published=d["published"]) for s, d in zip(signatures, documents)]
    embeddings = EmbeddingCache().embed(signatures, Embedder(), "ml-crisis")
    labels = {s.article_id: d["topic"] for s, d in zip(signatures, documents)}
    rng = random.Random(11)
    order = sorted(range(len(signatures)), key=lambda i: (signatures[i].published, rng.random()))
    timelines = reference_timelines()
    languages = sorted({d["lang"] for d in documents})
    result = {"documents": len(signatures), "languages": languages, "topics": dict(Counter(labels.values()))}

    run = run_stories(signatures, embeddings, order, settings)
    pure, inverse = purity(run["assignment"], labels)
    sizes = [len(story.timeline) for story in run["stories"]]
    multilingual = sum(len(story.languages) > 1 for story in run["stories"] if len(story.timeline) > 1)
    result["babelwire"] = {
        "purity": round(pure, 4), "inverse_purity": round(inverse, 4),
        "f_measure": round(2 * pure * inverse / (pure + inverse), 4),
        "stories": len(sizes), "stories_of_2_or_more": sum(s >= 2 for s in sizes),
        "multilingual_stories": multilingual, "largest_story": max(sizes),
        "timeline_coverage": timeline_coverage(run["stories"], labels, timelines, languages),
    }
    coverage = result["babelwire"]["timeline_coverage"]
    result["babelwire"]["timeline_coverage_mean"] = round(statistics.mean(coverage.values()), 4) if coverage else None
    top = sorted(run["stories"], key=lambda story: -len(story.timeline))[:5]
    result["babelwire"]["largest_stories"] = [
        {"label": story.label_entities, "headline": story.headline[:90], "span": [story.first, story.last],
         "languages": story.languages, "size": len(story.timeline)} for story in top]

    baseline = run_threshold_baseline(signatures, embeddings, order, settings.join_similarity)
    pure, inverse = purity(baseline["assignment"], labels)
    result["baseline: cosine threshold, no decay"] = {
        "purity": round(pure, 4), "inverse_purity": round(inverse, 4),
        "f_measure": round(2 * pure * inverse / (pure + inverse), 4),
        "stories": len(set(baseline["assignment"].values())),
    }
    return result


def scale_measure(sizes: list[int], settings) -> dict:
    """Clustering time and peak memory as the stream grows (for speed only).

    The ML-Crisis signatures are replayed in cycles: each cycle squeezes the posts, in date order,
    into two days of stream time, gives them new ids, and turns all their embeddings by one random
    rotation of its own (cosines inside a cycle are kept, so the clustering work per article is
    realistic, while a cycle's stories never absorb the next cycle's copies and close in turn).
    """
    from babelwire.link.embeddings import Embedder
    from babelwire.link.stories import StoryClusterer

    documents = load_crisis()
    base = [dataclasses.replace(s, published=d["published"]) for s, d in zip(crisis_signatures(documents), documents)]
    vectors = EmbeddingCache().embed(base, Embedder(), "ml-crisis")
    order = sorted(range(len(base)), key=lambda i: (base[i].published, i))
    rng = np.random.default_rng(5)
    start = dt.date(2020, 1, 1)
    cycle_days = 2
    rows = {}
    for size in sizes:
        gc.collect()
        tracemalloc.start()
        clusterer = StoryClusterer(settings)
        elapsed = 0.0
        closed = 0
        rotation = None
        for i in range(size):
            cycle, position = divmod(i, len(order))
            if position == 0:
                rotation, _ = np.linalg.qr(rng.normal(size=(vectors.shape[1], vectors.shape[1])))
                rotation = rotation.astype(np.float32)
            original = base[order[position]]
            day = start + dt.timedelta(days=cycle * cycle_days + position * cycle_days // len(order))
            signature = dataclasses.replace(original, article_id=i, published=day.isoformat())
            vector = vectors[order[position]] @ rotation
            began = time.perf_counter()
            clusterer.add(signature, vector)
            closed += len(clusterer.take_closed())
            elapsed += time.perf_counter() - began
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rows[str(size)] = {"seconds": round(elapsed, 2), "microseconds_per_article": round(elapsed / size * 1e6, 1),
                           "open_stories_at_end": len(clusterer), "closed_stories": closed,
                           "peak_memory_mb": round(peak / 2**20, 1)}
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=0, help="WMT docids per year (and about 3x as many ML-Crisis posts)")
    parser.add_argument("--scale", default="1000,10000,100000", help="stream sizes for the cost measurement ('' to skip)")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    from babelwire.link.stories import StorySettings

    settings = StorySettings()
    report: dict = {"settings": dataclasses.asdict(settings)}
    if WMT.exists():
        report["wmt"] = wmt_measure(args, settings)
        print("WMT newstest 2008–2011: translation groups landing in one story")
        for label, row in report["wmt"].items():
            if isinstance(row, dict):
                print(f"  {label:38s} {json.dumps(row)}")
        print(f"  documents {report['wmt']['documents']}, translation groups {report['wmt']['translation_groups']}")
    else:
        print(f"{WMT} is absent: WMT part skipped")
    if CRISIS.exists():
        report["ml_crisis"] = crisis_measure(args, settings)
        crisis = report["ml_crisis"]
        print(f"ML-Crisis ({crisis['documents']} posts, {', '.join(crisis['languages'])}; topics {crisis['topics']})")
        for label in ("babelwire", "baseline: cosine threshold, no decay"):
            row = {k: v for k, v in crisis[label].items() if k not in ("timeline_coverage", "largest_stories")}
            print(f"  {label:38s} {json.dumps(row)}")
        print(f"  timeline coverage by language/topic: {json.dumps(crisis['babelwire']['timeline_coverage'])}")
        for story in crisis["babelwire"]["largest_stories"]:
            print(f"    story {story['size']:3d} {story['span']} {story['languages']} {story['label']} | {story['headline']}")
        print(f"  {ANCHORS}")
        if args.scale:
            sizes = [int(x) for x in args.scale.split(",") if x]
            report["scale"] = scale_measure(sizes, settings)
            print("Cost as the stream grows (ML-Crisis replayed in 2-day cycles, ~165 articles/day):")
            for size, row in report["scale"].items():
                print(f"  {int(size):>7,d} articles: {json.dumps(row)}")
    else:
        print(f"{CRISIS} is absent: ML-Crisis part skipped")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
