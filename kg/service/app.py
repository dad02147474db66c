"""The ASGI app: settings, shared state (store, pipeline, metrics), docs served offline, errors."""
from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from kg.documents import Document
from kg.service.inputs import BodyLimitMiddleware
from kg.service.metrics import Metrics, MetricsMiddleware
from kg.vocab import DEFAULT_BASE

DEFAULT_MAX_BODY = 5_000_000


@dataclass
class Settings:
    store: str | None = "kg-data"          # None: in memory
    base: str = DEFAULT_BASE
    token: str | None = None               # KG_API_TOKEN: bearer token for writes
    max_body: int = DEFAULT_MAX_BODY       # bytes
    query_timeout: float = 30.0            # seconds
    query_workers: int = 2
    model: str | None = None               # spaCy pipeline (None: kg's default)
    sparql_endpoint: str | None = None     # an external SPARQL 1.1 store instead of the embedded one
    sparql_update: str | None = None
    sparql_auth: tuple[str, str] | None = None


@dataclass
class Service:
    """What the routes share. Extraction holds a lock: one spaCy pipeline, used by one thread at a time."""

    settings: Settings
    store: object = None
    nlp: object = None
    metrics: Metrics = field(default_factory=Metrics)
    extract_lock: threading.Lock = field(default_factory=threading.Lock)

    def extract(self, documents: list[Document]) -> list[tuple[Document, nx.MultiDiGraph]]:
        from kg.extract import analyze
        from kg.graph import build_graph

        with self.extract_lock:
            return [(document, build_graph(document, doc, self.settings.base))
                    for document, doc in analyze(self.nlp, documents)]


def open_store(settings: Settings) -> object:
    if settings.sparql_endpoint:
        from kg.remote_store import RemoteGraphStore

        return RemoteGraphStore(settings.sparql_endpoint, settings.sparql_update, base=settings.base,
                                auth=settings.sparql_auth)
    from kg.store import GraphStore

    return GraphStore(settings.store, base=settings.base, query_workers=settings.query_workers)


def service(request: Request) -> Service:
    return request.app.state.kg


def require_token(request: Request) -> None:
    """Writes need ``Authorization: Bearer <KG_API_TOKEN>`` when a token is configured."""
    token = service(request).settings.token
    if not token:
        return
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(401, "this write needs 'Authorization: Bearer <token>' (KG_API_TOKEN)",
                            headers={"WWW-Authenticate": 'Bearer realm="kg"'})


def create_app(settings: Settings) -> FastAPI:
    """The app; the store opens and the pipeline loads at startup, so /health answers once ready."""
    state = Service(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from kg.extract import cached_pipeline
        from kg.nlp.pipeline import DEFAULT_MODEL

        state.store = open_store(settings)
        state.nlp = cached_pipeline(settings.model or DEFAULT_MODEL)
        try:
            yield
        finally:
            state.store.close()  # type: ignore[attr-defined]

    app = FastAPI(title="kg", version=_version(), lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Knowledge graphs from news text: extraction, a persistent store of one "
                              "named graph per document, and a read-only SPARQL 1.1 endpoint.")
    app.state.kg = state
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body)
    app.add_middleware(MetricsMiddleware, metrics=state.metrics)
    _docs(app)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        return JSONResponse({"detail": f"invalid request: {problems}"}, status_code=422)

    from kg.service.routes import router
    from kg.service.sparql import router as sparql_router
    from kg.service.web import mount_page

    app.include_router(router)
    app.include_router(sparql_router)
    mount_page(app)
    return app


def _version() -> str:
    from kg import __version__

    return __version__


def _docs(app: FastAPI) -> None:
    """Swagger UI and ReDoc from the fastapi-offline package's files: the docs work with no network."""
    import fastapi_offline

    static = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/static/docs", StaticFiles(directory=static), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="kg API",
                                   swagger_js_url="/static/docs/swagger-ui-bundle.js",
                                   swagger_css_url="/static/docs/swagger-ui.css",
                                   swagger_favicon_url="/static/docs/favicon.png")

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title="kg API",
                              redoc_js_url="/static/docs/redoc.standalone.js",
                              redoc_favicon_url="/static/docs/favicon.png", with_google_fonts=False)
