"""A SPARQL worker process: runs queries on a read-only snapshot of the store.

pyoxigraph cannot interrupt a running query, so queries with a deadline run here, in a process
the parent can kill. It is started as a plain script (``python -P kg/sparql_worker.py``) and
imports nothing but pyoxigraph, so it starts in well under a second.

Protocol on stdin/stdout: 4-byte big-endian length + pickle. Request:
``(snapshot_path, query, union_default_graph)``. Reply: ``("ok", kind, data)`` with kind
``select``/``ask`` (data: SPARQL JSON results) or ``graph`` (data: N-Triples), or
``("error", "syntax" | "failed", message)``.
"""
from __future__ import annotations

import pickle
import struct
import sys
from typing import BinaryIO


def read_message(stream: BinaryIO) -> object | None:
    header = stream.read(4)
    if len(header) < 4:
        return None
    (size,) = struct.unpack(">I", header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)


def write_message(stream: BinaryIO, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">I", len(data)) + data)
    stream.flush()


def run(store: object, query: str, union: bool) -> tuple:
    import pyoxigraph as ox

    try:
        result = store.query(query, use_default_graph_as_union=union)  # type: ignore[attr-defined]
        if isinstance(result, ox.QueryBoolean):
            return "ok", "ask", result.serialize(format=ox.QueryResultsFormat.JSON)
        if isinstance(result, ox.QuerySolutions):
            return "ok", "select", result.serialize(format=ox.QueryResultsFormat.JSON)
        return "ok", "graph", result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
    except SyntaxError as err:
        return "error", "syntax", str(err)
    except Exception as err:  # noqa: BLE001 - reported to the parent, which decides
        return "error", "failed", f"{type(err).__name__}: {err}"


def main() -> None:
    import pyoxigraph as ox

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write on the protocol stream
    opened_path, store = None, None
    while True:
        request = read_message(stdin)
        if request is None:
            return
        path, query, union = request  # type: ignore[misc]
        if path != opened_path:
            store = None
            try:
                store = ox.Store.read_only(path)
                opened_path = path
            except OSError as err:
                write_message(stdout, ("error", "failed", f"cannot open snapshot: {err}"))
                continue
        write_message(stdout, run(store, query, union))


if __name__ == "__main__":
    main()
