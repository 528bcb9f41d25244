"""The server-rendered pages (Jinja2, autoescaped): overview, search, article, stories, entities,
analyse, rejects."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from babelwire import __version__
from babelwire.serve import charts
from babelwire.serve.app import Problem, Services, found, refuse_cross_site, templates
from babelwire.serve.layers import entity_href, layered_text
from babelwire.store import queries
from babelwire.store.database import SearchFilters, StoreError

router = APIRouter(include_in_schema=False)

LINK_WORDS = {"duplicate": "a copy", "near-duplicate": "a near copy", "translation": "a translation", "same-story": "the same story"}


def services(request: Request) -> Services:
    return request.app.state.services


def cached_facets(work: Services, filters: SearchFilters) -> dict[str, Any]:
    from babelwire.serve.api import cached_facets as facets_of

    return facets_of(work, filters)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("version", __version__)
    return templates().TemplateResponse(request, name, context, status_code=status)


# --- template helpers ---------------------------------------------------------------------------------
@lru_cache(maxsize=512)
def language_name(code: str | None) -> str:
    if not code or code == "und":
        return "undetermined"
    from babel import Locale

    return Locale("en").languages.get(code, code)


def query_with(params: dict[str, Any], **changes: Any) -> str:
    """The query string of the current page with some parameters changed (None removes one)."""
    merged = {key: value for key, value in params.items() if value not in (None, "")}
    for key, value in changes.items():
        if value is None or value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return "?" + urlencode(merged) if merged else "?"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f} %"


def excerpt(text: str | None, limit: int = 240) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def register_filters(environment) -> None:
    environment.filters.update(language_name=language_name, percent=percent, excerpt=excerpt, entity_href=entity_href)
    environment.globals.update(query_with=query_with, language_name=language_name, link_words=LINK_WORDS)


def pagination(total: int, page: int, per_page: int) -> dict[str, int]:
    pages = max(1, -(-total // per_page))
    return {"total": total, "page": page, "per_page": per_page, "pages": pages,
            "first_shown": (page - 1) * per_page + 1 if total else 0, "last_shown": min(total, page * per_page)}


# --- overview -----------------------------------------------------------------------------------------
@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> HTMLResponse:
    store = services(request).store
    days = queries.articles_per_day(store, days=3660)
    overall = charts.bar_chart(charts.time_series(days))
    recent = charts.bar_chart(charts.time_series(charts.recent_days(days, 60)), height=130) if overall.unit == "month" else None
    return render(request, "overview.html", counts=store.counts(), per_day=overall, recent=recent, undated=queries.undated_count(store),
                  languages=charts.shares(queries.articles_per(store, "language")),
                  sources=charts.shares(queries.articles_per(store, "source")),
                  latest=store.stories(per_page=6, sort="latest").items, largest=store.stories(per_page=6, sort="largest").items,
                  entities=queries.entities(store, per_page=12).items)


# --- search -------------------------------------------------------------------------------------------
FLAG_CHOICES = {"": None, "yes": True, "no": False}


def _flag(value: str | None) -> bool | None:
    return FLAG_CHOICES.get((value or "").lower())


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str | None = Query(None, max_length=500), language: str | None = Query(None, max_length=8),
           source: str | None = Query(None, max_length=200), date_from: str | None = Query(None, alias="from", max_length=10),
           date_to: str | None = Query(None, alias="to", max_length=10), entity: str | None = Query(None, max_length=200),
           story: str | None = Query(None, max_length=40), debris: str | None = Query(None, max_length=3),
           foreign: str | None = Query(None, max_length=3), translated: str | None = Query(None, max_length=3),
           sort: Literal["relevance", "date"] = "relevance", page: int = Query(1, ge=1, le=100000),
           per_page: int = Query(20, ge=1, le=200)) -> HTMLResponse:
    work = services(request)
    store = work.store
    params = {"q": q, "language": language, "source": source, "from": date_from, "to": date_to, "entity": entity, "story": story,
              "debris": debris, "foreign": foreign, "translated": translated, "sort": sort if sort != "relevance" else None,
              "per_page": per_page if per_page != 20 else None}
    filters = SearchFilters(query=q, language=language or None, source=source or None, date_from=date_from or None,
                            date_to=date_to or None, entity=entity or None, has_debris=_flag(debris), has_foreign=_flag(foreign),
                            story=story or None, has_translation=_flag(translated), sort=sort, page=page, per_page=per_page)
    error, results, facets = None, None, None
    try:
        results = store.search(filters)
        facets = cached_facets(work, filters)
    except StoreError as problem:
        error = str(problem)
    status = 400 if error else 200
    entity_label = None
    if entity:
        named = queries.entity(store, entity)
        entity_label = named["name"] if named else entity
    story_label = None
    if story:
        found_story = queries.story_summary(store, story)
        story_label = found_story["headline"] if found_story else story
    return render(request, "search.html", status=status, params=params, results=results, facets=facets, error=error,
                  paging=pagination(results.total, results.page, results.per_page) if results else None,
                  entity_label=entity_label, story_label=story_label, languages=work.cached(("languages",), lambda: queries.languages(store)),
                  entity_scan=queries.ENTITY_FACET_SCAN)


# --- articles -----------------------------------------------------------------------------------------
def article_context(record: dict[str, Any]) -> dict[str, Any]:
    """What the article view shows besides the text: lists of each layer and the diagnostics."""
    mention_counts = Counter(m.get("entity_id") for m in record.get("mentions", []) if m.get("entity_id"))
    entities = sorted(record.get("entities", []), key=lambda e: (-mention_counts.get(e["id"], 0), e["name"]))
    text = record.get("text", "")
    signs = [{**sign, "excerpt": text[sign["start"]:sign["end"]]} for sign in record.get("diagnostics", {}).get("translation_error_signs", []) or []
             if isinstance(sign.get("start"), int) and isinstance(sign.get("end"), int)]
    repairs = [{**edit, "excerpt": text[max(0, edit["start"] - 12):edit["end"] + 12]} for edit in record.get("edits", [])
               if edit.get("kind") not in ("debris", "metadata", "whitespace")]
    return {"record": record, "layered": layered_text(record), "entities": [e for e in entities if mention_counts.get(e["id"])],
            "mention_counts": mention_counts, "signs": signs, "repairs": repairs,
            "quotes": [q for q in record.get("quotes", []) if q.get("kind") != "term"]}


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(request: Request, article_id: int = Path(ge=1)) -> HTMLResponse:
    store = services(request).store
    record = found(store.article(article_id), "article", article_id)
    story = queries.story_summary(store, record["story_id"]) if record.get("story_id") else None
    return render(request, "article.html", story=story, stored=True, **article_context(record))


# --- stories ------------------------------------------------------------------------------------------
@router.get("/stories", response_class=HTMLResponse)
def stories(request: Request, sort: Literal["latest", "largest"] = "latest", language: str | None = Query(None, max_length=8),
            page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
    store = services(request).store
    listed = store.stories(page=page, per_page=services(request).settings.per_page, sort=sort, language=language or None)
    return render(request, "stories.html", stories=listed.items, paging=pagination(listed.total, listed.page, listed.per_page),
                  params={"sort": sort if sort != "latest" else None, "language": language}, sort=sort, language=language,
                  languages=queries.languages(store))


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story(request: Request, story_id: str = Path(max_length=40)) -> HTMLResponse:
    store = services(request).store
    shown = found(store.story(story_id), "story", story_id)
    ids = [item["article_id"] for item in shown["timeline"]]
    summaries = queries.article_summaries(store, ids)
    relations: dict[int, list[dict[str, Any]]] = {}
    for link in shown["links"]:
        relations.setdefault(link["b"], []).append({"other": link["a"], "kind": link["kind"], "score": link["score"], "role": "of"})
        relations.setdefault(link["a"], []).append({"other": link["b"], "kind": link["kind"], "score": link["score"], "role": "has"})
    columns: dict[str, list[dict[str, Any]]] = {}
    for item in shown["timeline"]:
        summary = dict(summaries.get(item["article_id"], {}))
        lead, title = summary.get("lead") or "", summary.get("title") or ""
        if title and lead.startswith(title):  # the clean text starts with the headline, shown above it
            summary["lead"] = lead[len(title):]
        columns.setdefault(item["language"], []).append({**item, **summary, "relations": relations.get(item["article_id"], [])})
    per_day = Counter(item["date"] for item in shown["timeline"] if item["date"])
    timeline_chart = charts.bar_chart(charts.time_series([{"date": d, "articles": n} for d, n in per_day.items()]), height=110)
    titles = {item["article_id"]: item["title"] for item in shown["timeline"]}
    return render(request, "story.html", story=shown, columns=columns, chart=timeline_chart, titles=titles,
                  entities=queries.top_entities_of(store, ids), undated=sum(1 for item in shown["timeline"] if not item["date"]))


# --- entities -----------------------------------------------------------------------------------------
@router.get("/entities", response_class=HTMLResponse)
def entities(request: Request, q: str | None = Query(None, max_length=200), type: Literal["", "PER", "ORG", "LOC", "MISC"] = "",
             page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
    listed = queries.entities(services(request).store, page=page, per_page=50, type=type or None, name=q or None)
    return render(request, "entities.html", entities=listed.items, paging=pagination(listed.total, listed.page, listed.per_page),
                  params={"q": q, "type": type or None}, q=q or "", type=type)


@router.get("/entities/{entity_id:path}", response_class=HTMLResponse)
def entity(request: Request, entity_id: str, quotes_page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
    from babelwire.serve.api import entity_details

    work = services(request)
    details = entity_details(work, entity_id, quotes_page, 20)
    chart = charts.bar_chart(charts.time_series(details["timeline"]), height=120)
    articles = work.store.search(SearchFilters(entity=entity_id, sort="date", per_page=20))
    undated = sum(row["articles"] for row in details["timeline"] if row["date"] == queries.UNKNOWN_DATE)
    quotes = details["quotes"]
    return render(request, "entity.html", entity=details, chart=chart, articles=articles, undated=undated,
                  quotes_paging=pagination(quotes["total"], quotes["page"], quotes["per_page"]), params={})


# --- analyse (nothing stored) --------------------------------------------------------------------------
@router.get("/analyse", response_class=HTMLResponse)
@router.get("/analyze", response_class=HTMLResponse)
def analyse_form(request: Request) -> HTMLResponse:
    return render(request, "analyse.html", form={}, error=None, limit=services(request).settings.max_article_bytes)


@router.post("/analyse", response_class=HTMLResponse)
@router.post("/analyze", response_class=HTMLResponse)
async def analyse_submit(request: Request) -> Response:
    from babelwire.serve.api import read_body
    from babelwire.serve.work import analyse_text, analyse_upload

    work = services(request)
    limit = work.settings.max_article_bytes
    form: dict[str, str] = {}
    try:
        refuse_cross_site(request)
        _, form, uploads = await read_body(request, limit)
        uploads = [upload for upload in uploads if upload.data]
        known = {key: form.get(key, "").strip() for key in ("title", "published", "source", "url")}
        known = {key: value[:2000] for key, value in known.items() if value}
        if uploads:
            record = await run_in_threadpool(analyse_upload, work, uploads[0])
        elif (form.get("text") or "").strip():
            record = await run_in_threadpool(analyse_text, work, form.get("text"), known)
        else:
            raise Problem(422, "Unprocessable Content", "paste a text or choose a file to analyse", "no-text")
    except Problem as problem:
        form = {key: value for key, value in form.items() if key in ("title", "published", "source", "url", "text")}
        return render(request, "analyse.html", status=problem.status, form=form, error=problem.detail, limit=limit)
    return render(request, "article.html", story=None, stored=False, **article_context(record))


# --- rejects ------------------------------------------------------------------------------------------
@router.get("/rejects", response_class=HTMLResponse)
def rejects(request: Request, page: int = Query(1, ge=1, le=100000)) -> HTMLResponse:
    listed = queries.rejects(services(request).store, page=page, per_page=50)
    return render(request, "rejects.html", rejects=listed.items, paging=pagination(listed.total, listed.page, listed.per_page), params={})


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The HTTP API described from its OpenAPI schema, as a plain page (no third-party script)."""
    schema = request.app.openapi()
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            parameters = [{"name": p["name"], "where": p["in"], "required": p.get("required", False),
                           "description": p.get("description") or p.get("schema", {}).get("description", ""),
                           "type": _schema_type(p.get("schema", {}))} for p in operation.get("parameters", [])]
            operations.append({"method": method.upper(), "path": path, "summary": operation.get("summary", ""),
                               "description": operation.get("description", ""), "parameters": parameters})
    return render(request, "api_docs.html", operations=operations, title=schema["info"]["title"], description=schema["info"].get("description", ""))


def _schema_type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(_schema_type(option) for option in schema["anyOf"] if option.get("type") != "null")
    text = schema.get("type", "")
    bounds = [f"{key} {schema[key]}" for key in ("minimum", "maximum", "maxLength", "pattern") if key in schema]
    return text + (f" ({', '.join(bounds)})" if bounds else "")


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    from fastapi.responses import RedirectResponse

    return RedirectResponse("/static/favicon.svg", status_code=308)
