"""SPARQL results that travel between processes, and a pool of killable query workers.

A query with a deadline runs in a worker process (``kg/sparql_worker.py``) on a read-only
snapshot of the store; when the deadline passes the worker is killed and replaced, so a
runaway query (a cartesian product, an unbounded property path) cannot pin a CPU forever.
Results come back serialized (SPARQL JSON or N-Triples) and are re-serialized on demand.
"""
from __future__ import annotations

import os
import pickle
import select
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.query import QueryError
from kg.sparql_worker import write_message
from kg.vocab import PREFIXES

WORKER = Path(__file__).with_name("sparql_worker.py")

#: Media types of SELECT/ASK results, first is the default.
RESULT_MEDIA = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
#: Media types of CONSTRUCT/DESCRIBE results, first is the default.
GRAPH_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


class QueryTimeout(QueryError):
    """The query ran past its deadline and its worker was stopped."""


@dataclass(frozen=True)
class QueryResult:
    """``kind`` is ``select``, ``ask`` (data: SPARQL JSON results) or ``graph`` (data: N-Triples)."""

    kind: str
    data: bytes

    @property
    def media_types(self) -> list[str]:
        return list(GRAPH_MEDIA if self.kind == "graph" else RESULT_MEDIA)

    def serialize(self, media_type: str) -> bytes:
        """The result in ``media_type`` (one of :attr:`media_types`)."""
        if self.kind == "graph":
            fmt = GRAPH_MEDIA[media_type]
            if fmt == ox.RdfFormat.N_TRIPLES:
                return self.data
            triples = ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)
            prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
            return ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        fmt = RESULT_MEDIA[media_type]
        if fmt == ox.QueryResultsFormat.JSON:
            return self.data
        return self.parsed().serialize(format=fmt)

    def parsed(self) -> ox.QuerySolutions | ox.QueryBoolean:
        return ox.parse_query_results(self.data, format=ox.QueryResultsFormat.JSON)

    def table(self) -> tuple[list[str], list[list[str]]] | bool:
        """SELECT -> (columns, rows of plain values); ASK -> bool; CONSTRUCT -> subject/predicate/object rows."""
        if self.kind == "graph":
            rows = [[t.subject.value, t.predicate.value, t.object.value]
                    for t in ox.parse(self.data, format=ox.RdfFormat.N_TRIPLES)]
            return ["subject", "predicate", "object"], rows
        result = self.parsed()
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        columns = [v.value for v in result.variables]
        return columns, [[_text(solution[c]) for c in columns] for solution in result]


def _text(term: object) -> str:
    return "" if term is None else getattr(term, "value", str(term))


def result_from_reply(reply: tuple) -> QueryResult:
    status, kind, data = reply
    if status == "ok":
        return QueryResult(kind, data)
    if kind == "syntax":
        raise QueryError(f"SPARQL syntax error: {data}")
    raise QueryError(f"query failed: {data}")


class _Worker:
    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-P", str(WORKER)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, close_fds=True)

    def ask(self, request: tuple, deadline: float) -> tuple:
        assert self.process.stdin is not None and self.process.stdout is not None
        write_message(self.process.stdin, request)
        header = self._read(4, deadline)
        size = int.from_bytes(header, "big")
        return pickle.loads(self._read(size, deadline))

    def _read(self, size: int, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()  # type: ignore[union-attr]
        chunks, remaining = [], size
        while remaining:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                raise EOFError("query worker exited")
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


class WorkerPool:
    """Up to ``size`` worker processes, started on demand and reused while they behave."""

    def __init__(self, size: int = 2) -> None:
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self.killed = 0

    def run(self, snapshot: str, query: str, union: bool, timeout: float) -> QueryResult:
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise QueryTimeout(f"query timed out after {timeout:g} s (all query workers were busy)")
        try:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            worker = worker or _Worker()
            try:
                reply = worker.ask((snapshot, query, union), deadline)
            except TimeoutError:
                worker.kill()
                self.killed += 1
                raise QueryTimeout(f"query timed out after {timeout:g} s and was stopped") from None
            except (EOFError, OSError, ValueError) as err:
                worker.kill()
                raise QueryError(f"query worker failed: {err}") from None
            with self._lock:
                self._idle.append(worker)
            return result_from_reply(reply)
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.kill()
