"""A Cypher script of the graph for Neo4j, Memgraph, FalkorDB and LadybugDB.

Only the portable core of Cypher is used: ``UNWIND`` over literal batches, ``MERGE`` of nodes on
their IRI and of relationships on their key, and ``SET`` of one property at a time (no ``+=``,
which LadybugDB lacks). Running the script twice changes nothing. Index statements differ between
the databases, so they are in the header as comments, one line per dialect.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

import networkx as nx

from kg.export.property_graph import EDGE_PROPERTIES, node_tables, rel_tables
from kg.vocab import DEFAULT_BASE

BATCH = 500
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def name(identifier: str) -> str:
    """A label, type or property name, back-quoted when it is not a plain identifier."""
    return identifier if _IDENTIFIER.match(identifier) else "`" + identifier.replace("`", "``") + "`"


def literal(value: object) -> str:
    """A Cypher literal: strings double-quoted with backslash escapes (control characters as \\uXXXX)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0xD800 <= ord(char) <= 0xDFFF:
            out.append("\\uFFFD" if 0xD800 <= ord(char) <= 0xDFFF else f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _map(row: dict, columns: list[str]) -> str:
    return "{" + ", ".join(f"{name(c)}: {literal(row[c])}" for c in columns) + "}"


def _batches(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]


def header(graph: nx.MultiDiGraph) -> list[str]:
    """Comment lines: what the script is, and the index statement of each dialect for each label."""
    lines = ["// kg graph as Cypher (Neo4j 5, Memgraph, FalkorDB; LadybugDB via `kg load ladybug`).",
             "// Nodes are MERGEd on `iri`; create an index on it first for speed (statements differ):"]
    for label in node_tables(graph):
        lines += [f"//   Neo4j:    CREATE CONSTRAINT IF NOT EXISTS FOR (n:{name(label)}) REQUIRE n.iri IS UNIQUE;",
                  f"//   Memgraph: CREATE INDEX ON :{name(label)}(iri);",
                  f"//   FalkorDB: CREATE INDEX FOR (n:{name(label)}) ON (n.iri);"]
    return lines


def cypher_statements(graph: nx.MultiDiGraph) -> Iterator[str]:
    """The statements, without their ``;``: node batches first, then relationship batches."""
    for table in node_tables(graph).values():
        assignments = ", ".join(f"n.{name(c)} = row.{name(c)}" for c in table.columns[1:])
        for batch in _batches(table.rows):
            rows = ",\n  ".join(_map(row, table.columns) for row in batch)
            yield f"UNWIND [\n  {rows}\n] AS row\nMERGE (n:{name(table.label)} {{iri: row.iri}})\nSET {assignments}"
    columns = list(EDGE_PROPERTIES)
    assignments = ", ".join(f"r.{name(c)} = row.{name(c)}" for c in columns[1:])
    for table in rel_tables(graph).values():
        for source_label, target_label in table.pairs:
            pair_rows = [r for r in table.rows if (r["from_label"], r["to_label"]) == (source_label, target_label)]
            for batch in _batches(pair_rows):
                rows = ",\n  ".join(_map(row, ["from", "to", *columns]) for row in batch)
                yield (f"UNWIND [\n  {rows}\n] AS row\n"
                       f"MATCH (a:{name(source_label)} {{iri: row.from}}), (b:{name(target_label)} {{iri: row.to}})\n"
                       f"MERGE (a)-[r:{name(table.type)} {{key: row.key}}]->(b)\nSET {assignments}")


def write_cypher(graph: nx.MultiDiGraph, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    """The ``.cypher`` script: header comments, then one statement per batch, each ending in ``;``."""
    text = "\n".join(header(graph)) + "\n\n" + "".join(f"{s};\n\n" for s in cypher_statements(graph))
    output.write(text.encode("utf-8"))
