"""An external SPARQL 1.1 store (Virtuoso, Fuseki, GraphDB, Oxigraph server) behind GraphStore's API.

Writes use SPARQL 1.1 Update (``DROP SILENT GRAPH`` + ``INSERT DATA`` per document, sent as one
request when the document is small, so the store applies them together); reads use the SPARQL
1.1 Protocol. Queries only ever touch graphs that hold a document node (``?g dcterms:identifier``),
so a store's own system graphs (Virtuoso has several) stay out of counts and listings.
"""
from __future__ import annotations

from typing import BinaryIO

import httpx
import networkx as nx
import pyoxigraph as ox

from kg.export.rdf import graph_quads, to_jsonld
from kg.graph import document_iri
from kg.query import QueryError, with_prefixes
from kg.sparql_pool import QueryResult, QueryTimeout
from kg.store import StoreError, UpdateRefused, entities_from_rows, is_update
from kg.vocab import DEFAULT_BASE, PREFIXES

CHUNK = 1000  # triples per INSERT DATA request
DOCUMENT_GRAPHS = "GRAPH ?g { ?g dcterms:identifier ?id }"


def _term(binding: dict) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


def query_form(sparql: str) -> str:
    """``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE): decides what to ask the store for."""
    words = [w.upper() for w in sparql.replace("{", " { ").replace("*", " * ").split()]
    for word in words:
        if word in ("SELECT", "ASK"):
            return word.lower()
        if word in ("CONSTRUCT", "DESCRIBE"):
            return "graph"
    return "select"


class RemoteGraphStore:
    """The GraphStore API over HTTP. GraphML/GEXF/node-link exports need the embedded store."""

    export_formats = ("nquads", "trig", "turtle", "jsonld")
    path = None

    def __init__(self, query_url: str, update_url: str | None = None, base: str = DEFAULT_BASE,
                 auth: tuple[str, str] | None = None, timeout: float = 60.0):
        self.query_url, self.update_url, self.base = query_url, update_url or query_url, base
        self._http = httpx.Client(timeout=timeout, auth=httpx.DigestAuth(*auth) if auth else None)

    # -- protocol -------------------------------------------------------------------------

    def _post(self, url: str, data: dict, accept: str, timeout: float | None = None) -> httpx.Response:
        try:
            response = self._http.post(url, data=data, headers={"Accept": accept},
                                       timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT)
        except httpx.TimeoutException:
            raise QueryTimeout(f"the SPARQL store did not answer within {timeout or self._http.timeout.read} s") \
                from None
        except httpx.HTTPError as err:
            raise StoreError(f"SPARQL store {url}: {err}") from None
        if response.status_code >= 400:
            message = f"SPARQL store answered {response.status_code}: {response.text[:300].strip()}"
            raise QueryError(message) if response.status_code < 500 else StoreError(message)
        return response

    def _select(self, sparql: str) -> list[dict]:
        response = self._post(self.query_url, {"query": with_prefixes(sparql)}, "application/sparql-results+json")
        return [{k: _term(v) for k, v in row.items()} for row in response.json()["results"]["bindings"]]

    def _update(self, sparql: str) -> None:
        self._post(self.update_url, {"update": with_prefixes(sparql)}, "*/*")

    # -- the GraphStore API ---------------------------------------------------------------

    def _graph(self, doc_id: str) -> ox.NamedNode:
        return ox.NamedNode(document_iri(self.base, doc_id))

    def has_document(self, doc_id: str) -> bool:
        return bool(self._select(f"SELECT ?id WHERE {{ GRAPH {self._graph(doc_id)} {{ ?g dcterms:identifier ?id }} }}"
                                 " LIMIT 1"))

    def replace_document(self, doc_id: str, graph: nx.MultiDiGraph, base: str | None = None) -> int:
        context = ox.NamedNode(document_iri(base or self.base, doc_id))
        triples = sorted({f"{q.subject} {q.predicate} {q.object} ." for q in graph_quads(graph, base or self.base)
                          if q.graph_name == context})
        chunks = [triples[i:i + CHUNK] for i in range(0, len(triples), CHUNK)] or [[]]
        for number, chunk in enumerate(chunks):
            insert = f"INSERT DATA {{ GRAPH {context} {{\n" + "\n".join(chunk) + "\n} }"
            self._update(f"DROP SILENT GRAPH {context} ;\n{insert}" if number == 0 else insert)
        return len(triples)

    def delete_document(self, doc_id: str) -> bool:
        if not self.has_document(doc_id):
            return False
        self._update(f"DROP SILENT GRAPH {self._graph(doc_id)}")
        return True

    def _count(self, graph: ox.NamedNode) -> int:
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value)

    def document(self, doc_id: str) -> dict | None:
        graph = self._graph(doc_id)
        rows = self._select(f"SELECT ?id ?date WHERE {{ GRAPH {graph} {{ {graph} dcterms:identifier ?id "
                            f"OPTIONAL {{ {graph} dcterms:date ?date }} }} }} LIMIT 1")
        if not rows:
            return None
        date = rows[0].get("date")
        return {"id": doc_id, "iri": graph.value, "date": date.value if date else None, "triples": self._count(graph)}

    def documents(self, offset: int = 0, limit: int = 100) -> list[dict]:
        rows = self._select("SELECT ?g ?id (SAMPLE(?d) AS ?date) WHERE { GRAPH ?g { ?g dcterms:identifier ?id "
                            "OPTIONAL { ?g dcterms:date ?d } } } GROUP BY ?g ?id ORDER BY ?id "
                            f"OFFSET {int(offset)} LIMIT {int(limit)}")
        return [{"id": r["id"].value, "iri": r["g"].value, "date": r["date"].value if r.get("date") else None,
                 "triples": self._count(r["g"])} for r in rows]

    def document_quads(self, doc_id: str) -> list[ox.Quad]:
        graph = self._graph(doc_id)
        rows = self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
        return [ox.Quad(r["s"], r["p"], r["o"], graph) for r in rows]

    def count_documents(self) -> int:
        return int(self._select(f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ {DOCUMENT_GRAPHS} }}")[0]["n"].value)

    def count_triples(self) -> int:
        rows = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {DOCUMENT_GRAPHS} GRAPH ?g {{ ?s ?p ?o }} }}")
        return int(rows[0]["n"].value)

    def find_entities(self, text: str, limit: int = 20) -> list[dict]:
        needle = text.strip().lstrip("@").lower()
        if not needle:
            return []
        rows = self._select(
            "SELECT ?e ?type ?name (COUNT(DISTINCT ?g) AS ?documents) WHERE { GRAPH ?g { ?e a ?type } "
            "GRAPH ?h { { ?e schema:name ?name } UNION { ?e schema:alternateName ?name } UNION "
            f"{{ ?e foaf:accountName ?name }} }} FILTER(CONTAINS(LCASE(STR(?name)), {ox.Literal(needle)})) }} "
            f"GROUP BY ?e ?type ?name ORDER BY ?name LIMIT {int(limit) * 4}")
        return entities_from_rows(rows, limit)

    def query(self, sparql: str, timeout: float | None = None) -> QueryResult:
        """The store answers; a ``timeout`` stops waiting for it (the store's own limits stop the query)."""
        if is_update(sparql):
            raise UpdateRefused("SPARQL Update is not accepted here: this endpoint is read-only")
        form = query_form(sparql)
        accept = "text/turtle" if form == "graph" else "application/sparql-results+json"
        response = self._post(self.query_url, {"query": with_prefixes(sparql)}, accept, timeout)
        if form == "graph":
            triples = ox.parse(response.content, format=ox.RdfFormat.TURTLE)
            return QueryResult("graph", ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
        return QueryResult("ask" if form == "ask" else "select", response.content)

    def _quads(self) -> list[ox.Quad]:
        rows = self._select(f"SELECT ?g ?s ?p ?o WHERE {{ {DOCUMENT_GRAPHS} GRAPH ?g {{ ?s ?p ?o }} }}")
        return [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in rows]

    def export(self, fmt: str, output: BinaryIO) -> None:
        if fmt not in self.export_formats:
            raise StoreError(f"{fmt} needs the embedded store; an external SPARQL store exports "
                             f"{', '.join(self.export_formats)}")
        quads = self._quads()
        if fmt == "jsonld":
            output.write(to_jsonld(quads).encode("utf-8"))
        elif fmt == "turtle":
            triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
            ox.serialize(triples, output, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        else:
            ox.serialize(quads, output, ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG)

    def graph(self) -> nx.MultiDiGraph:
        raise StoreError("the property graph (GraphML, GEXF, node-link JSON) needs the embedded store")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._http.close()
