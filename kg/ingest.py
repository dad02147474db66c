"""Documents into a store: read, extract, replace each document's named graph.

The minimal ingester behind ``kg ingest``; kept in one function so batch ingesters (streaming,
processes) can grow from it. Re-ingesting a document id replaces its graph.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from kg.documents import DEFAULT_MAX_CHARS, InputError, read_documents
from kg.extract import analyze
from kg.graph import build_graph
from kg.store import GraphStore
from kg.vocab import DEFAULT_BASE


@dataclass
class IngestReport:
    documents: int = 0
    replaced: int = 0
    triples: int = 0
    tokens: int = 0
    seconds: float = 0.0
    kinds: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    problems: list[InputError] = field(default_factory=list)

    def summary(self, store: GraphStore) -> str:
        """The lines ``kg ingest`` prints, in the style of ``kg extract``'s summary."""
        lines = [f"{self.documents} document(s) stored ({self.replaced} replaced), {self.tokens:,} tokens, "
                 f"{self.triples:,} triples in {self.seconds:.1f}s"]
        lines.append("entities:  " + ", ".join(f"{k} {self.kinds[k]}"
                                               for k in ("person", "organization", "place", "account")))
        typed = {k: v for k, v in self.relations.items() if not k.startswith("verb:")}
        lines.append("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(typed.items())) or "none")
                     + f"; open (verb) {sum(v for k, v in self.relations.items() if k.startswith('verb:'))}")
        if self.problems:
            skipped = sum(p.skipped for p in self.problems)
            lines.append(f"problems:  {len(self.problems)} ({skipped} document(s) skipped; see warnings above)")
        lines.append(f"store:     {store.path or '(memory)'}: {store.count_documents():,} documents, "
                     f"{store.count_triples():,} triples")
        return "\n".join(lines)


def ingest(
    paths: Iterable[str | Path],
    store: GraphStore,
    nlp: Language,
    *,
    base: str = DEFAULT_BASE,
    max_chars: int = DEFAULT_MAX_CHARS,
    batch_size: int = 32,
    on_error: Callable[[InputError], None] | None = None,
) -> IngestReport:
    """Extracts every readable document of ``paths`` into ``store``; problems go to ``on_error``."""
    report = IngestReport()
    started = time.perf_counter()

    def problem(err: InputError) -> None:
        report.problems.append(err)
        if on_error is not None:
            on_error(err)

    documents = read_documents(paths, on_error=problem, max_chars=max_chars)
    for document, doc in analyze(nlp, documents, batch_size=batch_size):
        graph = build_graph(document, doc, base)
        report.replaced += store.has_document(document.id)
        report.triples += store.replace_document(document.id, graph, base)
        report.documents += 1
        report.tokens += len(doc)
        report.kinds.update(kind for _, kind in graph.nodes(data="kind"))
        report.relations.update(p for _, _, p in graph.edges(data="predicate"))
        report.relations.update(r["predicate"] for r in graph.graph.get("literal_relations", []))
    store.flush()
    report.seconds = time.perf_counter() - started
    return report
