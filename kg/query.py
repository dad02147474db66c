"""SPARQL over exported files or a store (``kg.store.GraphStore``): results as a table, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.vocab import PREFIXES

if TYPE_CHECKING:
    from kg.store import GraphStore

SUFFIX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS,
                  ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}


class QueryError(ValueError):
    pass


def load_files(paths: list[str | Path]) -> ox.Store:
    """An in-memory store of RDF files; each file's named graphs are kept."""
    store = ox.Store()
    for path in map(Path, paths):
        fmt = SUFFIX_FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise QueryError(f"{path}: unknown RDF file type (use {', '.join(SUFFIX_FORMATS)})")
        try:
            store.bulk_load(path=str(path), format=fmt)
        except (OSError, SyntaxError, ValueError) as err:
            raise QueryError(f"{path}: {err}") from None
    return store


def with_prefixes(query: str) -> str:
    """Our prefixes are declared for the user unless the query declares its own."""
    declared = {line.split()[1].rstrip(":").lower() for line in query.splitlines()
                if line.strip().upper().startswith("PREFIX") and len(line.split()) > 1}
    head = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items() if k not in declared)
    return head + query


def run_query(store: ox.Store | GraphStore, query: str) -> tuple[list[str], list[list[str]]] | bool:
    """SELECT -> (columns, rows); ASK -> bool. The default graph is the union of all documents.

    A GraphStore also answers CONSTRUCT/DESCRIBE, as subject/predicate/object rows."""
    if not isinstance(store, ox.Store):
        return store.query(query).table()
    try:
        result = store.query(with_prefixes(query), use_default_graph_as_union=True)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {err}") from None
    if isinstance(result, bool):
        return result
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows = [[_text(solution[c]) for c in columns] for solution in result]
        return columns, rows
    raise QueryError("only SELECT and ASK queries give tables; use CONSTRUCT with the service")


def _text(term: object) -> str:
    if term is None:
        return ""
    return getattr(term, "value", str(term))


def format_result(result: tuple[list[str], list[list[str]]] | bool, fmt: str) -> str:
    if isinstance(result, bool):
        return json.dumps(result) if fmt == "json" else str(result).lower()
    columns, rows = result
    if fmt == "json":
        return json.dumps([dict(zip(columns, row, strict=True)) for row in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")
    widths = [min(60, max([len(c)] + [len(r[i]) for r in rows])) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(v[:60].ljust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
