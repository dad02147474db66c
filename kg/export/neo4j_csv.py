"""``neo4j-admin database import`` files, packed in one zip so the export stays one file per format.

The archive holds ``nodes-<Label>.csv`` (``iri:ID``, properties, ``:LABEL``), one
``relationships-<TYPE>.csv`` per relationship type (``:START_ID``, ``:END_ID``, ``:TYPE``, typed
``startOffset:long``, ``endOffset:long``, ``confidence:double``) and ``import.sh`` with the
``neo4j-admin`` command line that loads exactly these files. Labels and types come from
``kg.vocab`` through ``kg.export.property_graph``.
"""
from __future__ import annotations

import zipfile
from typing import BinaryIO

import networkx as nx

from kg.export.property_graph import EDGE_PROPERTIES, node_tables, rel_tables
from kg.vocab import DEFAULT_BASE

_NEO4J_TYPES = {"long": "long", "double": "double", "string": ""}
_FIXED_TIME = (2024, 1, 1, 0, 0, 0)  # zip entry times: the same graph gives the same bytes


def _field(value: object) -> str:
    """Strings quoted (``"`` doubled), numbers bare; an empty field is no property for neo4j-admin."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return '"' + str(value).replace('"', '""') + '"'


def _csv(header: list[str], rows: list[list]) -> bytes:
    lines = [",".join(header)] + [",".join(_field(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def neo4j_files(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """File name -> content, for the zip (or for writing to a folder)."""
    files: dict[str, bytes] = {}
    node_files, rel_files = [], []
    for table in node_tables(graph).values():
        header = ["iri:ID", *table.columns[1:], ":LABEL"]
        rows = [[row[c] for c in table.columns] + [table.label] for row in table.rows]
        name = f"nodes-{table.label}.csv"
        files[name] = _csv(header, rows)
        node_files.append(name)
    columns = list(EDGE_PROPERTIES)
    header = [":START_ID", ":END_ID", ":TYPE"] + [
        f"{c}:{_NEO4J_TYPES[t]}" if _NEO4J_TYPES[t] else c for c, t in EDGE_PROPERTIES.items()]
    for table in rel_tables(graph).values():
        rows = [[row["from"], row["to"], table.type] + [row[c] for c in columns] for row in table.rows]
        name = f"relationships-{table.type}.csv"
        files[name] = _csv(header, rows)
        rel_files.append(name)
    command = ["neo4j-admin database import full neo4j --overwrite-destination --multiline-fields=true \\"]
    command += [f"  --nodes={name} \\" for name in node_files]
    command += [f"  --relationships={name} \\" for name in rel_files]
    files["import.sh"] = ("#!/bin/sh\n# Loads this folder into the (stopped) Neo4j 5 database `neo4j`.\n"
                          "# Neo4j 4: neo4j-admin import --database=neo4j --force --multiline-fields=true ...\n"
                          'cd "$(dirname "$0")"\n' + "\n".join(command).rstrip(" \\") + "\n").encode("utf-8")
    return files


def write_neo4j_csv(graph: nx.MultiDiGraph, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    """The ``.neo4j.zip`` archive: unzip it and run ``sh import.sh``."""
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in neo4j_files(graph).items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o755 if name.endswith(".sh") else 0o644) << 16
            archive.writestr(info, content)
