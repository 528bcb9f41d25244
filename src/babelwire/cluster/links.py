"""The link stage over a whole batch, the way it is done at web scale: parallel per partition, then
merged across partitions.

1. Fingerprints, per partition of the articles dataset, in parallel on the cluster: each article's
   signature (``signature_from_analysis``), the hash of its clean text, its MinHash over word
   shingles of the body, the MinHash cut into LSH bands (one 64-bit key per band), and the
   embedding of its headline and lead. Written next to the articles (``signatures/…``), one file
   per article file, so that a rerun only fingerprints what is new.
2. Duplicates, across all partitions: exact copies share the clean-text hash; near-duplicate
   candidates share a band key in at least one band (the band buckets of every partition merged),
   and are checked on the MinHash estimate of their Jaccard similarity (or containment, for a copy
   cut short). The decisions are those of ``NearDuplicateIndex`` (same settings, same LSH bands
   as datasketch's for the threshold, same tests), in batch order: by date, then by input name.
3. Translations: candidate pairs are articles in different languages whose embeddings are close
   (``candidate_cosine``) and that are at most ``max_days_apart`` days apart (date windows; an
   undated article is compared with all). Candidate pairs and copy links cut the batch into
   connected components, and ``translation_groups`` runs on each component, on the cluster.
   Average linkage only ever merges articles joined by a scored pair, so this gives the groups of
   a single ``translation_groups`` call over the whole batch.
4. Stories: ``StoryClusterer`` over the whole batch in date order (an undated article takes the
   date of an article it is a copy or translation of, else of the article before it in input
   order), each article told which articles it is linked to.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from babelwire.cluster.dataset import BatchOutput, write_atomically, write_json
from babelwire.link.signature import ArticleSignature

SIGNATURE_SCHEMA = pa.schema([
    ("key", pa.string()),
    ("language", pa.string()),
    ("date", pa.string()),
    ("exact_hash", pa.string()),  # sha256 of the clean text, white space normalised
    ("shingles", pa.int32()),
    ("minhash", pa.binary()),  # uint32 × num_perm, little-endian; null when too short for the LSH
    ("bands", pa.binary()),  # uint64 × bands: one key per LSH band
    ("embedding", pa.binary()),  # float32 × 384, L2-normalised; null without embeddings
    ("signature_json", pa.string()),  # the ArticleSignature without its clean text
])
LINK_SCHEMA = pa.schema([("a", pa.string()), ("b", pa.string()), ("kind", pa.string()), ("score", pa.float64()),
                         ("evidence_json", pa.string())])
GROUP_SCHEMA = pa.schema([("group", pa.string()), ("members", pa.list_(pa.string())), ("languages", pa.list_(pa.string())),
                          ("size", pa.int32())])
TIMELINE_TYPE = pa.struct([("date", pa.string()), ("key", pa.string()), ("title", pa.string()), ("language", pa.string()),
                           ("source", pa.string()), ("similarity", pa.float64())])
STORY_SCHEMA = pa.schema([
    ("story", pa.string()), ("headline", pa.string()), ("label_entities", pa.list_(pa.string())),
    ("label_entity_ids", pa.list_(pa.string())), ("first", pa.string()), ("last", pa.string()),
    ("languages", pa.list_(pa.string())), ("sources", pa.list_(pa.string())), ("size", pa.int32()),
    ("timeline", pa.list_(TIMELINE_TYPE)),
])
FINGERPRINT_COLUMNS = ["key", "article_id", "text", "clean_text", "metadata_json", "segments_json", "edits_json",
                       "published_json", "entities_json", "mentions_json", "times_json", "language", "date"]
# Odd 64-bit multipliers that fold the r MinHash values of a band into one key (a collision only
# adds a candidate pair, which the Jaccard check then turns down).
_BAND_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
                              0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9], dtype=np.uint64)


@dataclass(frozen=True)
class BatchLinkSettings:
    """The link settings a batch uses: ``config.link`` when the configuration has one."""

    duplicates: Any = None
    translations: Any = None
    stories: Any = None
    embedding: Any = None

    @staticmethod
    def of(config) -> BatchLinkSettings:
        from babelwire.link.duplicates import DuplicateSettings
        from babelwire.link.embeddings import EmbeddingSettings
        from babelwire.link.stories import StorySettings
        from babelwire.link.translations import TranslationSettings

        link = getattr(config, "link", None)
        return BatchLinkSettings(getattr(link, "duplicates", None) or DuplicateSettings(),
                                 getattr(link, "translations", None) or TranslationSettings(),
                                 getattr(link, "stories", None) or StorySettings(),
                                 getattr(link, "embedding", None) or EmbeddingSettings())


@dataclass
class LinkSummary:
    articles: int = 0
    fingerprinted: int = 0  # articles fingerprinted in this run (the others were already)
    duplicates: int = 0
    near_duplicates: int = 0
    candidate_pairs: int = 0  # translation candidates (cosine and date window)
    components: int = 0  # connected components given to translation_groups
    translation_groups: int = 0
    translation_links: int = 0
    stories: int = 0
    up_to_date: bool = False  # nothing new since the last run: the link tables were kept
    seconds: dict[str, float] = field(default_factory=dict)


# --- signatures as JSON (without the clean text: the later stages do not read it) --------------
def signature_to_json(signature: ArticleSignature) -> str:
    data = {}
    for item in dataclasses.fields(ArticleSignature):
        value = getattr(signature, item.name)
        if isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = [list(v) if isinstance(v, tuple) else v for v in value]
        data[item.name] = value
    data["clean_text"] = ""
    return json.dumps(data, ensure_ascii=False)


def signature_from_json(text: str) -> ArticleSignature:
    data = json.loads(text)
    values = {}
    for item in dataclasses.fields(ArticleSignature):
        if item.name not in data:
            continue
        value = data[item.name]
        if isinstance(item.default, frozenset):
            value = frozenset(value)
        elif isinstance(item.default, tuple):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        values[item.name] = value
    return ArticleSignature(**values)


# --- stage 1: fingerprints, per partition, on the workers ---------------------------------------
def lsh_bands(duplicate_settings) -> tuple[int, int]:
    """(bands, rows per band) that datasketch's MinHashLSH picks for the candidate threshold."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=duplicate_settings.candidate_threshold, num_perm=duplicate_settings.num_perm)
    return lsh.b, lsh.r


def band_keys(hashvalues: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One uint64 key per band of a MinHash (rows ≤ 8 values folded with odd multipliers)."""
    if rows > len(_BAND_MULTIPLIERS):
        raise ValueError(f"{rows} rows per band: at most {len(_BAND_MULTIPLIERS)} are supported")
    values = np.asarray(hashvalues[:bands * rows], dtype=np.uint64).reshape(bands, rows)
    with np.errstate(over="ignore"):
        return (values * _BAND_MULTIPLIERS[:rows]).sum(axis=1, dtype=np.uint64) ^ np.uint64(rows)


def record_for_signature(row: dict[str, Any]) -> dict[str, Any]:
    """The parts of the analysis record a signature is built from, out of an article row."""
    return {
        "id": row["article_id"], "text": row["text"], "clean_text": row["clean_text"], "language": row["language"],
        "metadata": json.loads(row["metadata_json"]), "segments": json.loads(row["segments_json"]),
        "edits": json.loads(row["edits_json"]), "published": json.loads(row["published_json"]),
        "entities": json.loads(row["entities_json"]), "mentions": json.loads(row["mentions_json"]),
        "times": json.loads(row["times_json"]),
    }


def fingerprint_of(signature: ArticleSignature, duplicate_settings, bands: tuple[int, int]) -> dict[str, Any]:
    """What stage 2 needs of one article: clean-text hash, shingle count, MinHash and its band keys."""
    from babelwire.link.duplicates import body_of, clean_text_hash, minhash_of, shingles

    shingle_set = shingles(body_of(signature), duplicate_settings.shingle_words)
    minhash = bands_bytes = None
    if len(shingle_set) >= duplicate_settings.min_shingles:
        values = minhash_of(shingle_set, duplicate_settings.num_perm).hashvalues
        minhash = np.asarray(values, dtype="<u4").tobytes()
        bands_bytes = band_keys(values, *bands).astype("<u8").tobytes()
    return {"exact_hash": clean_text_hash(signature.clean_text), "shingles": len(shingle_set),
            "minhash": minhash, "bands": bands_bytes}


def fingerprint_rows(table: pa.Table, settings: BatchLinkSettings, bands: tuple[int, int], embedder) -> pa.Table:
    """The task of stage 1: signature, exact hash, MinHash, band keys and embedding of each row."""
    from babelwire.link.signature import signature_from_analysis

    rows = table.to_pylist()
    signatures = [signature_from_analysis(record_for_signature(row), article_id=row["key"]) for row in rows]
    vectors = embedder.embed(signatures) if embedder is not None and signatures else None
    out = []
    for index, (row, signature) in enumerate(zip(rows, signatures)):
        out.append({
            "key": row["key"], "language": row["language"], "date": row["date"],
            **fingerprint_of(signature, settings.duplicates, bands),
            "embedding": None if vectors is None else np.asarray(vectors[index], dtype="<f4").tobytes(),
            "signature_json": signature_to_json(signature), "file": row["file"],
        })
    return pa.Table.from_pylist(out, schema=SIGNATURE_SCHEMA.append(pa.field("file", pa.string())))


def _signature_path(out_dir: str, article_file: str) -> str:
    return os.path.join(out_dir, "signatures", article_file)


def read_article_rows(out_dir: str, files: Sequence[str]) -> pa.Table:
    """The columns stage 1 reads of some article files, with their partition values and file name."""
    from babelwire.cluster.dataset import ARTICLE_SCHEMA

    wanted = [c for c in FINGERPRINT_COLUMNS if c not in ("language", "date")]
    tables = []
    for name in files:
        table = pq.read_table(os.path.join(out_dir, "articles", name), columns=wanted,
                              schema=pa.schema([ARTICLE_SCHEMA.field(c) for c in wanted]))
        language, date = partition_values(name)
        count = table.num_rows
        table = table.append_column("language", pa.array([language] * count, pa.string()))
        table = table.append_column("date", pa.array([date] * count, pa.string()))
        tables.append(table.append_column("file", pa.array([name] * count, pa.string())))
    return pa.concat_tables(tables)


def write_signatures(out_dir: str, result: pa.Table) -> int:
    """Writes stage 1's rows to one signature file per article file; returns the rows written."""
    done = 0
    for name in sorted(set(result.column("file").to_pylist())):
        part = result.filter(pc.equal(result.column("file"), name)).drop_columns(["file"])
        write_atomically(_signature_path(out_dir, name), lambda path, part=part: pq.write_table(part, path))
        done += part.num_rows
    return done


def fingerprint_files(out_dir: str, files: list[str], settings: BatchLinkSettings, bands: tuple[int, int], embedder) -> int:
    """The task of stage 1 where the workers see the output folder: read, fingerprint, write."""
    return write_signatures(out_dir, fingerprint_rows(read_article_rows(out_dir, files), settings, bands, embedder))


def _read_probe(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return None


def workers_see(out_dir: str, client) -> bool:
    """Whether every worker sees the output folder as this process does (a local cluster, or a
    shared file system): then the workers read and write the files themselves."""
    import uuid

    token = uuid.uuid4().hex
    probe = os.path.join(os.path.abspath(out_dir), f"_probe-{token}")
    with open(probe, "w", encoding="utf-8") as handle:
        handle.write(token)
    try:
        answers = client.run(_read_probe, probe)
    except Exception:
        return False
    finally:
        os.remove(probe)
    return bool(answers) and all(answer == token for answer in answers.values())


def fingerprint_partitions(out_dir: str, article_files: Sequence[str], client, settings: BatchLinkSettings,
                           embedder, bytes_per_task: int = 4 << 20) -> int:
    """Stage 1 on the cluster for the article files not fingerprinted yet; returns the rows done.

    Where the workers see the output folder they read the article files and write the signature
    files themselves; elsewhere the rows travel through this process.
    """
    from distributed import as_completed

    missing = [f for f in article_files if not os.path.exists(_signature_path(out_dir, f))]
    by_partition: dict[str, list[str]] = defaultdict(list)
    for name in missing:
        by_partition[os.path.dirname(name)].append(name)
    # A task takes the files of one partition, or of several small ones (a task per tiny partition
    # would cost more in round trips than in work), up to about ``bytes_per_task`` of Parquet.
    tasks: list[list[str]] = []
    group: list[str] = []
    size = 0
    for partition in sorted(by_partition):
        for name in by_partition[partition]:
            group.append(name)
            size += os.path.getsize(os.path.join(out_dir, "articles", name))
            if size >= bytes_per_task:
                tasks.append(group)
                group, size = [], 0
    if group:
        tasks.append(group)
    if not tasks:
        return 0
    bands = lsh_bands(settings.duplicates)
    shared = workers_see(out_dir, client)
    root = os.path.abspath(out_dir)

    def submit(files: list[str]):
        if shared:
            return client.submit(fingerprint_files, root, files, settings, bands, embedder, pure=False, retries=2)
        return client.submit(fingerprint_rows, read_article_rows(out_dir, files), settings, bands, embedder,
                             pure=False, retries=2)

    done = 0
    limit = max(2, 2 * sum(client.nthreads().values()) + 1)
    pending = iter(tasks)
    completed = as_completed([submit(files) for files in itertools.islice(pending, limit)])
    for future in completed:
        result = future.result()
        future.release()
        done += result if shared else write_signatures(out_dir, result)
        files = next(pending, None)
        if files is not None:
            completed.add(submit(files))
    return done


def partition_values(article_file: str) -> tuple[str, str | None]:
    values = dict(piece.split("=", 1) for piece in os.path.dirname(article_file).split(os.sep) if "=" in piece)
    date = values.get("date")
    return values.get("language", "und"), None if date in (None, "__HIVE_DEFAULT_PARTITION__") else date


# --- batch order -----------------------------------------------------------------------------
def natural_key(name: str) -> tuple:
    """Input names in reading order: "feed.jsonl:9" before "feed.jsonl:10"."""
    return tuple(int(piece) if piece.isdigit() else piece for piece in re.split(r"(\d+)", name))


@dataclass
class Fingerprints:
    """Stage 1's output for the whole batch, in batch order (by date, undated last, then by name)."""

    keys: list[str]
    languages: np.ndarray
    dates: list[str | None]
    exact: list[str]
    shingles: np.ndarray
    minhash: list[bytes | None]
    bands: list[bytes | None]
    embeddings: np.ndarray | None
    signature_json: list[str]

    @classmethod
    def load(cls, out_dir: str, article_files: Sequence[str]) -> Fingerprints:
        import pyarrow.dataset as pads

        if not article_files:
            return cls.from_table(SIGNATURE_SCHEMA.empty_table())
        # Read with pyarrow's threads: a batch has many small files.
        dataset = pads.dataset([_signature_path(out_dir, name) for name in article_files], schema=SIGNATURE_SCHEMA,
                               format="parquet")
        return cls.from_table(dataset.to_table())

    @classmethod
    def from_table(cls, table: pa.Table) -> Fingerprints:
        columns = {name: table.column(name).to_pylist() for name in SIGNATURE_SCHEMA.names}
        order = sorted(range(table.num_rows), key=lambda i: (columns["date"][i] or "9999-99-99", natural_key(columns["key"][i])))

        def pick(values: list) -> list:
            return [values[i] for i in order]

        embeddings = pick(columns["embedding"])
        vectors = None
        if embeddings and all(e is not None for e in embeddings):
            vectors = np.frombuffer(b"".join(embeddings), dtype="<f4").reshape(len(embeddings), -1).astype(np.float32)
        return cls(pick(columns["key"]), np.array(pick(columns["language"]), dtype=object), pick(columns["date"]),
                   pick(columns["exact_hash"]), np.array(pick(columns["shingles"]), dtype=np.int64),
                   pick(columns["minhash"]), pick(columns["bands"]), vectors, pick(columns["signature_json"]))

    @classmethod
    def from_rows(cls, rows: Sequence[dict[str, Any]]) -> Fingerprints:
        """From rows with the columns of the signature files (already fingerprinted articles)."""
        return cls.from_table(pa.Table.from_pylist(list(rows), schema=SIGNATURE_SCHEMA))

    def __len__(self) -> int:
        return len(self.keys)


# --- stage 2: duplicates across partitions ----------------------------------------------------
def duplicate_pairs(prints: Fingerprints, settings, max_bucket: int = 200) -> list[dict]:
    """Exact and near-duplicate links ("a" earlier in batch order than "b"), as NearDuplicateIndex
    decides them: exact copies by clean-text hash; near copies among LSH band-bucket mates."""
    links: list[dict] = []
    first_of: dict[str, int] = {}
    distinct = []  # indices that go into the LSH: first of their text, long enough
    for index, digest in enumerate(prints.exact):
        first = first_of.setdefault(digest, index)
        if first != index:
            links.append({"a": prints.keys[first], "b": prints.keys[index], "kind": "duplicate", "score": 1.0,
                          "evidence": {"clean_text_sha256": digest}})
        elif prints.minhash[index] is not None:
            distinct.append(index)
    if len(distinct) < 2:
        return links
    members = np.array(distinct, dtype=np.int64)
    bands = np.frombuffer(b"".join(prints.bands[i] for i in distinct), dtype="<u8").reshape(len(distinct), -1)
    hashes = np.frombuffer(b"".join(prints.minhash[i] for i in distinct), dtype="<u4").reshape(len(distinct), -1)
    candidates = _bucket_pairs(bands, max_bucket)
    if not len(candidates):
        return links
    first, second = candidates[:, 0], candidates[:, 1]
    languages = prints.languages[members]
    same_language = languages[first] == languages[second]
    first, second = first[same_language], second[same_language]
    jaccard = np.concatenate([(hashes[first[i:i + 100_000]] == hashes[second[i:i + 100_000]]).mean(axis=1)
                              for i in range(0, len(first), 100_000)]) if len(first) else np.zeros(0)
    size_a, size_b = prints.shingles[members[first]].astype(np.float64), prints.shingles[members[second]].astype(np.float64)
    shared = jaccard * (size_a + size_b) / (1.0 + jaccard)
    contained = np.minimum(1.0, shared / np.minimum(size_a, size_b))
    length_ratio = np.minimum(size_a, size_b) / np.maximum(size_a, size_b)
    passed = (jaccard >= settings.near_duplicate_jaccard) | (
        (contained >= settings.near_duplicate_containment) & (length_ratio >= settings.min_length_ratio))
    score = np.maximum(jaccard, contained * np.sqrt(length_ratio))
    by_later: dict[int, list[dict]] = defaultdict(list)
    for k in np.flatnonzero(passed).tolist():
        a, b = int(members[first[k]]), int(members[second[k]])
        by_later[b].append({"a": prints.keys[a], "b": prints.keys[b], "kind": "near-duplicate", "score": round(float(score[k]), 4),
                            "evidence": {"jaccard": round(float(jaccard[k]), 4), "containment": round(float(contained[k]), 4),
                                         "length_ratio": round(float(length_ratio[k]), 4), "shingle_words": settings.shingle_words}})
    for b in sorted(by_later):
        links.extend(sorted(by_later[b], key=lambda link: -link["score"])[:settings.max_links])
    return links


def _bucket_pairs(bands: np.ndarray, max_bucket: int) -> np.ndarray:
    """Row pairs (i < j) that share a key in at least one band. A bucket larger than ``max_bucket``
    (boilerplate shared by many pages) pairs each member with the ``max_bucket`` before it only."""
    found = []
    for column in range(bands.shape[1]):
        keys = bands[:, column]
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1])))
        ends = np.concatenate((starts[1:], [len(keys)]))
        for start, end in zip(starts[ends - starts > 1].tolist(), ends[ends - starts > 1].tolist()):
            bucket = np.sort(order[start:end])
            for position in range(1, len(bucket)):
                earlier = bucket[max(0, position - max_bucket):position]
                found.append(np.column_stack((earlier, np.full(len(earlier), bucket[position]))))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    return np.unique(pairs, axis=0)


# --- stage 3: translations --------------------------------------------------------------------
def _day_numbers(dates: Sequence[str | None]) -> np.ndarray:
    days = np.full(len(dates), -1, dtype=np.int64)
    for index, value in enumerate(dates):
        if value:
            try:
                days[index] = dt.date.fromisoformat(value).toordinal()
            except ValueError:
                pass
    return days


def translation_candidates(vectors: np.ndarray, languages: np.ndarray, dates: Sequence[str | None],
                           min_cosine: float, max_days: int) -> np.ndarray:
    """Pairs (i < j, cosine) of articles in different languages, close in embedding, at most
    ``max_days`` apart (an undated article against every other)."""
    days = _day_numbers(dates)
    dated = np.flatnonzero(days >= 0)
    dated = dated[np.argsort(days[dated], kind="stable")]
    undated = np.flatnonzero(days < 0)
    found = []

    def collect(rows: np.ndarray, columns: np.ndarray, upper: bool) -> None:
        if not len(rows) or not len(columns):
            return
        similarities = vectors[rows] @ vectors[columns].T
        r, c = np.nonzero(similarities >= min_cosine)
        i, j = rows[r], columns[c]
        keep = languages[i] != languages[j]
        if upper:
            keep &= i != j
        i, j, cos = i[keep], j[keep], similarities[r[keep], c[keep]]
        found.append(np.column_stack((np.minimum(i, j), np.maximum(i, j), cos)))

    sorted_days = days[dated]
    day_values, starts = np.unique(sorted_days, return_index=True)
    for value, start in zip(day_values.tolist(), starts.tolist()):
        end = int(np.searchsorted(sorted_days, value, side="right"))
        window_end = int(np.searchsorted(sorted_days, value + max_days, side="right"))
        # The day against itself (each pair once: j after i) and against the next max_days days.
        collect(dated[start:end], dated[start:window_end], True)
    if len(undated):
        collect(undated, np.arange(len(vectors)), True)
    if not found:
        return np.zeros((0, 3))
    pairs = np.concatenate(found)
    if not len(pairs):
        return pairs
    # Pairs seen twice (within one day, or both undated) are kept once.
    _, unique = np.unique(pairs[:, :2].astype(np.int64), axis=0, return_index=True)
    return pairs[np.sort(unique)]


def components(count: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (of two members or more) of a graph on ``count`` nodes."""
    parent = list(range(count))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in edges:
        root_a, root_b = find(a), find(b)
        if root_a != root_b:
            parent[max(root_a, root_b)] = min(root_a, root_b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(count):
        groups[find(i)].append(i)
    return [members for members in groups.values() if len(members) > 1]


def groups_of_components(pools: list[tuple[list[str], np.ndarray, list[dict]]], settings) -> list[dict]:
    """The task of stage 3: ``translation_groups`` on each component (signatures as JSON, vectors, copy links)."""
    from babelwire.link.signature import Link
    from babelwire.link.translations import translation_groups

    found = []
    for signature_texts, vectors, copies in pools:
        signatures = [signature_from_json(text) for text in signature_texts]
        copy_links = [Link(c["a"], c["b"], c["kind"], c["score"]) for c in copies]
        for group in translation_groups(signatures, vectors, settings, copy_links):
            found.append({"members": list(group.members), "languages": list(group.languages),
                          "links": [link.to_dict() for link in group.links]})
    return found


def translation_stage(prints: Fingerprints, copies: list[dict], client, settings, articles_per_task: int = 600) -> tuple[list[dict], int, int]:
    """(groups, candidate pairs, components) over the whole batch."""
    from distributed import as_completed

    if prints.embeddings is None or not len(prints):
        return [], 0, 0
    translations = settings
    pairs = translation_candidates(prints.embeddings, prints.languages, prints.dates,
                                   translations.candidate_cosine, translations.max_days_apart)
    index_of = {key: i for i, key in enumerate(prints.keys)}
    copy_edges = [(index_of[c["a"]], index_of[c["b"]]) for c in copies]
    edges = [(int(a), int(b)) for a, b, _ in pairs.tolist()] + copy_edges
    pools = [members for members in components(len(prints), edges) if len(set(prints.languages[members].tolist())) > 1]
    copies_by_key: dict[str, list[dict]] = defaultdict(list)
    for link in copies:
        copies_by_key[link["b"]].append(link)

    def pool_of(members: list[int]):
        keys = {prints.keys[i] for i in members}
        inside = [link for i in members for link in copies_by_key.get(prints.keys[i], []) if link["a"] in keys]
        return [prints.signature_json[i] for i in members], prints.embeddings[members], inside

    tasks, current, size = [], [], 0
    for members in pools:
        current.append(members)
        size += len(members)
        if size >= articles_per_task:
            tasks.append(current)
            current, size = [], 0
    if current:
        tasks.append(current)
    futures = [client.submit(groups_of_components, [pool_of(m) for m in task], translations, pure=False, retries=2)
               for task in tasks]
    groups = []
    for future in as_completed(futures):
        groups.extend(future.result())
        future.release()
    rank = {key: i for i, key in enumerate(prints.keys)}
    for group in groups:
        group["members"].sort(key=rank.__getitem__)
    groups.sort(key=lambda group: rank[group["members"][0]])
    return groups, len(pairs), len(pools)


# --- stage 4: stories ------------------------------------------------------------------------
def story_order(prints: Fingerprints, linked: dict[str, set[str]], reach: float) -> list[int]:
    """The order stories are built in: by date, and within a day the articles the link stage tied to
    others (copies, translations: the core of an event) before the independent ones, dated before
    undated (an undated article is placed in the stream, it does not move the stream's clock).

    An undated article takes the date of an article it is linked to, else of the dated article
    closest to it in embedding when that one is within a story's reach (``reach`` cosine); else it
    comes last, with the other undated ones.
    """
    dates = list(prints.dates)
    position = {key: i for i, key in enumerate(prints.keys)}
    undated = []
    for index, key in enumerate(prints.keys):
        if dates[index] is None:
            known = sorted(prints.dates[position[other]] for other in linked.get(key, ()) if prints.dates[position[other]])
            if known:
                dates[index] = known[0]
            else:
                undated.append(index)
    dated = np.array([i for i, value in enumerate(prints.dates) if value], dtype=np.int64)
    if undated and len(dated) and prints.embeddings is not None:
        for start in range(0, len(undated), 1024):
            rows = np.array(undated[start:start + 1024], dtype=np.int64)
            similarities = prints.embeddings[rows] @ prints.embeddings[dated].T
            best = similarities.argmax(axis=1)
            for row, column in enumerate(best.tolist()):
                if similarities[row, column] >= reach:
                    dates[rows[row]] = prints.dates[dated[column]]
    return sorted(range(len(prints)), key=lambda i: (dates[i] or "9999-99-99", not linked.get(prints.keys[i]),
                                                     prints.dates[i] is None, natural_key(prints.keys[i])))


def story_stage(prints: Fingerprints, linked: dict[str, set[str]], settings) -> list:
    from babelwire.link.stories import StoryClusterer

    if prints.embeddings is None:
        return []
    clusterer = StoryClusterer(settings)
    rank = {key: i for i, key in enumerate(prints.keys)}
    stories = []
    reach = settings.join_similarity - settings.max_key_bonus
    for count, index in enumerate(story_order(prints, linked, reach)):
        signature = signature_from_json(prints.signature_json[index])
        relatives = sorted(linked.get(prints.keys[index], ()), key=rank.__getitem__)
        clusterer.add(signature, prints.embeddings[index], linked_to=relatives)
        if count % 1000 == 999:
            stories.extend(clusterer.take_closed())
    stories.extend(clusterer.close_all())
    return stories


# --- the whole link stage --------------------------------------------------------------------
def _fingerprint_of_inputs(article_files: Sequence[str], settings: BatchLinkSettings, embedder) -> str:
    text = json.dumps([list(article_files), repr(settings), type(embedder).__qualname__])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def link_batch(out_dir: str, client, settings: BatchLinkSettings, embedder=None, *,
               on_stage: Callable[[str], None] | None = None, force: bool = False) -> LinkSummary:
    """Fingerprints what is new, then duplicates, translation groups and stories over the whole batch."""
    summary = LinkSummary()
    output = BatchOutput(out_dir)
    article_files = output.article_files()
    state_path = os.path.join(out_dir, "_links.json")
    inputs = _fingerprint_of_inputs(article_files, settings, embedder)
    if not force and os.path.exists(state_path):
        with open(state_path, encoding="utf-8") as handle:
            state = json.load(handle)
        if state.get("inputs") == inputs:
            return dataclasses.replace(LinkSummary(**{k: v for k, v in state["summary"].items()}), up_to_date=True)

    def stage(name: str, started: float) -> float:
        now = time.perf_counter()
        summary.seconds[name] = round(now - started, 3)
        if on_stage:
            on_stage(name)
        return now

    started = time.perf_counter()
    summary.fingerprinted = fingerprint_partitions(out_dir, article_files, client, settings, embedder)
    started = stage("fingerprints", started)
    prints = Fingerprints.load(out_dir, article_files)
    summary.articles = len(prints)
    started = stage("load", started)

    copies = duplicate_pairs(prints, settings.duplicates)
    summary.duplicates = sum(link["kind"] == "duplicate" for link in copies)
    summary.near_duplicates = len(copies) - summary.duplicates
    started = stage("duplicates", started)

    groups, summary.candidate_pairs, summary.components = translation_stage(prints, copies, client, settings.translations)
    summary.translation_groups = len(groups)
    translation_links = [link for group in groups for link in group["links"]]
    summary.translation_links = len(translation_links)
    started = stage("translations", started)

    linked: dict[str, set[str]] = defaultdict(set)
    for link in copies:
        linked[link["a"]].add(link["b"])
        linked[link["b"]].add(link["a"])
    for group in groups:
        for member in group["members"]:
            linked[member].update(m for m in group["members"] if m != member)
    stories = story_stage(prints, linked, settings.stories)
    summary.stories = len(stories)
    started = stage("stories", started)

    _write_table(os.path.join(out_dir, "links.parquet"), LINK_SCHEMA, [
        {"a": str(link["a"]), "b": str(link["b"]), "kind": link["kind"], "score": link["score"],
         "evidence_json": json.dumps(link.get("evidence") or {}, ensure_ascii=False)} for link in copies + translation_links])
    _write_table(os.path.join(out_dir, "translation_groups.parquet"), GROUP_SCHEMA, [
        {"group": f"translation-{number:06d}", "members": group["members"], "languages": group["languages"],
         "size": len(group["members"])} for number, group in enumerate(groups)])
    _write_table(os.path.join(out_dir, "stories.parquet"), STORY_SCHEMA, [_story_row(story) for story in stories])
    stage("write", started)
    write_json(state_path, {"inputs": inputs, "summary": dataclasses.asdict(summary)})
    return summary


def _story_row(story) -> dict:
    return {
        "story": story.id, "headline": story.headline, "label_entities": story.label_entities,
        "label_entity_ids": story.label_entity_ids, "first": story.first, "last": story.last,
        "languages": story.languages, "sources": story.sources, "size": len(story.timeline),
        "timeline": [{"date": entry.date, "key": str(entry.article_id), "title": entry.title, "language": entry.language,
                      "source": entry.source, "similarity": entry.similarity} for entry in story.timeline],
    }


def _write_table(path: str, schema: pa.Schema, rows: list[dict]) -> None:
    table = pa.Table.from_pylist(rows, schema=schema)
    write_atomically(path, lambda temporary: pq.write_table(table, temporary))
