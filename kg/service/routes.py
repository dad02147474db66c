"""The document, graph and operations endpoints."""
from __future__ import annotations

import io
import queue
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse, StreamingResponse

from kg.export import FORMATS, export
from kg.service.app import require_token, service
from kg.service.inputs import JSON_TYPES, JSONL_TYPES, TEXT_TYPES, read_documents
from kg.service.negotiation import choose
from kg.vocab import PREFIXES

router = APIRouter()
MEDIA_FORMATS = {spec.media_type: name for name, spec in FORMATS.items()}
ALIASES = {"application/turtle": "text/turtle", "application/x-turtle": "text/turtle",
           "application/nquads": "application/n-quads", "application/graphml": "application/graphml+xml",
           "application/gexf": "application/gexf+xml", "application/x-trig": "application/trig"}
#: RDF of one document graph straight from the store.
DOCUMENT_RDF = {"text/turtle": ox.RdfFormat.TURTLE, "application/trig": ox.RdfFormat.TRIG,
                "application/n-quads": ox.RdfFormat.N_QUADS, "application/n-triples": ox.RdfFormat.N_TRIPLES}


def _body_doc(types: tuple[str, ...], description: str) -> dict:
    schema = {"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string"}, "id": {"type": "string"}, "date": {"type": "string", "format": "date"}}}
    content = {t: {"schema": schema if "json" in t and t not in JSONL_TYPES else {"type": "string"}} for t in types}
    return {"requestBody": {"required": True, "description": description, "content": content}}


def export_format(request: Request, fmt: str | None) -> str:
    """A format name from ``?format=`` or by ``Accept`` (default Turtle)."""
    if fmt:
        if fmt not in FORMATS:
            raise HTTPException(400, f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
        return fmt
    return MEDIA_FORMATS[choose(request.headers.get("accept"), list(MEDIA_FORMATS), ALIASES)]


FORMAT_QUERY = Query(None, description=f"overrides Accept: one of {', '.join(FORMATS)}")


@router.post("/extract", tags=["extraction"], summary="Extract the graph of one text (nothing is stored)",
             openapi_extra=_body_doc(TEXT_TYPES + JSON_TYPES, "text/plain (with ?id=&date=) or {text, id?, date?}"),
             responses={200: {"content": {m: {} for m in MEDIA_FORMATS}}})
async def extract_endpoint(request: Request, format: str | None = FORMAT_QUERY) -> Response:
    kg = service(request)
    fmt = export_format(request, format)
    documents = await read_documents(request, many=False)

    def work() -> bytes:
        ((_, graph),) = kg.extract(documents)
        output = io.BytesIO()
        export(graph, fmt, output, kg.settings.base)
        return output.getvalue()

    return Response(await run_in_threadpool(work), media_type=FORMATS[fmt].media_type)


@router.post("/documents", tags=["documents"], dependencies=[Depends(require_token)],
             summary="Extract and store documents; re-posting an id replaces its graph",
             openapi_extra=_body_doc(TEXT_TYPES + JSON_TYPES + JSONL_TYPES,
                                     "one document (text/plain with ?id=, or a JSON object) or JSON Lines for many"))
async def post_documents(request: Request) -> JSONResponse:
    kg = service(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    documents = await read_documents(request, many=True)

    def work() -> list[dict]:
        results = []
        for document, graph in kg.extract(documents):
            replaced = kg.store.has_document(document.id)
            triples = kg.store.replace_document(document.id, graph, kg.settings.base)
            results.append({"id": document.id, "triples": triples, "replaced": replaced,
                            "entities": sum(1 for _, k in graph.nodes(data="kind") if k != "document"),
                            "relations": graph.number_of_edges() + len(graph.graph.get("literal_relations", []))})
        kg.metrics.count("kg_documents_stored_total", len(results))
        return results

    results = await run_in_threadpool(work)
    if kind in JSONL_TYPES:
        return JSONResponse({"count": len(results), "documents": results})
    return JSONResponse(results[0], status_code=200 if results[0]["replaced"] else 201)


@router.get("/documents", tags=["documents"], summary="Stored documents, a page at a time")
def list_documents(request: Request, offset: int = Query(0, ge=0), limit: int = Query(100, ge=1, le=1000)) -> dict:
    store = service(request).store
    return {"total": store.count_documents(), "offset": offset, "limit": limit,
            "documents": store.documents(offset, limit)}


@router.get("/documents/{doc_id:path}", tags=["documents"],
            summary="A stored document: its metadata (JSON) or its named graph (Turtle, TriG, N-Quads, N-Triples)")
def get_document(request: Request, doc_id: str) -> Response:
    store = service(request).store
    info = store.document(doc_id)
    if info is None:
        raise HTTPException(404, f"no document with id {doc_id!r}")
    media = choose(request.headers.get("accept"), ["application/json", *DOCUMENT_RDF], ALIASES)
    if media == "application/json":
        return JSONResponse(info)
    quads, fmt = store.document_quads(doc_id), DOCUMENT_RDF[media]
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
        quads = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    data = ox.serialize(quads, format=fmt, prefixes=PREFIXES if fmt != ox.RdfFormat.N_QUADS else None) or b""
    return Response(data, media_type=media)


@router.delete("/documents/{doc_id:path}", tags=["documents"], dependencies=[Depends(require_token)],
               status_code=204, summary="Remove a document's named graph (entities other documents describe remain)")
def delete_document(request: Request, doc_id: str) -> Response:
    if not service(request).store.delete_document(doc_id):
        raise HTTPException(404, f"no document with id {doc_id!r}")
    return Response(status_code=204)


@router.get("/graph", tags=["graph"], summary="The whole merged graph, streamed, in any export format",
            responses={200: {"content": {m: {} for m in MEDIA_FORMATS}}})
def get_graph(request: Request, format: str | None = FORMAT_QUERY) -> StreamingResponse:
    kg = service(request)
    fmt = export_format(request, format)
    supported = getattr(kg.store, "export_formats", tuple(FORMATS))
    if fmt not in supported:
        raise HTTPException(406, f"{fmt} is not available from an external SPARQL store; use {', '.join(supported)}")
    suffix = FORMATS[fmt].suffix
    return StreamingResponse(stream_writer(lambda out: kg.store.export(fmt, out)), media_type=FORMATS[fmt].media_type,
                             headers={"Content-Disposition": f'inline; filename="graph{suffix}"'})


@router.get("/entities", tags=["graph"], summary="Find entities by name, other name or account handle")
def find_entities(request: Request, q: str = Query(..., min_length=1), limit: int = Query(20, ge=1, le=500)) -> dict:
    return {"query": q, "entities": service(request).store.find_entities(q, limit)}


@router.get("/health", tags=["operations"], summary="Liveness: the store is open and the pipeline loaded")
def health(request: Request) -> dict:
    kg = service(request)
    return {"status": "ok", "documents": kg.store.count_documents(), "triples": kg.store.count_triples(),
            "store": kg.settings.sparql_endpoint or kg.settings.store or "(memory)"}


@router.get("/metrics", tags=["operations"], summary="Prometheus metrics", response_class=PlainTextResponse)
def metrics(request: Request) -> PlainTextResponse:
    kg = service(request)
    gauges = {"kg_documents": ("Documents in the store.", kg.store.count_documents()),
              "kg_triples": ("Quads in the store's document graphs.", kg.store.count_triples())}
    return PlainTextResponse(kg.metrics.render(gauges), media_type="text/plain; version=0.0.4; charset=utf-8")


class _QueueWriter(io.RawIOBase):
    def __init__(self, chunks: queue.Queue, cancelled: threading.Event) -> None:
        self.chunks, self.cancelled = chunks, cancelled

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[override]
        while not self.cancelled.is_set():
            try:
                self.chunks.put(bytes(data), timeout=1)
                return len(data)
            except queue.Full:
                continue
        raise BrokenPipeError("client went away")


def stream_writer(write: Callable[[BinaryIO], None]) -> Iterator[bytes]:
    """Runs a writer in a thread and yields what it writes, so large exports stream in bounded memory."""
    chunks: queue.Queue = queue.Queue(maxsize=8)
    cancelled = threading.Event()
    done = object()

    def put(item: object) -> None:
        while not cancelled.is_set():
            try:
                chunks.put(item, timeout=1)
                return
            except queue.Full:
                continue

    def produce() -> None:
        try:
            with io.BufferedWriter(_QueueWriter(chunks, cancelled), 1 << 16) as output:
                write(output)
        except BaseException as err:  # noqa: BLE001 - handed to the consumer
            put(err)
        put(done)

    threading.Thread(target=produce, daemon=True).start()
    try:
        while (item := chunks.get()) is not done:
            if isinstance(item, BaseException):
                if isinstance(item, BrokenPipeError):
                    return
                raise item
            yield item
    finally:
        cancelled.set()
