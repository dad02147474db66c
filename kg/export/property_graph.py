"""The graph as property-graph tables: labelled node rows and typed relationship rows.

Cypher scripts, Neo4j import CSV and the LadybugDB loader all read these tables, and these tables
read ``kg.vocab`` (``EntityKind.cypher_label``, ``RelationKind.cypher_type``) and nothing else, so
the three property-graph targets can never disagree about a label or a relationship type.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from kg.vocab import ENTITY_KINDS, relation_kind

#: Relationship properties and their types (Cypher / Neo4j CSV / LadybugDB); every other is a string.
EDGE_PROPERTIES: dict[str, str] = {
    "key": "string", "predicate": "string", "label": "string", "iri": "string", "evidence": "string",
    "startOffset": "long", "endOffset": "long", "confidence": "double", "extractor": "string",
    "document": "string", "date": "string",
}
#: Node properties that every label has, first in every table (``iri`` is the key MERGE uses).
NODE_FIRST = ("iri", "kind", "label")


@dataclass
class NodeTable:
    label: str  # Cypher label, from ENTITY_KINDS
    columns: list[str]  # property names, NODE_FIRST first
    rows: list[dict] = field(default_factory=list)  # one dict per node, every column present (None if unset)


@dataclass
class RelTable:
    type: str  # Cypher relationship type, from RELATIONS / verb_relation
    pairs: list[tuple[str, str]]  # (from label, to label) pairs that occur
    rows: list[dict] = field(default_factory=list)  # {"from", "to", "from_label", "to_label", **EDGE_PROPERTIES}


def node_label(attrs: dict) -> str:
    """The Cypher label of a node, from its ``kind`` (unknown kinds keep a capitalized kind)."""
    kind = ENTITY_KINDS.get(attrs.get("kind", ""))
    return kind.cypher_label if kind else (attrs.get("kind") or "Thing").title()


def node_tables(graph: nx.MultiDiGraph) -> dict[str, NodeTable]:
    """Nodes grouped by label, in the order of ``ENTITY_KINDS``; columns are the union of attributes."""
    grouped: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for iri, attrs in graph.nodes(data=True):
        grouped[node_label(attrs)].append((iri, attrs))
    order = [k.cypher_label for k in ENTITY_KINDS.values()]
    tables = {}
    for label in sorted(grouped, key=lambda x: (order.index(x) if x in order else len(order), x)):
        members = sorted(grouped[label])
        extra = sorted({k for _, attrs in members for k in attrs} - set(NODE_FIRST))
        columns = [*NODE_FIRST, *extra]
        table = NodeTable(label, columns)
        for iri, attrs in members:
            table.rows.append({c: (iri if c == "iri" else _scalar(attrs.get(c))) for c in columns})
        tables[label] = table
    return tables


def rel_tables(graph: nx.MultiDiGraph) -> dict[str, RelTable]:
    """Edges grouped by relationship type (sorted), with the label pairs each type connects."""
    tables: dict[str, RelTable] = {}
    for source, target, key, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        rel_type = relation_kind(attrs["predicate"]).cypher_type
        table = tables.setdefault(rel_type, RelTable(rel_type, []))
        pair = (node_label(graph.nodes[source]), node_label(graph.nodes[target]))
        if pair not in table.pairs:
            table.pairs.append(pair)
        row = {"from": source, "to": target, "from_label": pair[0], "to_label": pair[1]}
        for name, kind in EDGE_PROPERTIES.items():
            value = key if name == "key" else attrs.get(name)
            row[name] = None if value is None else (int(value) if kind == "long" else
                                                    float(value) if kind == "double" else str(value))
        table.rows.append(row)
    return dict(sorted(tables.items()))


def _scalar(value: object) -> object:
    return None if value is None else value if isinstance(value, int | float | bool) else str(value)
