"""The JSON HTTP API under /api (documented by the OpenAPI schema at /api/openapi.json)."""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from babelwire.serve.app import Problem, Services, found, refuse_cross_site
from babelwire.serve.work import (
    Upload,
    analyse_text,
    analyse_upload,
    ingest_items,
    known_metadata,
    safe_file_name,
)
from babelwire.store import queries
from babelwire.store.database import SearchFilters, SearchPage

router = APIRouter(prefix="/api", tags=["api"])

LANGUAGE = r"^([a-z]{2,3}|und)$"
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
ERRORS = {
    400: {"description": "Bad request (e.g. invalid full-text syntax); an RFC 9457 problem"},
    404: {"description": "Not found; an RFC 9457 problem"},
    413: {"description": "Too large; an RFC 9457 problem"},
    415: {"description": "Binary or unsupported upload; an RFC 9457 problem"},
    422: {"description": "Invalid request; an RFC 9457 problem"},
}


def services(request: Request) -> Services:
    return request.app.state.services


def page_body(page: SearchPage, request: Request) -> dict[str, Any]:
    """A page of a list with its totals and the links to the pages before and after it."""
    pages = max(1, -(-page.total // page.per_page))

    def link(number: int) -> str | None:
        if number < 1 or number > pages:
            return None
        params = dict(request.query_params)
        params["page"] = str(number)
        return f"{request.url.path}?{urlencode(params)}"

    return {"total": page.total, "page": page.page, "per_page": page.per_page, "pages": pages,
            "previous": link(page.page - 1), "next": link(page.page + 1) if page.page < pages else None, "items": page.items}


# --- reading what a client sent ----------------------------------------------------------------------
async def read_body(request: Request, max_bytes: int) -> tuple[Any, dict[str, str], list[Upload]]:
    """(JSON value or None, form fields, uploaded files) of a JSON, form or plain-text body; an
    uploaded file over ``max_bytes`` is refused (the whole body is already limited)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        fields: dict[str, str] = {}
        uploads: list[Upload] = []
        # Text fields may be as large as the whole request: their size is checked with a clear message later.
        part_limit = services(request).settings.max_request_bytes
        async with request.form(max_files=1000, max_fields=100, max_part_size=part_limit) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read(max_bytes + 1)
                    if len(data) > max_bytes:
                        name = safe_file_name(value.filename)
                        size = value.size if value.size is not None else len(data)
                        raise Problem(413, "Content Too Large", f"{name} is {size} bytes, larger than the limit of {max_bytes} bytes "
                                      f"for one article ({max_bytes / 1024 / 1024:.1f} MiB)", "article-too-large")
                    if value.filename or data:
                        uploads.append(Upload(safe_file_name(value.filename), data))
                else:
                    fields[key] = value
        return None, fields, uploads
    body = await request.body()
    if content_type in ("application/json", "") or content_type.endswith("+json"):
        if not body.strip():
            raise Problem(422, "Unprocessable Content", "the request has no body: send a JSON object", "no-body")
        try:
            return json.loads(body), {}, []
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            detail = f"the body is not valid JSON ({error.msg if isinstance(error, json.JSONDecodeError) else 'not UTF-8'})"
            raise Problem(400, "Bad Request", detail, "invalid-json") from None
    if content_type.startswith("text/"):
        return None, {}, [Upload("request-body.txt", body)]
    raise Problem(415, "Unsupported Media Type", f"content type {content_type!r} is not accepted: send application/json, "
                  "multipart/form-data (files) or text/plain", "unsupported-media-type")


# --- analysis, nothing stored --------------------------------------------------------------------------
@router.post("/analyze", responses=ERRORS, summary="Analyse one article without storing it")
async def analyze(request: Request) -> JSONResponse:
    """Send JSON `{"text": …, "title"?, "url"?, "source"?, "published"?, "language"?}`, a form with
    a `text` field or a `file`, or a plain-text body. Returns the full analysis (the output contract
    of `babelwire schema`). Nothing is stored."""
    refuse_cross_site(request)
    work = services(request)
    value, fields, uploads = await read_body(request, work.settings.max_article_bytes)
    if uploads:
        if len(uploads) > 1:
            raise Problem(422, "Unprocessable Content", f"{len(uploads)} files sent; analysis takes one", "several-articles")
        result = await run_in_threadpool(analyse_upload, work, uploads[0])
    else:
        given = value if value is not None else fields
        if not isinstance(given, dict):
            raise Problem(422, "Unprocessable Content", "send a JSON object with a text field", "invalid-field")
        result = await run_in_threadpool(analyse_text, work, given.get("text"), known_metadata(given, "body"))
    return JSONResponse(result)


# --- articles -----------------------------------------------------------------------------------------
@router.post("/articles", responses=ERRORS, summary="Store (ingest) one or many articles")
async def add_articles(request: Request) -> JSONResponse:
    """JSON `{"articles": [{"text": …, "title"?, …}, …]}` (or one such object, or a list), or
    multipart files (`.txt`, `.html`, `.jsonl`). Each article is analysed, stored once (a text
    already stored is counted, not stored again), linked to its copies, translations and story.
    Returns the counts, the ids stored and the inputs rejected with why."""
    refuse_cross_site(request)
    work = services(request)
    value, fields, uploads = await read_body(request, work.settings.max_article_bytes)
    articles: list[Any] = []
    if value is not None:
        if isinstance(value, dict) and "articles" in value:
            value = value["articles"]
        articles = value if isinstance(value, list) else [value]
    elif fields.get("text"):
        articles = [fields]
    result = await run_in_threadpool(ingest_items, work, articles, uploads)
    if result.stored == 0 and result.already_stored == 0 and result.rejected:
        raise Problem(422, "Unprocessable Content", "; ".join(f"{r['input']}: {r['reason']}" for r in result.rejects[:10]),
                      "nothing-stored", rejects=result.rejects)
    return JSONResponse(result.as_dict(), status_code=201 if result.stored else 200)


@router.get("/articles", responses=ERRORS, summary="Search stored articles")
def search_articles(
    request: Request,
    q: str | None = Query(None, max_length=500, description='full-text query: words (all must appear), "exact phrases", OR between alternatives, -word to exclude; case and diacritics ignored'),
    language: str | None = Query(None, pattern=LANGUAGE),
    source: str | None = Query(None, max_length=200),
    date_from: str | None = Query(None, alias="from", pattern=DATE, description="published on or after (ISO date)"),
    date_to: str | None = Query(None, alias="to", pattern=DATE, description="published on or before (ISO date)"),
    entity: str | None = Query(None, max_length=200, description="an entity id or a name in any language or script"),
    story: str | None = Query(None, max_length=40),
    has_debris: bool | None = None,
    has_foreign: bool | None = Query(None, description="only articles with passages in another language"),
    has_translation: bool | None = None,
    has_copy: bool | None = None,
    sort: Literal["relevance", "date"] = "relevance",
    page: int = Query(1, ge=1, le=100000),
    per_page: int = Query(20, ge=1, le=200),
    facets: bool = Query(False, description="also count the matches per language, source, month, story and entity"),
) -> dict[str, Any]:
    work = services(request)
    filters = search_filters(q=q, language=language, source=source, date_from=date_from, date_to=date_to, entity=entity, story=story,
                             has_debris=has_debris, has_foreign=has_foreign, has_translation=has_translation, has_copy=has_copy,
                             sort=sort, page=page, per_page=per_page)
    body = page_body(work.store.search(filters), request)
    if facets:
        body["facets"] = cached_facets(work, filters)
    return body


def cached_facets(work: Services, filters: SearchFilters) -> dict[str, Any]:
    """Facets do not depend on the page or the order: cached per filters while the corpus is unchanged."""
    key = ("facets",) + tuple(value for name, value in sorted(vars(filters).items()) if name not in ("page", "per_page", "sort"))
    return work.cached(key, lambda: queries.facets(work.store, filters))


def search_filters(**values: Any) -> SearchFilters:
    known = set(SearchFilters.__dataclass_fields__)
    values["query"] = values.pop("q", None)
    return SearchFilters(**{key: value for key, value in values.items() if key in known})


@router.get("/articles/{article_id}", responses=ERRORS, summary="One stored article: every layer, provenance, links, story")
def get_article(request: Request, article_id: int = Path(ge=1)) -> dict[str, Any]:
    return found(services(request).store.article(article_id), "article", article_id)


# --- stories ------------------------------------------------------------------------------------------
@router.get("/stories", responses=ERRORS, summary="Stories, latest or largest first")
def list_stories(request: Request, sort: Literal["latest", "largest"] = "latest", language: str | None = Query(None, pattern=LANGUAGE),
                 page: int = Query(1, ge=1, le=100000), per_page: int = Query(20, ge=1, le=200)) -> dict[str, Any]:
    store = services(request).store
    return page_body(store.stories(page=page, per_page=per_page, sort=sort, language=language), request)


@router.get("/stories/{story_id}", responses=ERRORS, summary="A story: timeline, links between its articles")
def get_story(request: Request, story_id: str = Path(max_length=40)) -> dict[str, Any]:
    return found(services(request).store.story(story_id), "story", story_id)


# --- entities -----------------------------------------------------------------------------------------
@router.get("/entities", responses=ERRORS, summary="Entities by mentions")
def list_entities(request: Request, q: str | None = Query(None, max_length=200, description="a name's beginning, any language or script"),
                  type: Literal["PER", "ORG", "LOC", "MISC"] | None = None,
                  page: int = Query(1, ge=1, le=100000), per_page: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
    return page_body(queries.entities(services(request).store, page=page, per_page=per_page, type=type, name=q), request)


@router.get("/entities/{entity_id:path}", responses=ERRORS, summary="An entity: aliases by language, mentions over time, companions, quotations")
def get_entity(request: Request, entity_id: str, quotes_page: int = Query(1, ge=1, le=100000),
               quotes_per_page: int = Query(20, ge=1, le=200)) -> dict[str, Any]:
    return entity_details(services(request), entity_id, quotes_page, quotes_per_page)


def entity_details(work: Services, entity_id: str, quotes_page: int = 1, quotes_per_page: int = 20) -> dict[str, Any]:
    if len(entity_id) > 200:
        raise Problem(404, "Not Found", "no entity with such a long id", "no-such-entity")
    entity = found(queries.entity(work.store, entity_id), "entity", entity_id)
    return {**entity, "timeline": queries.entity_timeline(work.store, entity_id),
            "co_occurring": queries.co_occurring(work.store, entity_id),
            "quotes": queries.quotes_by(work.store, entity_id, page=quotes_page, per_page=quotes_per_page)}


# --- rejects ------------------------------------------------------------------------------------------
@router.get("/rejects", summary="Inputs that could not be stored, with why")
def list_rejects(request: Request, page: int = Query(1, ge=1, le=100000), per_page: int = Query(50, ge=1, le=200)) -> dict[str, Any]:
    return page_body(queries.rejects(services(request).store, page=page, per_page=per_page), request)


@router.get("/health", summary="Liveness and corpus counts")
def health(request: Request) -> dict[str, Any]:
    from babelwire import __version__

    return {"status": "ok", "version": __version__, "counts": services(request).store.counts()}
