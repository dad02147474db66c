"""The web page at ``/`` and the JSON it needs: annotations of a text, a merged graph of stored documents.

The page is plain HTML/JS/CSS in ``kg/service/static``; its graph view is vis-network as shipped in
the ``pyvis`` wheel, served from the installed package, so the page works with no network.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from kg.annotations import annotate, graph_view
from kg.export import FORMATS
from kg.service.app import service
from kg.service.inputs import JSON_TYPES, TEXT_TYPES, read_documents

STATIC = Path(__file__).parent / "static"
router = APIRouter()
IDS_QUERY = Query(..., alias="id", min_length=1, max_length=200, description="document ids (repeat: ?id=a&id=b)")


def vis_network_dir() -> Path:
    """vis-network's standalone build inside the installed pyvis package (newest version shipped)."""
    import pyvis

    found = sorted((Path(pyvis.__file__).parent / "lib").glob("vis-*/vis-network.min.js"))
    if not found:
        raise RuntimeError("pyvis is installed without vis-network's files (pyvis/lib/vis-*/)")
    return found[-1].parent


def mount_page(app: FastAPI) -> None:
    """The page, its own files and the graph library's files."""
    app.mount("/static/app", StaticFiles(directory=STATIC), name="page-static")
    app.mount("/static/vis", StaticFiles(directory=vis_network_dir()), name="vis-network")
    app.include_router(router)


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/ui/config", include_in_schema=False)
def page_config(request: Request) -> dict:
    """What the page adapts to: whether writes need a token, the body limit, the export formats."""
    kg = service(request)
    return {"tokenRequired": bool(kg.settings.token), "maxBody": kg.settings.max_body,
            "formats": [{"name": f.name, "suffix": f.suffix, "mediaType": f.media_type} for f in FORMATS.values()]}


@router.post("/annotate", tags=["extraction"], summary="Entity and date mentions of one text, and its graph (JSON)",
             openapi_extra={"requestBody": {"required": True, "content": {
                 **{t: {"schema": {"type": "string"}} for t in TEXT_TYPES},
                 **{t: {"schema": {"type": "object", "required": ["text"], "properties": {
                     "text": {"type": "string"}, "id": {"type": "string"},
                     "date": {"type": "string", "format": "date"}}}} for t in JSON_TYPES}}}})
async def annotate_endpoint(request: Request) -> dict:
    """Like ``POST /extract``, nothing is stored; ``mentions`` are ``{start, end, text, kind, iri, name}``
    with offsets into the returned ``text``, and ``graph`` holds the nodes and relations the page draws."""
    from kg.extract import analyze
    from kg.graph import build_graph

    kg = service(request)
    documents = await read_documents(request, many=False)

    def work() -> dict:
        with kg.extract_lock:
            ((document, doc),) = analyze(kg.nlp, documents)
            return annotate(document, doc, build_graph(document, doc, kg.settings.base), kg.settings.base)

    return await run_in_threadpool(work)


@router.get("/graph/documents", tags=["graph"], summary="The merged graph of some stored documents (JSON)")
def documents_graph(request: Request, ids: list[str] = IDS_QUERY) -> dict:
    """The nodes and relations of the selected documents, merged as the store merges them."""
    from kg.graph import merge_graphs

    store = service(request).store
    if not hasattr(store, "document_graph"):
        raise HTTPException(406, "property graphs are not available from an external SPARQL store")
    graphs = []
    for doc_id in dict.fromkeys(ids):
        graph = store.document_graph(doc_id)
        if graph is None:
            raise HTTPException(404, f"no document with id {doc_id!r}")
        graphs.append(graph)
    return {"documents": list(dict.fromkeys(ids)), "graph": graph_view(merge_graphs(graphs))}
