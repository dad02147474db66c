"""Worker-side ingest: a chunk of documents in, per-document N-Quads and property graphs out.

These functions live in an importable module (not ``__main__``) so that worker processes and
Dask workers import them once and keep the loaded spaCy pipeline in :data:`_PIPELINES` across
tasks: the model is loaded once per worker, not once per chunk. Results are plain data (bytes,
str, dicts), cheap to pickle back to the process that writes the store or the shards.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox
from spacy.language import Language

from kg.documents import Document
from kg.export.rdf import graph_quads
from kg.extract import analyze
from kg.graph import build_graph, document_iri
from kg.nlp.pipeline import DEFAULT_MODEL, load_pipeline
from kg.vocab import DEFAULT_BASE


@dataclass(frozen=True)
class PipelineConfig:
    """What a worker needs to build the same pipeline as the driver (hashable: the cache key)."""

    model: str = DEFAULT_MODEL
    base_ner: bool = False
    base: str = DEFAULT_BASE
    batch_size: int = 32


@dataclass
class DocumentResult:
    """One extracted document, ready to write: its N-Quads and its property graph (node-link JSON)."""

    id: str
    nquads: bytes
    graph_json: str
    triples: int
    tokens: int
    words: int
    chars: int
    kinds: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class Failure:
    """A document that could not be processed (or read): what the error report lists."""

    id: str | None
    source: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.reason}" + (f" (id {self.id})" if self.id is not None else "")


@dataclass
class ChunkResult:
    documents: list[DocumentResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)


#: Per-process pipeline cache: a worker process or Dask worker loads each configuration once.
_PIPELINES: dict[PipelineConfig, Language] = {}


def pipeline(config: PipelineConfig) -> Language:
    """The pipeline for ``config``, loaded on first use in this process."""
    nlp = _PIPELINES.get(config)
    if nlp is None:
        nlp = _PIPELINES[config] = load_pipeline(config.model, ner_model=None if config.base_ner else "default")
    return nlp


def warm(config: PipelineConfig) -> None:
    """Process-pool initializer: load the model before the first chunk arrives."""
    pipeline(config)


def document_result(document: Document, doc, base: str) -> DocumentResult:
    """The N-Quads (document graph only, deduplicated) and node-link JSON of one analysed document."""
    graph = build_graph(document, doc, base)
    context = ox.NamedNode(document_iri(base, document.id))
    quads = {q for q in graph_quads(graph, base) if q.graph_name == context}
    nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""
    data = nx.node_link_data(graph, edges="edges")
    relations = Counter(p for _, _, p in graph.edges(data="predicate"))
    relations.update(r["predicate"] for r in graph.graph.get("literal_relations", []))
    return DocumentResult(
        id=document.id, nquads=nquads, graph_json=json.dumps({**data, "kg_document": document.id},
                                                              ensure_ascii=False),
        triples=len(quads), tokens=len(doc), words=len(document.text.split()), chars=len(document.text),
        kinds=Counter(kind for _, kind in graph.nodes(data="kind")), relations=relations)


def process_chunk(documents: list[Document], config: PipelineConfig, nlp: Language | None = None) -> ChunkResult:
    """Extracts a chunk; a document that makes the pipeline fail becomes a Failure, the rest go on."""
    nlp = nlp or pipeline(config)
    result = ChunkResult()
    try:
        for document, doc in analyze(nlp, documents, batch_size=config.batch_size):
            result.documents.append(document_result(document, doc, config.base))
        return result
    except Exception:  # noqa: BLE001 - find the culprit(s) one document at a time
        result = ChunkResult()
    for document in documents:
        try:
            (_, doc), = analyze(nlp, [document])
            result.documents.append(document_result(document, doc, config.base))
        except Exception as err:  # noqa: BLE001 - reported with source and line, the corpus goes on
            result.failures.append(Failure(document.id, document.source, document.line,
                                           f"extraction failed: {type(err).__name__}: {err}"))
    return result
