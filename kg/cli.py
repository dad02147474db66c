"""The ``kg`` command: wires reading, the pipeline, graph building and exporters together."""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from kg.documents import DEFAULT_MAX_CHARS, InputError, read_documents
from kg.export import FORMATS, UnknownFormatError, export_files, parse_formats
from kg.extract import analyze
from kg.graph import build_graph, merge_into
from kg.nlp.pipeline import DEFAULT_MODEL, PipelineError, load_pipeline
from kg.vocab import DEFAULT_BASE

EXIT_OK, EXIT_NOTHING_READ, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 4


def _print(*args: object) -> None:
    print(*args, file=sys.stderr)


class Progress:
    """A progress bar on a terminal; elsewhere (logs, CI) a plain line every ``every`` seconds."""

    def __init__(self, every: float = 30.0):
        self.count = self.words = 0
        self.started = self.last = time.perf_counter()
        self.every = every
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit="doc", file=sys.stderr)

    def update(self, words: int) -> None:
        self.count += 1
        self.words += words
        if self.bar is not None:
            self.bar.update(1)
            return
        now = time.perf_counter()
        if now - self.last >= self.every:
            self.last = now
            rate = self.words / max(now - self.started, 1e-9)
            _print(f"progress: {self.count:,} documents, {self.words:,} tokens ({rate:,.0f} tokens/s)")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def cmd_extract(args: argparse.Namespace) -> int:
    try:
        formats = parse_formats(args.format)
    except UnknownFormatError as err:
        _print(f"kg extract: {err}")
        return EXIT_USAGE
    problems: list[InputError] = []

    def on_error(err: InputError) -> None:
        problems.append(err)
        _print(f"warning: {err}" + ("" if err.skipped else " (document kept)"))

    try:
        nlp = load_pipeline(args.model, ner_model=None if args.base_ner else "default",
                            open_relations=not args.no_open_relations)
    except PipelineError as err:
        _print(f"kg extract: {err}")
        return EXIT_USAGE
    started = time.perf_counter()
    documents = read_documents(args.paths, on_error=on_error, max_chars=args.max_chars)
    import networkx as nx

    graph = nx.MultiDiGraph(literal_relations=[])
    progress = Progress()
    for document, doc in analyze(nlp, documents, batch_size=args.batch_size):
        merge_into(graph, build_graph(document, doc, args.base))
        progress.update(len(doc))
    progress.close()
    count, words = progress.count, progress.words
    if count == 0:
        _print("kg extract: no document could be read" + (f" ({len(problems)} problems above)" if problems else ""))
        return EXIT_NOTHING_READ
    stem = args.name or (Path(args.paths[0]).stem.split(".")[0] if len(args.paths) == 1 and args.paths[0] != "-"
                         else "graph")
    written = export_files(graph, formats, Path(args.output), stem, args.base)
    elapsed = time.perf_counter() - started
    if not args.quiet:
        print(summary(graph, count, words, elapsed, written, problems))
    return EXIT_PARTIAL if any(p.skipped for p in problems) else EXIT_OK


def summary(graph, documents: int, words: int, seconds: float, written: list[Path], problems: list) -> str:
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    relations = Counter(p for _, _, p in graph.edges(data="predicate"))
    relations.update(r["predicate"] for r in graph.graph.get("literal_relations", []))
    dates = {d for _, attrs in graph.nodes(data=True) for d in (attrs.get("temporal") or "").split()}
    lines = [f"{documents} document(s), {words:,} tokens in {seconds:.1f}s"]
    lines.append("entities:  " + ", ".join(f"{k} {kinds[k]}" for k in ("person", "organization", "place", "account")))
    lines.append(f"posts:     {kinds['post']}")
    lines.append(f"dates:     {len(dates)} distinct ({' '.join(sorted(dates)[:6])}{' ...' if len(dates) > 6 else ''})")
    typed = {k: v for k, v in relations.items() if not k.startswith("verb:")}
    open_count = sum(v for k, v in relations.items() if k.startswith("verb:"))
    lines.append("relations: " + (", ".join(f"{k} {v}" for k, v in sorted(typed.items())) or "none")
                 + f"; open (verb) {open_count}")
    if problems:
        skipped = sum(p.skipped for p in problems)
        lines.append(f"problems:  {len(problems)} ({skipped} document(s) skipped; see warnings above)")
    lines.append("wrote:     " + ", ".join(str(p) for p in written))
    return "\n".join(lines)


def cmd_query(args: argparse.Namespace) -> int:
    from kg.query import QueryError, format_result, load_files, run_query

    query = Path(args.query[1:]).read_text() if args.query.startswith("@") else args.query
    try:
        result = run_query(load_files(args.data), query)
    except QueryError as err:
        _print(f"kg query: {err}")
        return EXIT_USAGE
    print(format_result(result, args.format))
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    from kg.train.ner import train_ner

    try:
        metrics = train_ner(Path(args.train), Path(args.dev), Path(args.output), base_model=args.model,
                            seed=args.seed, limit=args.limit, progress=_print)
    except (ValueError, OSError) as err:
        _print(f"kg train {args.what}: {err}")
        return EXIT_USAGE
    print(f"wrote {args.output}; dev figures: {metrics}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kg", description="Knowledge graphs from news text, offline.")
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="extract the graph of text files / JSON Lines and write exports")
    ex.add_argument("paths", nargs="+", help=".txt files, .jsonl files, folders, or - for stdin")
    ex.add_argument("-o", "--output", default="exports", help="output folder (default: exports)")
    ex.add_argument("--format", default="all",
                    help=f"comma-separated subset of {','.join(FORMATS)} (default: all)")
    ex.add_argument("--name", help="file name stem of the exports (default: the input's name, or 'graph')")
    ex.add_argument("--model", default=DEFAULT_MODEL, help=f"installed spaCy pipeline (default: {DEFAULT_MODEL})")
    ex.add_argument("--base-ner", action="store_true", help="use the base model's NER, not models/ner")
    ex.add_argument("--base", default=DEFAULT_BASE, help=f"base of entity IRIs (default: {DEFAULT_BASE})")
    ex.add_argument("--no-open-relations", action="store_true", help="only data-model relations, no verb relations")
    ex.add_argument("--batch-size", type=int, default=32)
    ex.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="refuse longer documents")
    ex.add_argument("-q", "--quiet", action="store_true", help="no summary")
    ex.set_defaults(func=cmd_extract)

    qu = sub.add_parser("query", help="run a SPARQL query over exported RDF files")
    qu.add_argument("query", help="the SPARQL SELECT/ASK query, or @FILE to read it from a file")
    qu.add_argument("--data", nargs="+", required=True, help="RDF files (.nq .trig .ttl .nt .jsonld)")
    qu.add_argument("--format", choices=["table", "csv", "json"], default="table")
    qu.set_defaults(func=cmd_query)

    tr = sub.add_parser("train", help="train a model shipped in models/")
    tr.add_argument("what", choices=["ner"])
    tr.add_argument("--train", required=True)
    tr.add_argument("--dev", required=True)
    tr.add_argument("-o", "--output", required=True)
    tr.add_argument("--model", default=DEFAULT_MODEL)
    tr.add_argument("--seed", type=int, default=0)
    tr.add_argument("--limit", type=int, help="train on the first N sentences only")
    tr.set_defaults(func=cmd_train)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _print("interrupted")
        return 130
    except BrokenPipeError:  # `kg ... | head`: the reader left, which is not an error
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
