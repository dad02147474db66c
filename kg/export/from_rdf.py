"""Reading an export back into kg's graph, so one extraction can be re-exported to any format.

``kg export --from FILE`` and ``kg load ladybug --from FILE`` start from a file, not from text.
N-Quads, TriG and JSON-LD keep everything the graph had: the named graph of each triple says which
document it came from, and the ``rdf:Statement`` of each relation carries its evidence, offsets,
confidence, extractor and date. The node-link ``.json`` export is read as it is.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from kg.graph import NAME_SEP
from kg.vocab import ENTITY_KINDS, KG_VERB, PROPERTIES, RDF, RELATIONS, verb_relation

DATASET_SUFFIXES = {".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD}
_KIND_OF_CLASS = {kind.rdf_types[0]: kind.name for kind in ENTITY_KINDS.values()}
_RELATION_OF_IRI = {r.iri: r for r in RELATIONS.values()}
_PROPERTY_OF_IRI = {iri: name for name, iri in PROPERTIES.items()}


class ReadError(ValueError):
    pass


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """The graph of an ``.nq``, ``.trig``, ``.jsonld`` or node-link ``.json`` export."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            graph = nx.node_link_graph(json.loads(path.read_text(encoding="utf-8")), edges="edges")
            graph.graph.setdefault("literal_relations", [])
            return graph
        if suffix not in DATASET_SUFFIXES:
            raise ReadError(f"{path}: cannot read {suffix or 'this file'} back (use .nq, .trig, .jsonld or .json; "
                            "Turtle has no named graphs, so the documents are lost)")
        return graph_from_quads(ox.parse(path=str(path), format=DATASET_SUFFIXES[suffix]))
    except (OSError, SyntaxError, ValueError, json.JSONDecodeError) as err:
        if isinstance(err, ReadError):
            raise
        raise ReadError(f"{path}: {err}") from None


def _relation(iri: str):
    if iri in _RELATION_OF_IRI:
        return _RELATION_OF_IRI[iri]
    return verb_relation(iri[len(KG_VERB):]) if iri.startswith(KG_VERB) else None


def graph_from_quads(quads) -> nx.MultiDiGraph:
    """The inverse of ``kg.export.rdf.graph_quads`` (with provenance)."""
    by_subject: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    graphs_of: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode):
            continue
        subject = quad.subject.value
        by_subject[subject][quad.predicate.value].append(quad.object)
        if quad.predicate.value == RDF + "type" and not isinstance(quad.graph_name, ox.DefaultGraph):
            graphs_of[subject].add(quad.graph_name.value)
    doc_id = {iri: props[PROPERTIES["identifier"]][0].value for iri, props in by_subject.items()
              if PROPERTIES["identifier"] in props}
    graph = nx.MultiDiGraph(literal_relations=[])
    statements = []
    for iri, props in sorted(by_subject.items()):
        classes = {t.value for t in props.get(RDF + "type", [])}
        if RDF + "Statement" in classes:
            statements.append((iri, props))
            continue
        kind = next((_KIND_OF_CLASS[c] for c in sorted(classes) if c in _KIND_OF_CLASS), None)
        if kind is not None:
            graph.add_node(iri, **_node_attrs(kind, props, [doc_id.get(g, g) for g in sorted(graphs_of[iri])]))
    for statement, props in statements:
        subject, predicate, obj = (props[RDF + p][0] for p in ("subject", "predicate", "object"))
        attrs = {name: props[iri][0].value for iri, name in _PROPERTY_OF_IRI.items() if iri in props}
        record = {"evidence": attrs.get("evidence", ""), "startOffset": int(attrs.get("startOffset", 0)),
                  "endOffset": int(attrs.get("endOffset", 0)), "confidence": float(attrs.get("confidence", 0)),
                  "extractor": attrs.get("extractor", "")}
        named = sorted(graphs_of.get(statement, ()))
        document = doc_id.get(named[0], named[0]) if named else ""
        if isinstance(obj, ox.Literal):
            name = _relation(predicate.value).name
            graph.graph["literal_relations"].append({"subject": subject.value, "predicate": name, "value": obj.value,
                                                     "document": document, **record})
            continue
        kind = _relation(predicate.value)
        if kind is None or subject.value not in graph or obj.value not in graph:
            continue
        edge = {"predicate": kind.name, "label": kind.label, "iri": kind.iri, **record, "document": document}
        if "eventDate" in attrs:
            edge["date"] = attrs["eventDate"]
        graph.add_edge(subject.value, obj.value, key=f"{kind.name}@{document}@{record['startOffset']}", **edge)
    return graph


def _values(props: dict, name: str) -> list[str]:
    return sorted({term.value for term in props.get(PROPERTIES[name], [])})


def _node_attrs(kind: str, props: dict, documents: list[str]) -> dict:
    from kg.graph import document_token

    attrs: dict = {"kind": kind, "documents": " ".join(document_token(d) for d in documents)}
    if kind == "account":
        handle = _values(props, "accountName")[0]
        attrs.update(label=f"@{handle}", name=handle, accountName=handle)
        homepage = _values(props, "accountServiceHomepage")
        attrs["accountServiceHomepage"] = homepage[0] if homepage else ""
    elif kind == "post":
        text = _values(props, "text")[0]
        attrs.update(label=text[:60], text=text)
        if _values(props, "datePublished"):
            attrs["datePublished"] = _values(props, "datePublished")[0]
    elif kind == "document":
        identifier = _values(props, "identifier")[0]
        attrs.update(label=identifier, identifier=identifier)
        for name in ("source", "date"):
            if _values(props, name):
                attrs[name] = _values(props, name)[0]
        if _values(props, "temporal"):
            attrs["temporal"] = " ".join(_values(props, "temporal"))
    else:
        name = _values(props, "name")[0]
        attrs.update(label=name, name=name)
        aliases = [a for a in _values(props, "alternateName") if a != name]
        if aliases:
            attrs["alternateName"] = NAME_SEP.join(aliases)
    titles = [t.value for t in props.get(RELATIONS["jobTitle"].iri, [])]
    if titles:
        attrs["jobTitle"] = NAME_SEP.join(dict.fromkeys(titles))
    return attrs
