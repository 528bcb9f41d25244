"""What the API and the pages both do with what a client sends: analyse one article without storing
it, ingest one or many, and the checks in front of both (size, type, fields)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babelwire.read.encoding import looks_binary
from babelwire.serve.app import Problem, Services

METADATA_FIELDS = ("title", "url", "source", "published", "language", "id", "author")
UPLOAD_PREFIX = "babelwire-upload-"


@dataclass
class Upload:
    name: str  # the client's file name, made safe
    data: bytes


@dataclass
class IngestResult:
    inputs: int
    stored: int
    already_stored: int
    rejected: int
    seconds: float
    articles: list[dict[str, Any]] = field(default_factory=list)  # what this request stored
    rejects: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "stored": self.stored, "already_stored": self.already_stored, "rejected": self.rejected,
                "seconds": round(self.seconds, 3), "articles": self.articles, "rejects": self.rejects}


def safe_file_name(name: str | None, fallback: str = "upload.txt") -> str:
    """A file name a client sent, reduced to its last part and to harmless characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).strip("._")[:100]
    return base or fallback


def check_upload(upload: Upload, max_bytes: int) -> None:
    if len(upload.data) > max_bytes:
        raise Problem(413, "Content Too Large", f"{upload.name} is {len(upload.data)} bytes, larger than the limit of {max_bytes} bytes "
                      f"for one article ({max_bytes / 1024 / 1024:.1f} MiB)", "article-too-large")
    if not upload.data.strip():
        raise Problem(422, "Unprocessable Content", f"{upload.name} is empty: there is no text in it", "empty")
    if looks_binary(upload.data):
        raise Problem(415, "Unsupported Media Type", f"{upload.name} is binary data, not text: upload an article as plain text "
                      f"(.txt), HTML (.html) or JSON Lines (.jsonl)", "binary-upload")


def check_text(text: Any, max_bytes: int, where: str = "text") -> str:
    if not isinstance(text, str) or not text.strip():
        raise Problem(422, "Unprocessable Content", f"{where}: give the article's text as a non-empty string", "no-text")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise Problem(413, "Content Too Large", f"{where} is {size} bytes, larger than the limit of {max_bytes} bytes for one article "
                      f"({max_bytes / 1024 / 1024:.1f} MiB)", "article-too-large")
    if "\x00" in text:
        raise Problem(415, "Unsupported Media Type", f"{where} holds NUL characters: it is binary data, not text", "binary-upload")
    return text


def known_metadata(values: dict[str, Any], where: str = "article") -> dict[str, str]:
    known = {}
    for key in METADATA_FIELDS:
        value = values.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise Problem(422, "Unprocessable Content", f"{where}.{key} must be a string", "invalid-field")
        if len(value) > 2000:
            raise Problem(422, "Unprocessable Content", f"{where}.{key} is longer than 2000 characters", "invalid-field")
        known[key] = value
    return known


# --- analysis, nothing stored -------------------------------------------------------------------------
def _analysed(services: Services, document) -> dict[str, Any]:
    from babelwire.output import document_to_dict
    from babelwire.pipeline import Failure, LocalExecutor, analysis_pipeline

    with services.analysis_lock:
        (result,) = list(LocalExecutor(analysis_pipeline(services.settings.config)).run([document]))
    if isinstance(result, Failure):
        # The failure's own message names the exception; details stay in the server's log.
        raise Problem(422, "Unprocessable Content", "the analysis of this text failed; try another text or report it", "analysis-failed")
    return document_to_dict(result)


def analyse_text(services: Services, text: str, metadata: dict[str, str]) -> dict[str, Any]:
    from babelwire.read import read_text

    text = check_text(text, services.settings.max_article_bytes)
    known = {key: value for key, value in metadata.items() if key in ("title", "url", "source", "published", "language")}
    return _analysed(services, read_text(text, name="<pasted text>", **known))


def analyse_upload(services: Services, upload: Upload) -> dict[str, Any]:
    from babelwire.read import ReadError, read_source
    from babelwire.read.sources import Source

    check_upload(upload, services.settings.max_article_bytes)
    settings = services.settings.config.read
    results = read_source(Source(upload.name, upload.data), settings)
    documents = [item for item in results if not isinstance(item, ReadError)]
    if not documents:
        problem = next((item for item in results if isinstance(item, ReadError)), None)
        raise Problem(422, "Unprocessable Content", f"{upload.name} cannot be read: {problem.problem if problem else 'no article in it'}", "unreadable")
    if len(documents) > 1:
        raise Problem(422, "Unprocessable Content", f"{upload.name} holds {len(documents)} articles; analysis takes one "
                      "(POST /api/articles stores several)", "several-articles")
    return _analysed(services, documents[0])


# --- ingest -------------------------------------------------------------------------------------------
def ingest_items(services: Services, articles: list[dict[str, Any]], uploads: list[Upload]) -> IngestResult:
    """Stores articles given as JSON records and as files, through the corpus ingest (hash check,
    analysis, links and stories, rejects). Files are written to a private temporary folder that
    ingest reads, then removed."""
    from babelwire.store import queries
    from babelwire.store.ingest import ingest

    settings = services.settings
    total = len(articles) + len(uploads)
    if total == 0:
        raise Problem(422, "Unprocessable Content", "no article given: send JSON {\"articles\": [{\"text\": …}]} or upload files", "no-articles")
    if total > settings.max_articles_per_request:
        raise Problem(413, "Content Too Large", f"{total} articles in one request; the limit is {settings.max_articles_per_request}",
                      "too-many-articles")
    records = []
    for index, article in enumerate(articles):
        where = f"articles[{index}]"
        if not isinstance(article, dict):
            raise Problem(422, "Unprocessable Content", f"{where} must be an object with a text field", "invalid-field")
        record = {"text": check_text(article.get("text"), settings.max_article_bytes, f"{where}.text"), **known_metadata(article, where)}
        records.append(record)
    folder = Path(tempfile.mkdtemp(prefix=UPLOAD_PREFIX))
    try:
        paths = []
        if records:
            path = folder / "articles.jsonl"
            path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
            paths.append(str(path))
        for index, upload in enumerate(uploads):
            path = folder / f"{index + 1:03d}-{upload.name}"
            path.write_bytes(upload.data)
            paths.append(str(path))
        config = settings.config.with_read(max_bytes=settings.max_article_bytes)
        with services.analysis_lock:
            summary = ingest(paths, config, services.store)
        stored = queries.stored_under(services.store, str(folder) + "/")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    prefix = str(folder) + "/"
    rejects = [{"input": _client_name(path, prefix), "reason": reason} for path, reason in summary.rejects]
    articles_out = [{"id": item["id"], "title": item["title"], "language": item["language"], "input": _client_name(item["path"] or "", prefix)}
                    for item in stored]
    return IngestResult(summary.inputs, summary.stored, summary.already_stored, summary.rejected, summary.seconds, articles_out, rejects)


def _client_name(path: str, prefix: str) -> str:
    """An input as the client named it: `articles[2]` for JSON records, the file name for uploads."""
    if not path.startswith(prefix):
        return path
    rest = path[len(prefix):]
    if rest.startswith("articles.jsonl:"):
        try:
            return f"articles[{int(rest.split(':', 1)[1]) - 1}]"
        except ValueError:
            return rest
    return re.sub(r"^\d{3}-", "", rest)


__all__ = ["IngestResult", "Upload", "analyse_text", "analyse_upload", "check_text", "check_upload", "ingest_items", "known_metadata",
           "safe_file_name"]
