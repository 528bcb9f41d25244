"""``babelwire serve``: the web application (FastAPI), its limits, its errors and how it starts.

    from babelwire.serve.app import create_app
    app = create_app("corpus.db")          # or create_app(Store(...), ServeSettings(...))

Errors reach clients as RFC 9457 problem details (JSON under /api, an HTML page elsewhere), with
a clear message and never a stack trace. Request bodies are size-limited before they are read.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from babelwire import __version__
from babelwire.config import Config
from babelwire.store.database import Store, StoreError

log = logging.getLogger("babelwire.serve")
PACKAGE = resources.files("babelwire") / "serve"
PROBLEM_JSON = "application/problem+json"
MiB = 1024 * 1024


@dataclass(frozen=True)
class ServeSettings:
    host: str = "127.0.0.1"  # loopback unless the user asks otherwise
    port: int = 8000
    max_request_bytes: int = 20 * MiB  # a whole request body (several files to ingest)
    max_article_bytes: int = 2 * MiB  # one pasted text or uploaded file
    max_articles_per_request: int = 500
    per_page: int = 20
    # Host names the server answers to (None: any). `run` sets the loopback names when it listens on
    # loopback, so a web page whose domain is rebound to 127.0.0.1 cannot read the corpus.
    allowed_hosts: tuple[str, ...] | None = None
    config: Config = field(default_factory=Config)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


class Problem(Exception):
    """An error a client can act on; becomes an RFC 9457 problem (JSON or an HTML page)."""

    def __init__(self, status: int, title: str, detail: str, code: str = "", **extra: Any):
        super().__init__(detail)
        self.status, self.title, self.detail, self.code, self.extra = status, title, detail, code, extra


def found(value: Any, what: str, key: Any) -> Any:
    """``value`` when there is one; a 404 problem naming what was asked for otherwise."""
    if value is None:
        raise Problem(404, "Not Found", f"no {what} with id {key!r}", f"no-such-{what}")
    return value


def problem_body(status: int, title: str, detail: str, instance: str, code: str = "", **extra: Any) -> dict[str, Any]:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "instance": instance}
    if code:
        body["code"] = code
    body.update(extra)
    return body


# --- request size limit (before any body is parsed) -------------------------------------------------
class BodyLimit:
    """Refuses bodies over the limit with 413: by Content-Length up front, and by counting the bytes
    of bodies sent without one (chunked), so no parser ever sees more than the limit."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_large = int(declared) > self.max_bytes
            except ValueError:
                too_large = False
            if too_large:
                await self._refuse(scope, receive, send)
                return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not response_started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"the request body is larger than the limit of {self.max_bytes} bytes ({self.max_bytes / MiB:.1f} MiB)"
        response = error_response(scope.get("path", "/"), 413, "Content Too Large", detail, "request-too-large", scope=scope)
        await response(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


class SecurityHeaders:
    """No script but the application's own file, no framing, no content sniffing."""

    POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
              "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in ((b"content-security-policy", self.POLICY.encode()), (b"x-content-type-options", b"nosniff"),
                                    (b"referrer-policy", b"same-origin"), (b"x-frame-options", b"DENY")):
                    if name not in names:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def refuse_cross_site(request) -> None:
    """A request another web site's page made the browser send (a form posted to this loopback
    server) must not store anything: browsers say where a request comes from."""
    fetch_site = request.headers.get("sec-fetch-site")
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    cross = fetch_site == "cross-site" or (origin not in (None, "null") and origin.split("://", 1)[-1] != host)
    if cross or origin == "null":
        raise Problem(403, "Forbidden", "a request sent by another web site's page is refused: use this server's own pages, "
                      "or a client that is not a browser", "cross-site")


# --- errors -------------------------------------------------------------------------------------------
_templates: Jinja2Templates | None = None


def templates() -> Jinja2Templates:
    global _templates
    if _templates is None:
        _templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
        environment = _templates.env
        environment.autoescape = True  # article text is hostile: every value is escaped, in every template
        environment.trim_blocks = True
        environment.lstrip_blocks = True
        from babelwire.serve import pages

        pages.register_filters(environment)
    return _templates


def wants_json(path: str, scope: Scope | None = None) -> bool:
    if path.startswith(("/api/", "/openapi")) or path == "/api":
        return True
    if scope is not None:
        accept = dict(scope.get("headers") or []).get(b"accept", b"")
        return b"application/json" in accept and b"text/html" not in accept
    return False


def error_response(path: str, status: int, title: str, detail: str, code: str = "", scope: Scope | None = None, **extra: Any) -> Response:
    if wants_json(path, scope):
        return JSONResponse(problem_body(status, title, detail, path, code, **extra), status_code=status, media_type=PROBLEM_JSON)
    html = templates().get_template("error.html").render(status=status, title=title, detail=detail, version=__version__,
                                                          request=None, extra=extra)
    return HTMLResponse(html, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, error: Problem) -> Response:
        return error_response(request.url.path, error.status, error.title, error.detail, error.code, request.scope, **error.extra)

    @app.exception_handler(StoreError)
    async def on_store_error(request: Request, error: StoreError) -> Response:
        return error_response(request.url.path, 400, "Bad Request", str(error), "store", request.scope)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, error: StarletteHTTPException) -> Response:
        from http import HTTPStatus

        try:
            title = HTTPStatus(error.status_code).phrase
        except ValueError:
            title = "Error"
        detail = error.detail if isinstance(error.detail, str) and error.detail != title else {
            404: f"nothing at {request.url.path}", 405: f"{request.method} is not allowed on {request.url.path}"}.get(error.status_code, title)
        response = error_response(request.url.path, error.status_code, title, detail, scope=request.scope)
        if error.headers:
            response.headers.update(error.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> Response:
        # Which parameter and why; the rejected input itself is not echoed back.
        problems = [{"where": ".".join(str(part) for part in item.get("loc", ())), "problem": item.get("msg", "")} for item in error.errors()]
        detail = "; ".join(f"{p['where']}: {p['problem']}" for p in problems) or "the request is not valid"
        return error_response(request.url.path, 422, "Unprocessable Content", detail, "invalid-request", request.scope, errors=problems)

    @app.exception_handler(Exception)
    async def on_crash(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request.url.path, 500, "Internal Server Error",
                              "the server hit an unexpected error; it has been logged (no details are sent to clients)", "internal", request.scope)


# --- the application ----------------------------------------------------------------------------------
class Services:
    """What the routes share: the store, the settings, one analysis at a time (the pipeline's models
    are shared and not thread-safe; ingest also links against the corpus state), and a small cache
    of corpus-wide answers (search facets, the language list) that holds while the corpus does not
    change."""

    CACHE_SIZE = 256
    CACHE_SECONDS = 60.0  # also bounds how long a change the version misses (a relink) stays unseen

    def __init__(self, store: Store, settings: ServeSettings):
        self.store = store
        self.settings = settings
        self.analysis_lock = threading.Lock()
        self._cache: dict[Any, tuple[float, Any, Any]] = {}
        self._cache_lock = threading.Lock()

    def corpus_version(self) -> tuple[int, int]:
        """Changes whenever articles are stored (by this server or by another process)."""
        from sqlalchemy import func, select

        from babelwire.store.tables import Article

        with self.store.engine.connect() as connection:
            return tuple(connection.execute(select(func.count(Article.id), func.max(Article.id))).one())

    def cached(self, key: Any, compute):
        import time

        version = self.corpus_version()
        now = time.monotonic()
        with self._cache_lock:
            hit = self._cache.get(key)
            if hit is not None and hit[1] == version and now - hit[0] < self.CACHE_SECONDS:
                return hit[2]
        value = compute()
        with self._cache_lock:
            if len(self._cache) >= self.CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))  # the oldest entry
            self._cache[key] = (now, version, value)
        return value


def create_app(store: Store | str | None = None, settings: ServeSettings | None = None) -> FastAPI:
    settings = settings or ServeSettings()
    if not isinstance(store, Store):
        store = Store(store)
    app = FastAPI(title="babelwire", version=__version__,
                  description="The corpus of analysed multilingual news articles: search, articles with every layer, stories, entities; "
                              "analysis of a text without storing it. Errors are RFC 9457 problem details.",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")  # /api/docs is our own page: no CDN script
    app.state.services = Services(store, settings)
    _install_error_handlers(app)

    from babelwire.serve import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)
    if settings.allowed_hosts is not None:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    templates()
    return app


def run(db: str | None, host: str = "127.0.0.1", port: int = 8000, settings: ServeSettings | None = None) -> None:
    from dataclasses import replace

    import uvicorn

    settings = replace(settings or ServeSettings(), host=host, port=port)
    if settings.allowed_hosts is None and host in LOOPBACK_HOSTS:
        settings = replace(settings, allowed_hosts=LOOPBACK_HOSTS)
    store = Store(db)
    app = create_app(store, settings)
    counts = store.counts()
    shown_host = f"[{host}]" if ":" in host else host
    print(f"babelwire: serving {counts['articles']} articles from {store.url} at http://{shown_host}:{port}/ (Ctrl+C stops)", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"babelwire: warning: listening on {host}, not loopback: anyone who can reach this machine can read and add articles", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


__all__ = ["Problem", "ServeSettings", "create_app", "problem_body", "run"]
