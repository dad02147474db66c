"""Property-graph files: GraphML (yEd, Gephi, igraph), GEXF (Gephi, with time) and node-link JSON.

The graph's own attributes are scalars already (kg.graph); here we only drop graph-level
records that these formats cannot hold, and give GEXF its time spells so Gephi's timeline
plays the story (posts at their publication date, documents at theirs, dated relations).
"""
from __future__ import annotations

import json
import re
from typing import BinaryIO

import networkx as nx

from kg.vocab import DEFAULT_BASE

#: Characters XML 1.0 cannot hold at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(value):
    """Strings with XML-illegal characters replaced by U+FFFD (the file would not parse otherwise)."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _scalar_copy(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with scalar graph attributes only, and node ids, edge keys and values that XML can hold."""
    copy = nx.MultiDiGraph(**{k: _xml_safe(v) for k, v in graph.graph.items()
                              if isinstance(v, str | int | float | bool)})
    for node, attrs in graph.nodes(data=True):
        copy.add_node(_xml_safe(node), **{k: _xml_safe(v) for k, v in attrs.items()})
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        copy.add_edge(_xml_safe(u), _xml_safe(v), key=_xml_safe(key), **{k: _xml_safe(a) for k, a in attrs.items()})
    return copy


def write_graphml(graph: nx.MultiDiGraph, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    """GraphML valid against the GraphML 1.0 schema.

    Node and edge ids there are XML name tokens, which IRIs are not (``/``, ``%``): nodes become
    ``n0, n1, ...`` with the IRI in their ``iri`` attribute, edges ``e0, e1, ...``. Key ids stay
    networkx's ``d0, d1, ...``: named key ids would give a node and an edge attribute of the same
    name (``label``) the same id, and key ids must be unique.
    """
    source = _scalar_copy(graph)
    plain = nx.MultiDiGraph(**source.graph)
    ids = {node: f"n{number}" for number, node in enumerate(source)}
    for node, attrs in source.nodes(data=True):
        plain.add_node(ids[node], **{**attrs, "iri": node})
    for number, (u, v, attrs) in enumerate(source.edges(data=True)):
        plain.add_edge(ids[u], ids[v], key=f"e{number}", **attrs)
    nx.write_graphml_xml(plain, output, encoding="utf-8")


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
    writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", version="1.2draft")
    writer.add_graph(timed)
    # networkx always writes <graph name="...">, which the GEXF 1.2draft schema does not allow.
    writer.graph_element.attrib.pop("name", None)
    writer.write(output)


def write_node_link(graph: nx.MultiDiGraph, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    data = nx.node_link_data(graph, edges="edges")
    output.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
