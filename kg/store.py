"""The persistent graph store: one named graph per document in an embedded Oxigraph store.

Independent of HTTP, so the service, ``kg ingest`` and batch ingesters share it. Layout of a
store folder::

    DIR/oxigraph/    the RDF dataset (RocksDB; every write is one transaction)
    DIR/graphs/      each document's property graph as node-link JSON, for GraphML/GEXF/JSON
                     exports (RDF is the record for SPARQL; these formats need the graph itself)
    DIR/quads.sqlite each document's named graph as N-Quads, a copy of the RDF that N-Quads, TriG
                     and Turtle exports read instead of RocksDB (see kg.store_quads)
    DIR/snapshots/   short-lived read-only checkpoints that query workers read (see query())

A document's RDF is replaced with one SPARQL Update (``DROP GRAPH`` + ``INSERT DATA``), which
Oxigraph runs as one transaction, so a reader or a crash sees the old graph or the new one.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import uuid
from pathlib import Path
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg.export.rdf import graph_quads, to_jsonld
from kg.graph import document_ids, document_iri, document_token, merge_graphs
from kg.query import QueryError, with_prefixes
from kg.sparql_pool import QueryResult, WorkerPool, result_from_reply
from kg.sparql_worker import run as run_in_process
from kg.store_quads import QuadTable
from kg.vocab import DEFAULT_BASE, ENTITY_KINDS, PREFIXES

KIND_OF_TYPE = {kind.rdf_types[0]: kind.name for kind in ENTITY_KINDS.values()}
DUMP_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
#: N-Quads bytes written between flushes. Oxigraph sizes RocksDB's memtables for bulk loads (128 MB
#: per column family, several of them per index) and never flushes them before they fill, so a
#: long ingest grew by ~6 bytes of RSS per byte written (B4: 239 MB at 10k documents, 930 MB at
#: 100k); flushing every 8 MB keeps the writer's memory flat in corpus size at no measurable cost.
FLUSH_BYTES = 8 << 20
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")


class StoreError(RuntimeError):
    pass


class UpdateRefused(QueryError):
    """A SPARQL Update sent where only queries are accepted."""


def is_update(sparql: str) -> bool:
    """Whether the text is a SPARQL Update (after its prologue): the read-only paths refuse those."""
    words = [w.upper() for w in sparql.replace("{", " { ").split()]
    i = 0
    while i < len(words) and words[i] in ("PREFIX", "BASE"):
        i += 3 if words[i] == "PREFIX" else 2
    return i < len(words) and words[i] in UPDATE_WORDS


def document_subgraph(graph: nx.MultiDiGraph, doc_id: str) -> nx.MultiDiGraph:
    """The part of a (possibly merged) graph that came from one document."""
    if all(document_ids(attrs) == [doc_id] for _, attrs in graph.nodes(data=True)):
        return graph
    token = document_token(doc_id)
    sub = nx.MultiDiGraph(literal_relations=[r for r in graph.graph.get("literal_relations", [])
                                             if r["document"] == doc_id])
    for node, attrs in graph.nodes(data=True):
        if doc_id in document_ids(attrs):
            sub.add_node(node, **{**attrs, "documents": token})
    for source, target, key, attrs in graph.edges(keys=True, data=True):
        if attrs.get("document") == doc_id:
            sub.add_edge(source, target, key=key, **attrs)
    return sub


def entities_from_rows(rows, limit: int) -> list[dict]:
    """Entity search answers (rows of ?e ?type ?name ?documents), one entry per entity with all its names."""
    found: dict[str, dict] = {}
    for row in rows:
        kind = KIND_OF_TYPE.get(row["type"].value)
        if kind is None:
            continue
        entry = found.setdefault(row["e"].value, {"iri": row["e"].value, "kind": kind, "names": [],
                                                  "documents": int(row["documents"].value)})
        if row["name"].value not in entry["names"]:
            entry["names"].append(row["name"].value)
    return list(found.values())[:limit]


class GraphStore:
    """Documents' graphs in Oxigraph, on disk in ``path`` (``None``: in memory)."""

    export_formats = ("turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "json")

    def __init__(self, path: str | Path | None = None, base: str = DEFAULT_BASE, query_workers: int = 2,
                 create: bool = True):
        """``create=False`` refuses a folder that holds no store (for read-only commands)."""
        self.path = Path(path) if path is not None else None
        if self.path is not None and not create and not (self.path / "oxigraph").is_dir():
            raise StoreError(f"{self.path}: no kg store here (create one with kg ingest or kg serve)")
        self.base = base
        self._lock = threading.RLock()
        self._generation, self._snapshot, self._snapshot_generation = 0, None, -1
        self._pins: dict[str, int] = {}
        self._unflushed = 0  # bytes written since the last flush (see FLUSH_BYTES)
        self._memory_graphs: dict[str, dict] = {}
        self._pool = WorkerPool(query_workers)
        self._quads: QuadTable | None = None
        if self.path is None:
            self._store = ox.Store()
            return
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self._store = ox.Store(str(self.path / "oxigraph"))
        except OSError as err:
            if "lock" in str(err).lower():
                raise StoreError(f"{self.path} is in use by another process (a running `kg serve`?); "
                                 "query that server over HTTP instead") from None
            raise StoreError(f"{self.path}: cannot open the store: {err}") from None
        (self.path / "graphs").mkdir(exist_ok=True)
        shutil.rmtree(self.path / "snapshots", ignore_errors=True)
        (self.path / "snapshots").mkdir()
        self._recover_graph_files()
        self._quads = QuadTable(self.path / "quads.sqlite", base)
        self._quads.recover(self._store)

    # -- writes ---------------------------------------------------------------------------

    def replace_document(self, doc_id: str, graph: nx.MultiDiGraph, base: str | None = None) -> int:
        """Replaces the document's named graph (and nothing else) atomically; returns its triple count."""
        base = base or self.base
        context = ox.NamedNode(document_iri(base, doc_id))
        quads = {q for q in graph_quads(graph, base) if q.graph_name == context}
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        update = f"DROP SILENT GRAPH {context} ;\nINSERT DATA {{ GRAPH {context} {{\n{body}\n}} }}"
        data = nx.node_link_data(document_subgraph(graph, doc_id), edges="edges")
        nquads = (ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"") if base == self.base else None
        with self._lock:
            pending = self._write_graph_file(doc_id, data)
            staged = self._stage_quads([(doc_id, nquads)] if nquads is not None else [])  # this base only
            self._store.update(update)
            self._commit_written([(doc_id, pending)], staged)
            self._generation += 1
            self._written(len(update))
        return len(quads)

    def add_documents(self, batch: list[tuple[str, bytes, str]]) -> int:
        """Writes ``(doc_id, nquads, node-link JSON)`` of many documents; returns how many replaced one.

        New documents go in with one N-Quads load (one transaction for the batch, far cheaper than
        a SPARQL update per document); documents already stored are replaced one by one, atomically.
        The N-Quads must hold only the document's own named graph (as :mod:`kg.batch` makes them).
        """
        with self._lock:
            fresh = [item for item in batch if not self.has_document(item[0])]
            existing = [item for item in batch if self.has_document(item[0])]
            pending = [(doc_id, self._write_graph_text(doc_id, text)) for doc_id, _, text in fresh]
            staged = self._stage_quads([(doc_id, nquads) for doc_id, nquads, _ in fresh])
            if fresh:
                self._store.load(b"".join(nquads for _, nquads, _ in fresh), format=ox.RdfFormat.N_QUADS)
            self._commit_written(pending, staged)
            for doc_id, nquads, text in existing:
                context = ox.NamedNode(document_iri(self.base, doc_id))
                body = "\n".join(f"{q.subject} {q.predicate} {q.object} ."
                                 for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
                path, staged = self._write_graph_text(doc_id, text), self._stage_quads([(doc_id, nquads)])
                self._store.update(f"DROP SILENT GRAPH {context} ;\nINSERT DATA {{ GRAPH {context} {{\n{body}\n}} }}")
                self._commit_written([(doc_id, path)], staged)
            self._generation += 1
            self._written(sum(len(nquads) for _, nquads, _ in batch))
        return len(existing)

    def _written(self, size: int) -> None:
        """Counts bytes written; flushes the memtables to disk every FLUSH_BYTES (bounded memory)."""
        self._unflushed += size
        if self._unflushed >= FLUSH_BYTES:
            self.flush()

    def _stage_quads(self, documents: list[tuple[str, bytes]]) -> list[str]:
        return self._quads.stage(documents) if self._quads is not None and documents else []

    def _commit_written(self, graph_files: list[tuple[str, Path | None]], staged: list[str]) -> None:
        """After the RDF commit: the documents' pending graph files and staged N-Quads rows become theirs."""
        for doc_id, path in graph_files:
            if path is not None:
                os.replace(path, self._graph_file(doc_id))
        if self._quads is not None:
            self._quads.commit(staged)

    def _write_graph_text(self, doc_id: str, text: str) -> Path | None:
        if self.path is None:
            self._memory_graphs[doc_id] = {k: v for k, v in json.loads(text).items() if k != "kg_document"}
            return None
        pending = self._graph_file(doc_id).with_suffix(".pending")
        pending.write_text(text, "utf-8")
        return pending

    def delete_document(self, doc_id: str) -> bool:
        """Drops the document's named graph; entities that other documents describe keep their triples."""
        context = ox.NamedNode(document_iri(self.base, doc_id))
        with self._lock:
            if not self._store.contains_named_graph(context):
                return False
            doomed = self._quads.stage_delete(doc_id) if self._quads is not None else None
            self._store.update(f"DROP GRAPH {context}")
            self._memory_graphs.pop(doc_id, None)
            if self.path is not None:
                self._graph_file(doc_id).unlink(missing_ok=True)
            if self._quads is not None and doomed is not None:
                self._quads.delete(doomed)
            self._generation += 1
        return True

    def flush(self) -> None:
        """Writes RocksDB's memtables to disk (durability, and the memory they held is freed)."""
        self._unflushed = 0
        if self.path is not None:
            self._store.flush()

    def close(self) -> None:
        self._pool.close()
        with self._lock:
            self.flush()
            self._store = None  # type: ignore[assignment] - releases the RocksDB lock
            if self._quads is not None:
                self._quads.close()
            if self.path is not None:
                shutil.rmtree(self.path / "snapshots", ignore_errors=True)

    # -- reads ----------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(document_iri(self.base, doc_id)))

    def document(self, doc_id: str) -> dict | None:
        """``{id, iri, date, triples}`` of a stored document, or None."""
        iri = ox.NamedNode(document_iri(self.base, doc_id))
        if not self._store.contains_named_graph(iri):
            return None
        dates = [q.object.value for q in self._store.quads_for_pattern(
            iri, ox.NamedNode(PREFIXES["dcterms"] + "date"), None, iri)]
        return {"id": doc_id, "iri": iri.value, "date": dates[0] if dates else None, "triples": self._count(iri)}

    def documents(self, offset: int = 0, limit: int = 100) -> list[dict]:
        """A page of stored documents in id order: ``{id, iri, date, triples}``."""
        result = self._store.query(
            "SELECT ?g ?id (SAMPLE(?d) AS ?date) WHERE { GRAPH ?g { ?g dcterms:identifier ?id "
            "OPTIONAL { ?g dcterms:date ?d } } } GROUP BY ?g ?id ORDER BY ?id "
            f"OFFSET {int(offset)} LIMIT {int(limit)}", prefixes=PREFIXES)
        return [{"id": row["id"].value, "iri": row["g"].value,
                 "date": row["date"].value if row["date"] is not None else None,
                 "triples": self._count(row["g"])} for row in result]

    def document_quads(self, doc_id: str) -> list[ox.Quad]:
        return list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(document_iri(self.base, doc_id))))

    def count_documents(self) -> int:
        return sum(1 for _ in self._store.named_graphs())

    def count_triples(self) -> int:
        """Quads in all document graphs (a node's description counts once per document)."""
        return len(self._store)

    def _count(self, graph_name: ox.NamedNode) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, graph_name))

    def find_entities(self, text: str, limit: int = 20) -> list[dict]:
        """Entities whose name, other name or account handle contains ``text`` (case-insensitive)."""
        needle = text.strip().lstrip("@").lower()
        if not needle:
            return []
        result = self._store.query(
            "SELECT ?e ?type ?name (COUNT(DISTINCT ?g) AS ?documents) WHERE {"
            " { ?e schema:name ?name } UNION { ?e schema:alternateName ?name } UNION { ?e foaf:accountName ?name }"
            f" FILTER(CONTAINS(LCASE(STR(?name)), {ox.Literal(needle)})) GRAPH ?g {{ ?e a ?type }} }}"
            f" GROUP BY ?e ?type ?name ORDER BY ?name LIMIT {int(limit) * 4}",
            prefixes=PREFIXES, use_default_graph_as_union=True)
        return entities_from_rows(result, limit)

    def query(self, sparql: str, timeout: float | None = None) -> QueryResult:
        """Runs a read-only SPARQL query over the union of the document graphs (kg's prefixes declared).

        With a ``timeout`` (on-disk stores) the query runs in a worker process on a snapshot and is
        stopped at the deadline (:class:`kg.sparql_pool.QueryTimeout`); an in-memory store runs it
        in this process, where it cannot be interrupted.
        """
        if is_update(sparql):
            raise UpdateRefused("SPARQL Update is not accepted here: this endpoint is read-only "
                             "(documents change through POST/DELETE /documents or kg ingest)")
        text = with_prefixes(sparql)
        if timeout is None or self.path is None:
            return result_from_reply(run_in_process(self._store, text, True))
        snapshot = self._pin_snapshot()
        try:
            return self._pool.run(snapshot, text, True, timeout)
        finally:
            self._unpin(snapshot)

    def graph(self) -> nx.MultiDiGraph:
        """The merged property graph of every stored document."""
        if self.path is None:
            datas = list(self._memory_graphs.values())
        else:
            datas = [json.loads(p.read_text("utf-8")) for p in sorted((self.path / "graphs").glob("*.json"))]
        return merge_graphs(nx.node_link_graph(d, edges="edges", multigraph=True, directed=True) for d in datas)

    def document_graph(self, doc_id: str) -> nx.MultiDiGraph | None:
        """One stored document's property graph, or None (the web page merges a selection of them)."""
        if self.path is None:
            data = self._memory_graphs.get(doc_id)
        else:
            path = self._graph_file(doc_id)
            data = json.loads(path.read_text("utf-8")) if path.exists() else None
        return None if data is None else nx.node_link_graph(data, edges="edges", multigraph=True, directed=True)

    def export(self, fmt: str, output: BinaryIO) -> None:
        """The whole store in an export format (``kg.export.FORMATS``).

        N-Quads, TriG and Turtle of an on-disk store come from its documents' N-Quads rows
        (:mod:`kg.store_quads`: the same quads, without RocksDB's per-term lookups); of an
        in-memory store, and JSON-LD, from the RDF store; the property-graph formats from the graph.
        """
        from kg.export import export, parse_formats

        spec = parse_formats(fmt)[0]
        if self._quads is not None and spec.name in ("nquads", "trig", "turtle"):
            self._quads.export(spec.name, self._store, output, self._lock)
        elif spec.name in DUMP_FORMATS:
            self._store.dump(output, DUMP_FORMATS[spec.name], prefixes=PREFIXES if spec.name == "trig" else None)
        elif spec.name == "turtle":
            rows = self._store.query("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
            ox.serialize((ox.Triple(r["s"], r["p"], r["o"]) for r in rows), output, ox.RdfFormat.TURTLE,
                         prefixes=PREFIXES)
        elif spec.name == "jsonld":
            output.write(to_jsonld(list(self._store)).encode("utf-8"))
        else:
            export(self.graph(), spec, output, self.base)

    # -- snapshots for query workers ------------------------------------------------------

    def _pin_snapshot(self) -> str:
        with self._lock:
            if self._snapshot is None or self._snapshot_generation != self._generation:
                path = self.path / "snapshots" / f"{self._generation}-{uuid.uuid4().hex[:8]}"  # type: ignore[operator]
                self._store.backup(str(path))
                self._snapshot, self._snapshot_generation = str(path), self._generation
                self._pins.setdefault(self._snapshot, 0)
            self._pins[self._snapshot] += 1
            return self._snapshot

    def _unpin(self, snapshot: str) -> None:
        with self._lock:
            self._pins[snapshot] -= 1
            for path, count in list(self._pins.items()):
                if count == 0 and path != self._snapshot:
                    del self._pins[path]
                    shutil.rmtree(path, ignore_errors=True)

    # -- property-graph files -------------------------------------------------------------

    def _graph_file(self, doc_id: str) -> Path:
        return self.path / "graphs" / f"{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()}.json"  # type: ignore[operator]

    def _write_graph_file(self, doc_id: str, data: dict) -> Path | None:
        """Writes ``<file>.pending``; the caller renames it once the RDF transaction has committed."""
        if self.path is None:
            self._memory_graphs[doc_id] = data
            return None
        pending = self._graph_file(doc_id).with_suffix(".pending")
        pending.write_text(json.dumps({**data, "kg_document": doc_id}, ensure_ascii=False), "utf-8")
        return pending

    def _recover_graph_files(self) -> None:
        """After a crash between the RDF commit and the rename, keep the file if the document is stored."""
        for pending in (self.path / "graphs").glob("*.pending"):  # type: ignore[operator]
            try:
                doc_id = json.loads(pending.read_text("utf-8"))["kg_document"]
            except (ValueError, KeyError):
                pending.unlink()
                continue
            if self.has_document(doc_id):
                os.replace(pending, pending.with_suffix(".json"))
            else:
                pending.unlink()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
