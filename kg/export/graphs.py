"""Property-graph files: GraphML (yEd, Gephi, igraph), GEXF (Gephi, with time) and node-link JSON.

The graph's own attributes are scalars already (kg.graph); here we only drop graph-level
records that these formats cannot hold, and give GEXF its time spells so Gephi's timeline
plays the story (posts at their publication date, documents at theirs, dated relations).
"""
from __future__ import annotations

import json
from typing import BinaryIO

import networkx as nx

from kg.vocab import DEFAULT_BASE


def _scalar_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    copy = graph.copy()
    copy.graph = {k: v for k, v in graph.graph.items() if isinstance(v, str | int | float | bool)}
    return copy


def write_graphml(graph: nx.MultiDiGraph, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    nx.write_graphml_xml(_scalar_copy(graph), output, encoding="utf-8", named_key_ids=True)


NODE_TIME_ATTRIBUTE = {"post": "datePublished", "document": "date"}


def _day(value: str) -> str:
    return value[:10] if len(value) >= 10 else value


def write_gexf(graph: nx.MultiDiGraph, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    timed = _scalar_copy(graph)
    for _, attrs in timed.nodes(data=True):
        when = attrs.get(NODE_TIME_ATTRIBUTE.get(attrs.get("kind", ""), ""))
        if when and len(when) >= 10:
            attrs["start"] = _day(when)
    for _, _, attrs in timed.edges(data=True):
        if attrs.get("date") and len(attrs["date"]) >= 10:
            attrs["start"] = _day(attrs["date"])
    nx.write_gexf(timed, output, encoding="utf-8", version="1.2draft")


def write_node_link(graph: nx.MultiDiGraph, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    data = nx.node_link_data(graph, edges="edges")
    output.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
