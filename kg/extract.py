"""Documents in, graphs out: runs the pipeline over a stream of documents in batches."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import lru_cache

import networkx as nx
from spacy.language import Language
from spacy.tokens import Doc

from kg.documents import Document, make_document
from kg.graph import build_graph, merge_graphs
from kg.nlp.pipeline import DEFAULT_MODEL, load_pipeline
from kg.vocab import DEFAULT_BASE


@lru_cache(maxsize=4)
def cached_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Loading a pipeline takes about a second; the API shares one per model name."""
    return load_pipeline(model)


def analyze(nlp: Language, documents: Iterable[Document], batch_size: int = 32) -> Iterator[tuple[Document, Doc]]:
    """(document, analysed Doc) pairs, streamed; each Doc knows its document date."""

    def prepared() -> Iterator[tuple[Doc, Document]]:
        for document in documents:
            doc = nlp.make_doc(document.text)
            doc._.document_date = document.date
            yield doc, document

    for doc, document in nlp.pipe(prepared(), as_tuples=True, batch_size=batch_size):
        yield document, doc


def extract(
    text: str,
    doc_id: str = "document",
    date: dt.date | str | None = None,
    *,
    nlp: Language | None = None,
    base: str = DEFAULT_BASE,
) -> nx.MultiDiGraph:
    """The knowledge graph of one text. A leading ``date YYYY-MM-DD`` line gives its date."""
    document = make_document(text, doc_id, date)
    nlp = nlp or cached_pipeline()
    (_, doc), = analyze(nlp, [document])
    return build_graph(document, doc, base)


def extract_many(
    items: Iterable[Document | str | dict],
    *,
    nlp: Language | None = None,
    base: str = DEFAULT_BASE,
    batch_size: int = 32,
) -> nx.MultiDiGraph:
    """The merged graph of many documents: Documents, texts, or ``{"id", "text", "date"}`` dicts."""
    nlp = nlp or cached_pipeline()

    def documents() -> Iterator[Document]:
        for number, item in enumerate(items):
            if isinstance(item, Document):
                yield item
            elif isinstance(item, str):
                yield make_document(item, f"document-{number}")
            else:
                yield make_document(item["text"], str(item.get("id", f"document-{number}")), item.get("date"))

    return merge_graphs(build_graph(d, doc, base) for d, doc in analyze(nlp, documents(), batch_size))
