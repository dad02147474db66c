"""The graph as RDF quads (one named graph per document) and its serializations.

Quads are built with pyoxigraph, whose Rust serializers are an order of magnitude faster than
rdflib's; JSON-LD goes through rdflib, which can compact it with our schema.org ``@context``.
Relation provenance is RDF reification: an ``rdf:Statement`` node per extracted relation with
``kg:evidence``, ``kg:startOffset``, ``kg:endOffset``, ``kg:confidence`` and ``kg:extractor``.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import BinaryIO

import networkx as nx
import pyoxigraph as ox

from kg.graph import NAME_SEP, document_ids, document_iri, split_values
from kg.vocab import (
    DEFAULT_BASE,
    ENTITY_KINDS,
    PREFIXES,
    PROPERTIES,
    RDF,
    RELATIONS,
    SCHEMA,
    XSD,
    xsd_datatype,
)

RDF_TYPE = ox.NamedNode(RDF + "type")
STATEMENT = ox.NamedNode(RDF + "Statement")
def _jsonld_context() -> dict:
    """The JSON-LD context, derived from kg.vocab: schema.org is the default vocabulary and every
    other term we emit gets a plain name, so the file reads as ordinary JSON ("accountName",
    "worksFor", "evidence") while staying exact RDF."""
    context: dict = {"@vocab": SCHEMA, "id": "@id", "type": "@type",
                     **{k: v for k, v in PREFIXES.items() if k != "schema"}}
    for kind in ENTITY_KINDS.values():
        for rdf_type in kind.rdf_types:
            local = rdf_type.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            if not rdf_type.startswith(SCHEMA) and local not in context:
                context[local] = rdf_type
    for relation in RELATIONS.values():
        context[relation.name] = relation.iri if relation.literal else {"@id": relation.iri, "@type": "@id"}
    for name, iri in PROPERTIES.items():
        context[name] = {"@id": iri, "@type": "@id"} if name == "accountServiceHomepage" else iri
    context["Statement"] = RDF + "Statement"
    for part in ("subject", "predicate", "object"):
        context[part] = {"@id": RDF + part, "@type": "@id"}
    context["objectValue"] = RDF + "object"  # the object of a literal relation (a job title)
    return context


#: Embedded in every JSON-LD file (never fetched): see _jsonld_context.
JSONLD_CONTEXT = _jsonld_context()


def _node(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _literal(value: object, datatype: str | None = None) -> ox.Literal:
    if datatype:
        return ox.Literal(str(value), datatype=ox.NamedNode(datatype))
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode(XSD + "double"))
    return ox.Literal(_clean_text(str(value)))


def _clean_text(text: str) -> str:
    """Literals may not hold unpaired surrogates or NUL; Turtle parsers reject them."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


def _date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(xsd_datatype(value)))


def _statement_iri(base: str, *parts: object) -> ox.NamedNode:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]
    return ox.NamedNode(f"{base}statement/{digest}")


def _node_triples(iri: str, attrs: dict) -> Iterator[tuple]:
    """Triples describing one node, without the graph (the caller repeats them per document)."""
    subject = _node(iri)
    kind = ENTITY_KINDS.get(attrs.get("kind", ""))
    if kind is None:
        return
    for rdf_type in kind.rdf_types:
        yield subject, RDF_TYPE, _node(rdf_type)
    if kind.name == "account":
        yield subject, _node(PROPERTIES["accountName"]), _literal(attrs["accountName"])
        if attrs.get("accountServiceHomepage"):
            yield subject, _node(PROPERTIES["accountServiceHomepage"]), _node(attrs["accountServiceHomepage"])
    elif kind.name == "post":
        yield subject, _node(PROPERTIES["text"]), _literal(attrs.get("text", ""))
        if attrs.get("datePublished"):
            yield subject, _node(PROPERTIES["datePublished"]), _date(attrs["datePublished"])
    elif kind.name == "document":
        yield subject, _node(PROPERTIES["identifier"]), _literal(attrs["identifier"])
        if attrs.get("date"):
            yield subject, _node(PROPERTIES["date"]), _date(attrs["date"])
        for value in split_values(attrs.get("temporal"), " "):
            yield subject, _node(PROPERTIES["temporal"]), _date(value)
        if attrs.get("source"):
            yield subject, _node(PROPERTIES["source"]), _literal(attrs["source"])
    else:
        yield subject, _node(PROPERTIES["name"]), _literal(attrs["name"])
        for alias in split_values(attrs.get("alternateName")):
            yield subject, _node(PROPERTIES["alternateName"]), _literal(alias)


def _statement(base: str, subject: ox.NamedNode, predicate: ox.NamedNode, obj, attrs: dict) -> Iterator[tuple]:
    node = _statement_iri(base, attrs["document"], subject.value, predicate.value, obj, attrs["startOffset"])
    yield node, RDF_TYPE, STATEMENT
    yield node, _node(RDF + "subject"), subject
    yield node, _node(RDF + "predicate"), predicate
    yield node, _node(RDF + "object"), obj
    yield node, _node(PROPERTIES["evidence"]), _literal(attrs["evidence"])
    yield node, _node(PROPERTIES["startOffset"]), _literal(int(attrs["startOffset"]))
    yield node, _node(PROPERTIES["endOffset"]), _literal(int(attrs["endOffset"]))
    yield node, _node(PROPERTIES["confidence"]), _literal(float(attrs["confidence"]))
    yield node, _node(PROPERTIES["extractor"]), _literal(attrs["extractor"])
    if attrs.get("date"):
        yield node, _node(PROPERTIES["eventDate"]), _date(attrs["date"])


def graph_quads(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE, provenance: bool = True) -> Iterator[ox.Quad]:
    """Every quad of the graph: node descriptions in each document that mentions the node,
    relations (and their statements) in the document they came from."""
    for iri, attrs in graph.nodes(data=True):
        for doc_id in document_ids(attrs):
            context = _node(document_iri(base, doc_id))
            for s, p, o in _node_triples(iri, attrs):
                yield ox.Quad(s, p, o, context)
    for source, target, attrs in graph.edges(data=True):
        context = _node(document_iri(base, attrs["document"]))
        s, p, o = _node(source), _node(attrs["iri"]), _node(target)
        yield ox.Quad(s, p, o, context)
        if provenance:
            for triple in _statement(base, s, p, o, attrs):
                yield ox.Quad(*triple, context)
    for rel in graph.graph.get("literal_relations", []):
        context = _node(document_iri(base, rel["document"]))
        s, p, o = _node(rel["subject"]), _node(RELATIONS[rel["predicate"]].iri), _literal(rel["value"])
        yield ox.Quad(s, p, o, context)
        if provenance:
            for triple in _statement(base, s, p, o, rel):
                yield ox.Quad(*triple, context)


def to_dataset(graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> ox.Dataset:
    return ox.Dataset(graph_quads(graph, base))


OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
              "ntriples": ox.RdfFormat.N_TRIPLES}


def write_rdf(graph: nx.MultiDiGraph, fmt: str, output: BinaryIO, base: str = DEFAULT_BASE) -> None:
    """Serialize as ``turtle`` (the union graph), ``trig``, ``nquads`` or ``jsonld``.

    Quads come in the graph's own order (:func:`graph_quads`), duplicates dropped: the same graph
    always gives the same file, without a global sort by ``str(quad)``, which took 3.5 s of a
    1M-quad export. Turtle and TriG are stably sorted on one cheap key (subject, graph) only,
    so each subject's triples (each graph's quads) stay together and the output stays compact.
    """
    quads = list(dict.fromkeys(graph_quads(graph, base)))
    if fmt == "jsonld":
        output.write(to_jsonld(quads).encode("utf-8"))
        return
    if fmt in ("turtle", "ntriples"):
        triples = sorted(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                         key=lambda t: t.subject.value)
        ox.serialize(triples, output, OX_FORMATS[fmt], prefixes=PREFIXES)
    elif fmt == "nquads":
        ox.serialize(quads, output, OX_FORMATS[fmt])
    else:
        quads.sort(key=lambda q: q.graph_name.value)
        ox.serialize(quads, output, OX_FORMATS[fmt], prefixes=PREFIXES)


def to_jsonld(quads: list[ox.Quad]) -> str:
    """Compacted JSON-LD: schema.org terms read as plain JSON keys."""
    import rdflib  # imported here: only JSON-LD needs it on this path

    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads.decode("utf-8"), format="nquads")
    text = dataset.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    return json.dumps(_stable_order(json.loads(text)), ensure_ascii=False, indent=1)


def _stable_order(value: object) -> object:
    """rdflib emits nodes and values in hash order, which changes from run to run; JSON-LD arrays
    (no ``@list`` here) are sets, so sorting them makes the same graph give the same file."""
    if isinstance(value, dict):
        return {key: value[key] if key == "@context" else _stable_order(value[key]) for key in value}
    if isinstance(value, list):
        items = [_stable_order(v) for v in value]
        return sorted(items, key=lambda v: (v.get("id") or v.get("@id") or json.dumps(v, sort_keys=True))
                      if isinstance(v, dict) else json.dumps(v, sort_keys=True))
    return value


__all__ = ["JSONLD_CONTEXT", "NAME_SEP", "graph_quads", "to_dataset", "write_rdf"]
