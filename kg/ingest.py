"""Streaming corpus ingest: read, extract on N processes or a Dask cluster, write a store or shards.

The corpus is read lazily (:func:`kg.documents.read_documents`) and cut into chunks; at most a
few chunks per worker are in flight, so memory stays flat however large the corpus is. Workers
run :func:`kg.batch.process_chunk` (model loaded once per worker) and send back each document's
N-Quads; this process writes them (one store transaction per chunk, or shard files). Every
document's quads depend only on that document, so the result is the same set of quads whatever
the number of workers or the order in which chunks finish.
"""
from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from kg.batch import ChunkResult, Failure, PipelineConfig
from kg.documents import DEFAULT_MAX_CHARS, Document, InputError, read_documents
from kg.executors import Dask, Inline, Processes
from kg.store import GraphStore
from kg.vocab import DEFAULT_BASE

CHUNK_DOCS, CHUNK_CHARS = 64, 200_000


@dataclass
class IngestReport:
    documents: int = 0
    replaced: int = 0
    resumed: int = 0  # already stored, skipped by --resume
    triples: int = 0
    tokens: int = 0
    words: int = 0
    seconds: float = 0.0
    stopped: bool = False  # --on-error stop ended the run early
    kinds: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    problems: list[InputError] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    def add(self, chunk: ChunkResult, replaced: int) -> None:
        self.replaced += replaced
        for result in chunk.documents:
            self.documents += 1
            self.triples += result.triples
            self.tokens += result.tokens
            self.words += result.words
            self.kinds.update(result.kinds)
            self.relations.update(result.relations)

    def summary(self, target: str) -> str:
        """The lines ``kg ingest`` prints, in the style of ``kg extract``'s summary."""
        rate = self.words / self.seconds if self.seconds else 0.0
        lines = [f"{self.documents} document(s) stored ({self.replaced} replaced, {self.resumed} already stored "
                 f"and skipped), {self.tokens:,} tokens, {self.triples:,} triples in {self.seconds:.1f}s "
                 f"({rate:,.0f} words/s)"]
        lines.append("entities:  " + ", ".join(f"{k} {self.kinds[k]}"
                                               for k in ("person", "organization", "place", "account")))
        typed = {k: v for k, v in self.relations.items() if not k.startswith("verb:")}
        lines.append("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(typed.items())) or "none")
                     + f"; open (verb) {sum(v for k, v in self.relations.items() if k.startswith('verb:'))}")
        if self.failures or self.problems:
            kept = sum(not p.skipped for p in self.problems)
            lines.append(f"problems:  {len(self.failures)} document(s) skipped, {kept} warning(s)"
                         + ("; stopped at the first (--on-error stop)" if self.stopped else ""))
        lines.append(target)
        return "\n".join(lines)


Writer = Callable[[list[tuple[str, bytes, str]]], int]


def _chunks(documents: Iterable[Document], is_stored: Callable[[str], bool], resume: bool, report: IngestReport,
            failed: Callable[[Failure], None], stop: Callable[[], bool]) -> Iterator[list[Document]]:
    """Chunks of documents to extract: stored ids skipped (resume), repeated ids refused."""
    seen: dict[str, str] = {}
    chunk: list[Document] = []
    size = 0
    for document in documents:
        if stop():
            break
        if document.id in seen:
            failed(Failure(document.id, document.source, document.line,
                           f"duplicate document id (first at {seen[document.id]})"))
            continue
        seen[document.id] = f"{document.source}:{document.line}" if document.line else document.source
        if resume and is_stored(document.id):
            report.resumed += 1
            continue
        chunk.append(document)
        size += len(document.text)
        if len(chunk) >= CHUNK_DOCS or size >= CHUNK_CHARS:
            yield chunk
            chunk, size = [], 0
    if chunk and not stop():
        yield chunk


def run_ingest(
    paths: Iterable[str | Path],
    write: Writer,
    is_stored: Callable[[str], bool],
    config: PipelineConfig,
    *,
    processes: int = 1,
    dask: str | None = None,
    nlp: Language | None = None,
    resume: bool = True,
    stop_on_error: bool = False,
    max_chars: int = DEFAULT_MAX_CHARS,
    on_problem: Callable[[InputError | Failure], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Streams ``paths`` through the pipeline into ``write``; returns what happened.

    ``is_stored(id)`` says whether a document is already in the target (``resume`` skips it);
    ``progress(words, chars)`` is called once per extracted document.
    """
    report = IngestReport()
    started = time.perf_counter()

    def failed(failure: Failure) -> None:
        report.failures.append(failure)
        if on_problem is not None:
            on_problem(failure)

    def problem(err: InputError) -> None:
        report.problems.append(err)
        if err.skipped:
            failed(Failure(None, err.source, err.line, err.message))
        elif on_problem is not None:
            on_problem(err)

    def stop() -> bool:
        report.stopped = stop_on_error and bool(report.failures)
        return report.stopped

    if dask:
        executor: Inline | Processes | Dask = Dask(config, dask, processes)
    elif processes > 1:
        executor = Processes(config, processes)
    else:
        from kg.batch import pipeline

        executor = Inline(config, nlp or pipeline(config))
    documents = read_documents(paths, on_error=problem, max_chars=max_chars)
    pending: dict = {}

    def collect(done: set) -> None:
        for future in done:
            chunk = pending.pop(future)
            try:
                result = future.result()
            except Exception as err:  # noqa: BLE001 - a worker died: its documents are reported, not lost silently
                result = ChunkResult(failures=[Failure(d.id, d.source, d.line, f"worker failed: {err}") for d in chunk])
            report.add(result, write([(r.id, r.nquads, r.graph_json) for r in result.documents]) if result.documents
                       else 0)
            for failure in result.failures:
                failed(failure)
            if progress is not None:
                for r in result.documents:
                    progress(r.words, r.chars)

    try:
        for chunk in _chunks(documents, is_stored, resume, report, failed, stop):
            pending[executor.submit(chunk)] = chunk
            while len(pending) >= 2 * executor.workers:
                done, _ = executor.wait(set(pending))
                collect(done)
        while pending:
            done, _ = executor.wait(set(pending))
            collect(done)
    finally:
        executor.close()
    stop()
    report.seconds = time.perf_counter() - started
    return report


def ingest(
    paths: Iterable[str | Path],
    store: GraphStore,
    nlp: Language,
    *,
    base: str = DEFAULT_BASE,
    max_chars: int = DEFAULT_MAX_CHARS,
    batch_size: int = 32,
    on_error: Callable[[InputError | Failure], None] | None = None,
    resume: bool = False,
) -> IngestReport:
    """Extracts every readable document of ``paths`` into ``store`` in this process (library use)."""
    config = PipelineConfig(base=base, batch_size=batch_size)
    report = run_ingest(paths, store.add_documents, store.has_document, config, nlp=nlp, resume=resume,
                        max_chars=max_chars, on_problem=on_error)
    store.flush()
    return report


def write_error_report(path: Path, failures: list[Failure]) -> None:
    """The skipped documents as JSON Lines: ``{"id", "source", "line", "reason"}``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for f in failures:
            out.write(json.dumps({"id": f.id, "source": f.source, "line": f.line, "reason": f.reason},
                                 ensure_ascii=False) + "\n")


def input_size(paths: Iterable[str]) -> int | None:
    """Total bytes of the input when it is known up front (plain files and folders), for the ETA."""
    total = 0
    for item in paths:
        path = Path(item)
        if item == "-" or str(path).endswith(".gz"):
            return None
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        total += sum(p.stat().st_size for p in files if p.exists() and not p.name.endswith(".gz"))
    return total or None


def default_processes() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def add_arguments(parser) -> None:
    """The options of ``kg ingest`` (kept here, beside the code that honours them)."""
    from kg.nlp.pipeline import DEFAULT_MODEL

    parser.add_argument("paths", nargs="+", help=".txt files, .jsonl(.gz) files, folders, or - for stdin")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--store", help="store folder (default: kg-data)")
    target.add_argument("-o", "--output", metavar="DIR", help="write N-Quads shards (part-*.nq) to DIR instead")
    parser.add_argument("--gzip", action="store_true", help="with -o: write part-*.nq.gz")
    parser.add_argument("--processes", type=int, default=default_processes(), metavar="N",
                        help=f"worker processes (default: all cores, here {default_processes()})")
    parser.add_argument("--dask", metavar="ADDRESS",
                        help="run on a Dask cluster (tcp://scheduler:8786), or 'local' for a LocalCluster "
                             "of --processes workers")
    parser.add_argument("--resume", action=__import__("argparse").BooleanOptionalAction, default=True,
                        help="skip documents whose id is already stored (default: on; --no-resume replaces them)")
    parser.add_argument("--on-error", choices=["skip", "stop"], default="skip",
                        help="skip a bad document and go on (default), or stop at the first one")
    parser.add_argument("--errors", metavar="FILE",
                        help="where skipped documents are listed (default: ingest-errors.jsonl in the target)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"installed spaCy pipeline (default: {DEFAULT_MODEL})")
    parser.add_argument("--base-ner", action="store_true", help="use the base model's NER, not models/ner")
    parser.add_argument("--base", default=DEFAULT_BASE, help=f"base of entity IRIs (default: {DEFAULT_BASE})")
    parser.add_argument("--batch-size", type=int, default=32, help="spaCy batch size (default: 32)")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="refuse longer documents")


EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE, EXIT_STOPPED, EXIT_PARTIAL = 0, 1, 2, 3, 4


def cmd_ingest(args) -> int:
    """``kg ingest``: exit 0 all stored, 4 some skipped, 3 stopped at an error, 1 nothing read, 2 usage."""
    import sys

    from kg.cli import Progress
    from kg.nlp.pipeline import PipelineError, load_pipeline
    from kg.shards import ShardWriter, stored_ids
    from kg.store import StoreError

    def say(message: str) -> None:
        print(message, file=sys.stderr)

    def on_problem(item: InputError | Failure) -> None:
        kept = isinstance(item, InputError) and not item.skipped
        say(f"warning: {item}" + (" (document kept)" if kept else ""))

    if args.processes < 1:
        say("kg ingest: --processes must be at least 1")
        return EXIT_USAGE
    config = PipelineConfig(model=args.model, base_ner=args.base_ner, base=args.base, batch_size=args.batch_size)
    nlp = None
    try:
        if args.processes == 1 and not args.dask:  # check the model here: a usage error, not N failures
            nlp = load_pipeline(args.model, ner_model=None if args.base_ner else "default")
        if args.output:
            target_dir, store = Path(args.output), None
            shards = ShardWriter(target_dir, compress=args.gzip)
            done_ids = stored_ids(target_dir) if args.resume else set()
            write, is_stored = shards.write, done_ids.__contains__
        else:
            target_dir = Path(args.store or "kg-data")
            store = GraphStore(target_dir, base=args.base)
            write, is_stored = store.add_documents, store.has_document
    except (PipelineError, StoreError) as err:
        say(f"kg ingest: {err}")
        return EXIT_USAGE
    progress = Progress(total=input_size(args.paths))
    try:
        report = run_ingest(args.paths, write, is_stored, config, processes=args.processes, dask=args.dask, nlp=nlp,
                            resume=args.resume, stop_on_error=args.on_error == "stop", max_chars=args.max_chars,
                            on_problem=on_problem, progress=progress.update)
    except (OSError, TimeoutError) as err:  # a Dask scheduler that cannot be reached, a full disk
        say(f"kg ingest: {err}")
        return EXIT_USAGE
    finally:
        progress.close()
        if store is not None:
            store.flush()
        else:
            shards.close()
    errors = Path(args.errors) if args.errors else target_dir / "ingest-errors.jsonl"
    if report.failures:
        write_error_report(errors, report.failures)
    elif not args.errors:
        errors.unlink(missing_ok=True)
    if store is not None:
        target = f"store:     {target_dir}: {store.count_documents():,} documents, {store.count_triples():,} triples"
        store.close()
    else:
        target = f"shards:    {target_dir}: {len(shards.written)} written ({', '.join(p.name for p in shards.written)})"
    if report.failures:
        target += f"\nerrors:    {errors}"
    print(report.summary(target))
    if report.stopped:
        return EXIT_STOPPED
    if report.documents == 0 and report.resumed == 0:
        say("kg ingest: no document could be read" + (f" ({len(report.failures)} problems above)"
                                                      if report.failures else ""))
        return EXIT_NOTHING_READ
    return EXIT_PARTIAL if report.failures else EXIT_OK
