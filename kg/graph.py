"""spaCy Doc -> ``networkx.MultiDiGraph``: stable IRIs as node ids, provenance on every edge.

Node and edge attributes are plain scalars (GraphML and GEXF accept nothing else); several
values are joined with ``" | "`` (names) or spaces (document ids, dates). Relations whose object
is a literal (``jobTitle``) are node attributes, and their provenance is kept in
``graph.graph["literal_relations"]`` for the RDF exporter.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import quote, unquote

import networkx as nx
from spacy.tokens import Doc

from kg.documents import Document
from kg.nlp.entities import Entity, entity_at
from kg.vocab import DEFAULT_BASE, SERVICES, entity_iri, relation_kind

NAME_SEP = " | "


def document_iri(base: str, doc_id: str) -> str:
    return f"{base}doc/{quote(doc_id, safe='')}"


def document_token(doc_id: str) -> str:
    """A document id as it is listed in a node's space-separated ``documents`` attribute."""
    return quote(doc_id, safe="")


def document_ids(attrs: dict) -> list[str]:
    """The ids of the documents that mention a node."""
    return [unquote(token) for token in (attrs.get("documents") or "").split()]


def split_values(value: str | None, sep: str = NAME_SEP) -> list[str]:
    return [v for v in (value or "").split(sep) if v]


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def post_iri(base: str, handle: str, text: str) -> str:
    return f"{base}post/twitter/{handle.lower()}/{_digest(' '.join(text.lower().split()))}"


def entity_node(base: str, entity: Entity, doc_id: str) -> tuple[str, dict]:
    """An entity's node: its IRI (the same in every document) and attributes."""
    if entity.kind == "account":
        service = entity.service or "twitter"
        iri = f"{base}account/{service}/{entity.key}"
        return iri, {
            "kind": "account", "label": f"@{entity.name}", "name": entity.name,
            "accountName": entity.name, "accountServiceHomepage": SERVICES.get(service, ""),
            "documents": document_token(doc_id),
        }
    iri = entity_iri(base, entity.kind, entity.key)
    attrs = {"kind": entity.kind, "label": entity.name, "name": entity.name,
             "documents": document_token(doc_id)}
    aliases = sorted(entity.aliases - {entity.name})
    if aliases:
        attrs["alternateName"] = NAME_SEP.join(aliases)
    return iri, attrs


def build_graph(document: Document, doc: Doc, base: str = DEFAULT_BASE) -> nx.MultiDiGraph:
    """The graph of one analysed document (offsets refer to the document's original text)."""
    graph = nx.MultiDiGraph(literal_relations=[])
    doc_id, shift = document.id, document.offset
    doc_node = document_iri(base, doc_id)
    temporal = sorted({m.value for m in doc._.dates or []})
    graph.add_node(doc_node, kind="document", label=doc_id, identifier=doc_id, documents=document_token(doc_id),
                   source=document.source, **({"date": document.date.isoformat()} if document.date else {}),
                   **({"temporal": " ".join(temporal)} if temporal else {}))
    iri_of: dict[str, str] = {}
    for entity in doc._.entities or []:
        iri, attrs = entity_node(base, entity, doc_id)
        iri_of[entity.id] = iri
        graph.add_node(iri, **attrs)

    def add_edge(source: str, target: str, predicate: str, evidence: str, start: int, end: int,
                 confidence: float, extractor: str, date: str | None = None) -> None:
        kind = relation_kind(predicate)
        attrs = {"predicate": kind.name, "label": kind.label, "iri": kind.iri, "evidence": evidence,
                 "startOffset": start + shift, "endOffset": end + shift, "confidence": round(confidence, 4),
                 "extractor": extractor, "document": doc_id}
        if date:
            attrs["date"] = date
        graph.add_edge(source, target, key=f"{kind.name}@{doc_id}@{start + shift}", **attrs)

    for rel in doc._.relations or []:
        subject = iri_of.get(rel.subject)
        if subject is None:
            continue
        if rel.literal:
            _add_literal(graph, subject, rel.predicate, rel.object, doc_id, rel.evidence,
                         rel.start_char + shift, rel.end_char + shift, rel.confidence, rel.extractor)
        elif rel.object in iri_of:
            add_edge(subject, iri_of[rel.object], rel.predicate, rel.evidence, rel.start_char, rel.end_char,
                     rel.confidence, rel.extractor, rel.date)

    for post in doc._.posts or []:
        node = post_iri(base, post.handle, post.text)
        attrs = {"kind": "post", "label": post.text[:60], "text": post.text,
                 "documents": document_token(doc_id)}
        if post.date:
            attrs["datePublished"] = post.date
        graph.add_node(node, **attrs)
        evidence = doc.text[post.start_char:post.date_end]
        span = (post.start_char, post.date_end)
        handle = doc.char_span(post.handle_start, post.handle_start + len(post.handle) + 1,
                               alignment_mode="expand")
        account = entity_at(doc, handle) if handle is not None else None
        if account is not None:
            add_edge(node, iri_of[account.id], "hasCreator", evidence, *span, 0.95, "rule:byline")
        if post.display_name:
            name = doc.char_span(post.name_start, post.name_end, alignment_mode="expand")
            author = entity_at(doc, name) if name is not None else None
            if author is not None and author.kind in {"person", "organization"}:
                add_edge(node, iri_of[author.id], "author", evidence, *span, 0.9, "rule:byline")
        seen = set()
        for ent in doc.ents:
            if post.start_char <= ent.start_char and ent.end_char <= post.end_char:
                mentioned = entity_at(doc, ent)
                if mentioned is not None and mentioned.id not in seen:
                    seen.add(mentioned.id)
                    add_edge(node, iri_of[mentioned.id], "mentions", evidence, *span, 0.9, "rule:post-text")
    return graph


def _add_literal(graph: nx.MultiDiGraph, node: str, predicate: str, value: str, doc_id: str, evidence: str,
                 start: int, end: int, confidence: float, extractor: str) -> None:
    values = split_values(graph.nodes[node].get(predicate))
    if value not in values:
        graph.nodes[node][predicate] = NAME_SEP.join([*values, value])
    graph.graph["literal_relations"].append({
        "subject": node, "predicate": predicate, "value": value, "document": doc_id, "evidence": evidence,
        "startOffset": start, "endOffset": end, "confidence": round(confidence, 4), "extractor": extractor,
    })


def _merge_values(old: str | None, new: str | None, sep: str, ordered: bool = True) -> str:
    """The union of two value lists, sorted (merging graphs in any order gives the same attribute),
    or in first-seen order (``ordered=False``: a node's ``documents``, listed in merge order)."""
    if ordered:
        return sep.join(sorted(set(split_values(old, sep)) | set(split_values(new, sep))))
    values = split_values(old, sep)
    return sep.join(values + [v for v in split_values(new, sep) if v not in values])


def name_rank(name: str) -> tuple:
    """A total order on an entity's surface forms; the least is its canonical name when graphs merge.

    Mixed case before all capitals or all lower case, then longer, then code-point order: the same
    entity gets the same canonical name whatever the order (or partitioning) of the documents.
    """
    return (name.isupper() or name.islower(), -len(name), name)


def merge_into(target: nx.MultiDiGraph, graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Adds ``graph`` to ``target``: nodes with the same IRI become one, names and documents unite.

    Order-independent except for the order of ``documents``: set-valued attributes are sorted
    unions, the canonical name is the least by :func:`name_rank` (the others become alternate
    names), other conflicting values the least string.
    """
    for node, attrs in graph.nodes(data=True):
        if node not in target:
            target.add_node(node, **attrs)
            continue
        current = target.nodes[node]
        old_name, new_name = current.get("name"), attrs.get("name")
        renamed = bool(old_name and new_name and old_name != new_name)
        wins = renamed and name_rank(new_name) < name_rank(old_name)
        for key, value in attrs.items():
            if key == "documents":
                current[key] = _merge_values(current.get(key), value, " ", ordered=False)
            elif key == "temporal":
                current[key] = _merge_values(current.get(key), value, " ")
            elif key in ("alternateName", "jobTitle"):
                current[key] = _merge_values(current.get(key), value, NAME_SEP)
            elif key not in current or wins or (not renamed and str(value) < str(current[key])):
                current[key] = value
        if renamed:
            loser = old_name if wins else new_name
            current["alternateName"] = _merge_values(current.get("alternateName"), loser, NAME_SEP)
        if current.get("name") and "alternateName" in current:
            names = [n for n in split_values(current["alternateName"]) if n != current["name"]]
            current["alternateName"] = NAME_SEP.join(names)
            if not names:
                del current["alternateName"]
    for source, target_node, key, attrs in graph.edges(keys=True, data=True):
        target.add_edge(source, target_node, key=key, **attrs)
    target.graph.setdefault("literal_relations", []).extend(graph.graph.get("literal_relations", []))
    return target


def merge_graphs(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    merged = nx.MultiDiGraph(literal_relations=[])
    for graph in graphs:
        merge_into(merged, graph)
    return merged
