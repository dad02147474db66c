"""Loading the graph into LadybugDB, the embedded Cypher graph database (the maintained fork of Kùzu).

LadybugDB wants its schema first: one node table per label, with ``iri`` as primary key, and one
relationship table per type, listing the label pairs it connects. Both come from the same tables
as the Cypher export (``kg.export.property_graph``, i.e. ``kg.vocab``), and the data goes in by
running that very Cypher script, so a successful load also proves the script runs.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx

from kg.export.cypher import cypher_statements, name
from kg.export.property_graph import EDGE_PROPERTIES, node_tables, rel_tables

_TYPES = {"string": "STRING", "long": "INT64", "double": "DOUBLE"}


class LoadError(RuntimeError):
    pass


def schema_statements(graph: nx.MultiDiGraph) -> list[str]:
    """``CREATE NODE TABLE`` / ``CREATE REL TABLE`` statements for the labels and types in the graph."""
    statements = []
    for table in node_tables(graph).values():
        columns = ", ".join(f"{name(c)} STRING" for c in table.columns)
        statements.append(f"CREATE NODE TABLE {name(table.label)}({columns}, PRIMARY KEY(iri))")
    properties = ", ".join(f"{name(c)} {_TYPES[t]}" for c, t in EDGE_PROPERTIES.items())
    for table in rel_tables(graph).values():
        pairs = ", ".join(f"FROM {name(a)} TO {name(b)}" for a, b in table.pairs)
        statements.append(f"CREATE REL TABLE {name(table.type)}({pairs}, {properties})")
    return statements


def connect(path: str | Path, read_only: bool = False):
    """A connection to the LadybugDB database file at ``path``."""
    try:
        import ladybug
    except ImportError:
        raise LoadError("LadybugDB is not installed: pip install ladybug") from None
    database = ladybug.Database(str(path), read_only=read_only)
    return ladybug.Connection(database)


def load_ladybug(graph: nx.MultiDiGraph, path: str | Path, replace: bool = False) -> dict[str, int]:
    """Creates the database at ``path`` (a file) with the graph in it; returns node and edge counts.

    An existing database is refused unless ``replace``: its schema may not fit this graph.
    """
    path = Path(path)
    if path.exists():
        if not replace:
            raise LoadError(f"{path} exists; pass --replace to overwrite it")
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        for extra in path.parent.glob(path.name + ".*"):  # write-ahead log and lock files
            extra.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connect(path)
    try:
        for statement in [*schema_statements(graph), *cypher_statements(graph)]:
            connection.execute(statement)
        nodes = connection.execute("MATCH (n) RETURN count(n)").get_next()[0]
        edges = connection.execute("MATCH ()-[r]->() RETURN count(r)").get_next()[0]
    except RuntimeError as err:
        raise LoadError(f"LadybugDB refused the graph: {err}") from None
    finally:
        connection.close()
    return {"nodes": nodes, "edges": edges}


def query(path: str | Path, cypher: str) -> list[list]:
    """Rows of a Cypher query over a loaded database (read-only)."""
    connection = connect(path, read_only=True)
    try:
        result = connection.execute(cypher)
        rows = []
        while result.has_next():
            rows.append(result.get_next())
        return rows
    finally:
        connection.close()
