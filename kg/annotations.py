"""spaCy Doc -> inline annotations: every entity and date mention with its offsets, kind and IRI.

The graph keeps offsets only for relation evidence; a reader who wants to *see* what was found
needs each mention. This is the data behind the web page's highlighted article (``POST
/annotate``), computed from the same Doc and with the same IRIs as :func:`kg.graph.build_graph`.
"""
from __future__ import annotations

import networkx as nx
from spacy.tokens import Doc

from kg.documents import Document
from kg.graph import entity_node
from kg.vocab import DEFAULT_BASE, relation_kind

#: Kinds that are highlighted in the text, in legend order.
MENTION_KINDS = ("person", "organization", "place", "account", "date")


def mentions(document: Document, doc: Doc, base: str = DEFAULT_BASE) -> list[dict]:
    """``[{start, end, text, kind, iri, name}]`` in text order, offsets into ``document.text``.

    Dates have no node (they are literals): their ``iri`` is None and ``name`` is the normalized
    XSD value. Overlapping mentions (rare: a date inside a name) keep the first, longest one, so
    every mention can be shown as one non-nested highlight.
    """
    found = []
    for entity in doc._.entities or []:
        iri, attrs = entity_node(base, entity, document.id)
        name = attrs["label"]
        for start, end in entity.mentions:
            found.append({"start": start, "end": end, "text": doc.text[start:end], "kind": entity.kind,
                          "iri": iri, "name": name})
    for date in doc._.dates or []:
        found.append({"start": date.start_char, "end": date.end_char, "text": date.text, "kind": "date",
                      "iri": None, "name": date.value, "datatype": date.datatype})
    found.sort(key=lambda m: (m["start"], -m["end"]))
    kept: list[dict] = []
    for mention in found:
        if kept and mention["start"] < kept[-1]["end"]:
            continue
        kept.append(mention)
    return kept


def relations(graph: nx.MultiDiGraph) -> list[dict]:
    """Every relation of the graph, edges and literal-valued ones (``jobTitle``), as table rows."""
    label = {node: attrs.get("label", node) for node, attrs in graph.nodes(data=True)}
    rows = [{"subject": s, "subjectLabel": label[s], "predicate": a.get("predicate"), "label": a.get("label"),
             "object": o, "objectLabel": label[o], "literal": False, "confidence": a.get("confidence"),
             "evidence": a.get("evidence"), "extractor": a.get("extractor"), "document": a.get("document"),
             "startOffset": a.get("startOffset"), "endOffset": a.get("endOffset")}
            for s, o, a in graph.edges(data=True)]
    for lit in graph.graph.get("literal_relations", []):
        rows.append({"subject": lit["subject"], "subjectLabel": label.get(lit["subject"], lit["subject"]),
                     "predicate": lit["predicate"], "label": relation_kind(lit["predicate"]).label, "object": None,
                     "objectLabel": lit["value"], "literal": True, "confidence": lit["confidence"],
                     "evidence": lit["evidence"], "extractor": lit["extractor"], "document": lit["document"],
                     "startOffset": lit["startOffset"], "endOffset": lit["endOffset"]})
    rows.sort(key=lambda r: (r["startOffset"] or 0, r["subjectLabel"], r["predicate"] or ""))
    return rows


def graph_view(graph: nx.MultiDiGraph) -> dict:
    """What the page draws: entity and post nodes (not the document node, which has no edges) and relations."""
    nodes = [{"id": node, **attrs} for node, attrs in graph.nodes(data=True) if attrs.get("kind") != "document"]
    return {"nodes": nodes, "relations": relations(graph)}


def annotate(document: Document, doc: Doc, graph: nx.MultiDiGraph, base: str = DEFAULT_BASE) -> dict:
    """The annotations view of one analysed document: its text, mentions and graph.

    ``offset`` is where ``text`` starts in what was sent (after a ``date`` header line); the
    relations' ``startOffset``/``endOffset`` count from what was sent, the mentions from ``text``.
    """
    found = mentions(document, doc, base)
    counts = dict.fromkeys(MENTION_KINDS, 0)
    for mention in found:
        counts[mention["kind"]] = counts.get(mention["kind"], 0) + 1
    return {"id": document.id, "date": document.date.isoformat() if document.date else None,
            "text": document.text, "offset": document.offset, "mentions": found, "counts": counts,
            "graph": graph_view(graph)}
