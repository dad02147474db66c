"""Exporters, one per format family, behind one registry: name -> (file suffix, writer).

Every writer takes a graph and a binary file object; none runs NLP.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import BinaryIO

import networkx as nx

from kg.export.cypher import write_cypher
from kg.export.graphs import write_gexf, write_graphml, write_node_link
from kg.export.neo4j_csv import write_neo4j_csv
from kg.export.rdf import write_rdf
from kg.vocab import DEFAULT_BASE


@dataclass(frozen=True)
class ExportFormat:
    name: str
    suffix: str
    media_type: str
    writer: Callable[..., None]  # (graph, output, base) -> None


FORMATS: dict[str, ExportFormat] = {f.name: f for f in [
    ExportFormat("turtle", ".ttl", "text/turtle", partial(write_rdf, fmt="turtle")),
    ExportFormat("trig", ".trig", "application/trig", partial(write_rdf, fmt="trig")),
    ExportFormat("nquads", ".nq", "application/n-quads", partial(write_rdf, fmt="nquads")),
    ExportFormat("jsonld", ".jsonld", "application/ld+json", partial(write_rdf, fmt="jsonld")),
    ExportFormat("graphml", ".graphml", "application/graphml+xml", write_graphml),
    ExportFormat("gexf", ".gexf", "application/gexf+xml", write_gexf),
    ExportFormat("json", ".json", "application/json", write_node_link),
    # Property-graph databases: a Cypher script (Neo4j, Memgraph, FalkorDB, LadybugDB) and the
    # neo4j-admin import CSV files, zipped into one archive with its import.sh.
    ExportFormat("cypher", ".cypher", "application/x-cypher-query", write_cypher),
    ExportFormat("neo4j-csv", ".neo4j.zip", "application/zip", write_neo4j_csv),
]}


class UnknownFormatError(ValueError):
    pass


def parse_formats(spec: str) -> list[ExportFormat]:
    """``"turtle,nquads"`` -> formats; ``"all"`` -> every one. Unknown names raise with the list."""
    names = list(FORMATS) if spec.strip() == "all" else [s.strip().lower() for s in spec.split(",") if s.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise UnknownFormatError(
            f"unknown format {', '.join(map(repr, unknown)) or '(none given)'}; choose from {','.join(FORMATS)}")
    return [FORMATS[n] for n in dict.fromkeys(names)]


def export(graph: nx.MultiDiGraph, fmt: str | ExportFormat, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    spec = fmt if isinstance(fmt, ExportFormat) else parse_formats(fmt)[0]
    spec.writer(graph, output=output, base=base)


def export_files(graph: nx.MultiDiGraph, formats: list[ExportFormat], directory: Path, stem: str,
                 base: str = DEFAULT_BASE) -> list[Path]:
    """Writes ``directory/stem.<suffix>`` for each format; a file is replaced only once complete."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in formats:
        path = directory / f"{stem}{spec.suffix}"
        partial_path = path.with_name(path.name + ".part")
        with partial_path.open("wb") as output:
            spec.writer(graph, output=output, base=base)
        partial_path.replace(path)
        written.append(path)
    return written
