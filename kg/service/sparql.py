"""The SPARQL 1.1 Protocol endpoint (read-only): GET, urlencoded POST and application/sparql-query."""
from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.concurrency import run_in_threadpool

from kg.query import QueryError
from kg.service.app import service
from kg.service.inputs import decode, media_type
from kg.service.negotiation import choose
from kg.sparql_pool import GRAPH_MEDIA, RESULT_MEDIA, QueryTimeout
from kg.store import UpdateRefused

router = APIRouter(tags=["sparql"])
ALIASES = {"application/turtle": "text/turtle", "application/x-turtle": "text/turtle",
           "application/x-json+ld": "application/ld+json", "text/javascript": "application/sparql-results+json",
           "application/javascript": "application/sparql-results+json"}
RESPONSES = {200: {"content": {m: {} for m in [*RESULT_MEDIA, *GRAPH_MEDIA]}},
             400: {"description": "SPARQL syntax error"}, 403: {"description": "SPARQL Update refused"},
             406: {"description": "no acceptable result format"}, 503: {"description": "query timed out"}}
DESCRIPTION = ("SPARQL 1.1 query over the union of all document graphs (kg's prefixes are declared). "
               "SELECT/ASK results as SPARQL JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle, N-Triples, "
               "JSON-LD, RDF/XML by Accept. Updates are refused; queries past the timeout are stopped (503).")


@router.get("/sparql", summary="SPARQL query (GET ?query=)", description=DESCRIPTION, responses=RESPONSES)
async def sparql_get(request: Request) -> Response:
    params = request.query_params
    if "update" in params:
        raise HTTPException(403, "SPARQL Update is refused: this endpoint is read-only")
    return await answer(request, params.getlist("query"), params)


@router.post("/sparql", summary="SPARQL query (urlencoded form or application/sparql-query)",
             description=DESCRIPTION, responses=RESPONSES, openapi_extra={"requestBody": {"content": {
                 "application/sparql-query": {"schema": {"type": "string"}},
                 "application/x-www-form-urlencoded": {"schema": {
                     "type": "object", "properties": {"query": {"type": "string"}}}}}}})
async def sparql_post(request: Request) -> Response:
    kind, _ = media_type(request)
    body = await request.body()
    if kind == "application/sparql-update":
        raise HTTPException(403, "SPARQL Update is refused: this endpoint is read-only")
    if kind == "application/sparql-query":
        return await answer(request, [decode(body, "query")], request.query_params)
    if kind == "application/x-www-form-urlencoded":
        form = parse_qs(decode(body, "form"), keep_blank_values=True)
        if "update" in form:
            raise HTTPException(403, "SPARQL Update is refused: this endpoint is read-only")
        return await answer(request, form.get("query", []), form)
    raise HTTPException(415, f"unsupported Content-Type {kind or '(none)'!r}; send application/sparql-query "
                             "or application/x-www-form-urlencoded with query=")


async def answer(request: Request, queries: list[str], params: object) -> Response:
    if len(queries) != 1 or not queries[0].strip():
        raise HTTPException(400, "send exactly one non-empty 'query' parameter")
    if any(key in params for key in ("default-graph-uri", "named-graph-uri")):  # type: ignore[operator]
        raise HTTPException(400, "default-graph-uri/named-graph-uri are not supported: the default graph is the "
                                 "union of the document graphs; use GRAPH <document IRI> in the query")
    kg = service(request)
    try:
        result = await run_in_threadpool(kg.store.query, queries[0], kg.settings.query_timeout)
    except UpdateRefused as err:
        raise HTTPException(403, str(err)) from None
    except QueryTimeout as err:
        kg.metrics.count("kg_sparql_timeouts_total")
        raise HTTPException(503, f"{err}; make the query more selective or raise kg serve --query-timeout",
                            headers={"Retry-After": "1"}) from None
    except QueryError as err:
        raise HTTPException(400, str(err)) from None
    kg.metrics.count("kg_sparql_queries_total")
    media = choose(request.headers.get("accept"), result.media_types, ALIASES)
    data = await run_in_threadpool(result.serialize, media)
    return Response(data, media_type=media)
