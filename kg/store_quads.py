"""Each stored document's N-Quads in a SQLite table beside the RDF store, so RDF exports skip RocksDB.

Reading quads back out of the on-disk Oxigraph store costs about 10 µs a quad (every term's
string is a RocksDB lookup), so ``Store.dump`` of 1M quads took as long as rdflib's serializer.
The same quads kept as one N-Quads blob per document (``DIR/quads.sqlite``) stream out at disk
speed (benchmark B3). One file, not one per document: opening 100k small files cost more than
reading them.

The RDF store stays the record; a row is a derived copy of its document's named graph:

* A write stages the row (``state`` 1) in one SQLite transaction, commits the RDF, then marks the
  row done (``state`` 0) in a second one; a delete marks the row (``state`` 2), drops the graph,
  then deletes the row. A crash in between leaves a row not in state 0, settled when the store
  opens (:meth:`QuadTable.recover`): it is kept only if it holds exactly what the store holds.
* Exports take the list of document graphs from the store and read only rows in state 0, so a
  row whose graph is gone is never exported, and a stored document without a row is read from the
  store and its row written then, under the store's write lock. That is also how a store made
  before this table existed migrates: lazily, on its first RDF export (which costs what an export
  cost before), so opening a store stays as cheap as it was.
* Named graphs that are not kg documents (another base) and the default graph, which kg never
  writes, come from the store. Documents whose N-Quads have blank nodes get no row from the writer
  (the store relabels blank nodes on load); their row is written from the store instead.
* Rows hold the quads as the store gives them back, not as written: Oxigraph keeps typed literals
  as values, so ``"1.0"^^xsd:double`` comes back ``"1"``; each document is put in that form by an
  in-memory Oxigraph store (the same encoding, a few µs a quad).
"""
from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kg.graph import document_iri
from kg.vocab import PREFIXES

NQUADS = ox.RdfFormat.N_QUADS
#: N-Quads bytes parsed at a time for TriG (one parse per document would cost more than the data).
PARSE_BYTES = 4 << 20
SCHEMA = "CREATE TABLE IF NOT EXISTS quads (graph TEXT PRIMARY KEY, nquads BLOB NOT NULL, state INTEGER NOT NULL)"


def canonical_nquads(nquads: bytes) -> bytes | None:
    """The quads as the store will give them back, or None when they may hold blank nodes."""
    if b"_:" in nquads:  # possibly a blank node (or only a literal's text): let the store write it
        return None
    canonical = ox.Store()
    canonical.load(nquads, format=NQUADS)
    return ox.serialize(canonical, format=NQUADS) or b""


class QuadTable:
    """``DIR/quads.sqlite`` of an on-disk store whose documents live under ``base``.

    The caller serialises writes (GraphStore's lock); each export reads through a connection of its
    own, so SQLite's WAL mode gives it one consistent snapshot of the table beside the writes.
    """

    def __init__(self, path: Path, base: str):
        self.path, self.base = path, base
        self._prefix = document_iri(base, "")
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(SCHEMA)
        # recover() looks only for unsettled rows: an index of those keeps opening a big store cheap.
        self._db.execute("CREATE INDEX IF NOT EXISTS unsettled ON quads (state) WHERE state != 0")

    def close(self) -> None:
        self._db.close()

    # -- writes (the caller holds the store's lock and commits the RDF in between) -------

    def stage(self, documents: Iterable[tuple[str, bytes]]) -> list[str]:
        """Stages ``(doc_id, nquads)`` rows before the RDF commit; returns the graph IRIs to commit()."""
        rows, gone = [], []
        for doc_id, nquads in documents:
            graph = document_iri(self.base, doc_id)
            data = canonical_nquads(nquads)
            (gone if data is None else rows).append((graph, data))
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM quads WHERE graph = ?", [(g,) for g, _ in gone])
            self._db.executemany("INSERT OR REPLACE INTO quads VALUES (?, ?, 1)", rows)
        return [graph for graph, _ in rows]

    def commit(self, graphs: list[str]) -> None:
        """Once the RDF transaction has committed: the staged rows are the documents' rows."""
        if graphs:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("UPDATE quads SET state = 0 WHERE graph = ?", [(g,) for g in graphs])

    def stage_delete(self, doc_id: str) -> str:
        graph = document_iri(self.base, doc_id)
        self._db.execute("UPDATE quads SET state = 2 WHERE graph = ?", (graph,))
        return graph

    def delete(self, graph: str) -> None:
        """Once the graph is dropped from the store."""
        self._db.execute("DELETE FROM quads WHERE graph = ?", (graph,))

    def recover(self, store: ox.Store) -> None:
        """After a crash between the steps of a write: keep a row only if it matches the store."""
        unsettled = self._db.execute("SELECT graph, nquads FROM quads WHERE state != 0").fetchall()
        for graph, data in unsettled:
            try:
                quads = set(ox.parse(data, format=NQUADS))
            except (SyntaxError, ValueError):
                quads = None
            stored = set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            if quads == stored and stored:
                self._db.execute("UPDATE quads SET state = 0 WHERE graph = ?", (graph,))
            else:
                self._db.execute("DELETE FROM quads WHERE graph = ?", (graph,))

    # -- exports ---------------------------------------------------------------------------

    def export(self, fmt: str, store: ox.Store, output: BinaryIO, lock: AbstractContextManager) -> None:
        """The whole store as ``nquads`` (the rows as they are), ``trig`` or ``turtle`` (union graph).

        Turtle is de-duplicated as N-Triples lines (each document's graph name cut off), which is
        cheaper than as parsed triples: the rows hold every term in one form (the store's), so the
        same triple is the same line.
        """
        if fmt == "nquads":
            for _, data in self.chunks(store, lock):
                output.write(data)
        elif fmt == "trig":
            quads = itertools.chain.from_iterable(ox.parse(data, format=NQUADS)
                                                  for data in _batched(self.chunks(store, lock)))
            ox.serialize(quads, output, ox.RdfFormat.TRIG, prefixes=PREFIXES)
        elif fmt == "turtle":
            lines = b"".join(_without_graph(graph, data) for graph, data in self.chunks(store, lock) if data)
            unique = dict.fromkeys(lines.split(b"\n"))
            unique.pop(b"", None)
            del lines
            ox.serialize(ox.parse(b"\n".join(unique), format=ox.RdfFormat.N_TRIPLES), output, ox.RdfFormat.TURTLE,
                         prefixes=PREFIXES)
        else:
            raise ValueError(f"not an N-Quads-based export format: {fmt}")

    def chunks(self, store: ox.Store, lock: AbstractContextManager) -> Iterator[tuple[str, bytes]]:
        """(graph IRI, "" for the default graph; its quads as N-Quads) of every graph in the store:
        the documents in the table's order, then documents without a row, then the other graphs."""
        documents, others = set(), []
        for graph in store.named_graphs():
            if graph.value.startswith(self._prefix):
                documents.add(graph.value)
            else:
                others.append(graph)
        # A connection of its own: one consistent snapshot of the table (WAL), whatever is written meanwhile.
        reader = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        try:
            for graph, data in reader.execute("SELECT graph, nquads FROM quads WHERE state = 0 ORDER BY rowid"):
                if graph in documents:
                    documents.discard(graph)
                    yield graph, data
        finally:
            reader.close()
        for graph in sorted(documents):  # stored documents without a row: lazy migration
            yield graph, self._from_store(graph, store, lock)
        for other in [*others, ox.DefaultGraph()]:
            data = ox.serialize(store.quads_for_pattern(None, None, None, other), format=NQUADS)
            if data:
                yield "" if isinstance(other, ox.DefaultGraph) else other.value, data

    def _from_store(self, graph: str, store: ox.Store, lock: AbstractContextManager) -> bytes:
        """A document without a row: its quads from the store, and its row written.

        Under the store's lock, so that no write of the same document comes in between.
        """
        with lock:
            node = ox.NamedNode(graph)
            if not store.contains_named_graph(node):
                return b""  # deleted since the export began
            row = self._db.execute("SELECT nquads FROM quads WHERE graph = ? AND state = 0", (graph,)).fetchone()
            if row is not None:  # written since
                return row[0]
            # Blank nodes included: the store's labels are unique in the store.
            data = ox.serialize(store.quads_for_pattern(None, None, None, node), format=NQUADS) or b""
            self._db.execute("INSERT OR REPLACE INTO quads VALUES (?, ?, 0)", (graph, data))
            return data


def _batched(chunks: Iterator[tuple[str, bytes]]) -> Iterator[bytes]:
    """The chunks' N-Quads joined into parts of about PARSE_BYTES."""
    parts: list[bytes] = []
    size = 0
    for _, chunk in chunks:
        parts.append(chunk)
        size += len(chunk)
        if size >= PARSE_BYTES:
            yield b"".join(parts)
            parts, size = [], 0
    if parts:
        yield b"".join(parts)


def _without_graph(graph: str, nquads: bytes) -> bytes:
    """One graph's N-Quads as N-Triples: the graph name cut off each line's end (N-Quads escape a
    literal's newlines, so ``" <graph> .\\n"`` is only ever a line's end), or, where the last line
    does not end so (a graph name written otherwise), the quads parsed and written again."""
    if not graph:
        return nquads
    end = f" <{graph}> .\n".encode()
    if nquads.endswith(end):
        return nquads.replace(end, b" .\n")
    return ox.serialize((q.triple for q in ox.parse(nquads, format=NQUADS)), format=ox.RdfFormat.N_TRIPLES) or b""
