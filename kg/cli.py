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
    """A progress bar on a terminal; elsewhere (logs, CI) a plain line every ``every`` seconds.

    Shows documents/s and words/s; with ``total`` (input bytes, when known) also an ETA.
    """

    def __init__(self, every: float = 30.0, total: int | None = None):
        self.count = self.words = self.chars = 0
        self.started = self.last = time.perf_counter()
        self.every, self.total = every, total
        self.bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit="B", unit_scale=True, total=total, file=sys.stderr, mininterval=0.5)

    def update(self, words: int, chars: int = 0) -> None:
        self.count += 1
        self.words += words
        self.chars += chars
        now = time.perf_counter()
        elapsed = max(now - self.started, 1e-9)
        if self.bar is not None:
            self.bar.update(chars)
            if now - self.last >= 0.5:
                self.last = now
                self.bar.set_postfix_str(f"{self.count:,} docs, {self.count / elapsed:,.1f} docs/s, "
                                         f"{self.words / elapsed:,.0f} words/s")
            return
        if now - self.last >= self.every:
            self.last = now
            eta = ""
            if self.total and self.chars:
                eta = f", ETA {max(self.total - self.chars, 0) * elapsed / self.chars:,.0f}s"
            _print(f"progress: {self.count:,} documents ({self.count / elapsed:,.1f}/s), {self.words:,} words "
                   f"({self.words / elapsed:,.0f}/s){eta}")

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
                            open_relations=not args.no_open_relations,
                            relation_model=None if args.no_relation_model else "default",
                            relation_threshold=args.relation_threshold)
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
        if args.store:
            from kg.store import GraphStore, StoreError

            try:
                with GraphStore(args.store, create=False) as store:
                    result = run_query(store, query)
            except StoreError as err:
                raise QueryError(str(err)) from None
        else:
            result = run_query(load_files(args.data), query)
    except QueryError as err:
        _print(f"kg query: {err}")
        return EXIT_USAGE
    print(format_result(result, args.format))
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from kg.ingest import cmd_ingest as run

    return run(args)


def cmd_export_file(args: argparse.Namespace) -> int:
    """``kg export --from FILE``: an earlier export (.nq .trig .jsonld .json) re-exported in other formats."""
    from kg.export.from_rdf import ReadError, read_graph

    try:
        formats = parse_formats(args.format)
        graph = read_graph(args.source)
    except (UnknownFormatError, ReadError) as err:
        _print(f"kg export: {err}")
        return EXIT_USAGE
    written = export_files(graph, formats, Path(args.output), args.name, DEFAULT_BASE)
    print(f"{graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges; wrote: "
          + ", ".join(map(str, written)))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """``kg validate FILE...``: SHACL (kg/shapes.ttl) over RDF exports; exit 1 on any violation."""
    from kg.validate import validate_file

    failed = False
    for path in args.files:
        try:
            violations = validate_file(path)
        except (OSError, ValueError, SyntaxError) as err:
            _print(f"kg validate: {path}: cannot read: {err}")
            return EXIT_USAGE
        for violation in violations:
            print(f"{path}: {violation}")
        failed = failed or any(v.severity == "Violation" for v in violations)
        if not violations:
            print(f"{path}: conforms")
    return EXIT_NOTHING_READ if failed else EXIT_OK


def cmd_load(args: argparse.Namespace) -> int:
    """``kg load ladybug DB --from FILE``: an export loaded into an embedded LadybugDB database."""
    from kg.export.from_rdf import ReadError, read_graph
    from kg.export.ladybug import LoadError, load_ladybug

    try:
        counts = load_ladybug(read_graph(args.source), args.database, replace=args.replace)
    except (ReadError, LoadError) as err:
        _print(f"kg load: {err}")
        return EXIT_USAGE
    print(f"loaded {counts['nodes']:,} nodes and {counts['edges']:,} relationships into {args.database}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if getattr(args, "source", None):  # --from FILE; otherwise the store (--store)
        return cmd_export_file(args)
    from kg.store import GraphStore, StoreError

    try:
        formats = parse_formats(args.format)
        store = GraphStore(args.store, create=False)
    except (UnknownFormatError, StoreError) as err:
        _print(f"kg export: {err}")
        return EXIT_USAGE
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with store:
        for spec in formats:
            path = out / f"{args.name}{spec.suffix}"
            with path.with_name(path.name + ".part").open("wb") as output:
                store.export(spec.name, output)
            path.with_name(path.name + ".part").replace(path)
            written.append(path)
        print(f"{store.count_documents():,} documents, {store.count_triples():,} triples; wrote: "
              + ", ".join(map(str, written)))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.service.server import serve

    return serve(args)


def cmd_train(args: argparse.Namespace) -> int:
    if args.what == "relations":
        from kg.train.relations import train_relations as train
    else:
        from kg.train.ner import train_ner as train

    try:
        metrics = train(Path(args.train), Path(args.dev), Path(args.output), base_model=args.model,
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
    ex.add_argument("--relation-threshold", type=float, metavar="P",
                    help="probability the relation model needs to emit a relation (default: the model's own)")
    ex.add_argument("--no-relation-model", action="store_true", help="rule relations only, no models/relations")
    ex.add_argument("--batch-size", type=int, default=32)
    ex.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="refuse longer documents")
    ex.add_argument("-q", "--quiet", action="store_true", help="no summary")
    ex.set_defaults(func=cmd_extract)

    qu = sub.add_parser("query", help="run a SPARQL query over exported RDF files")
    qu.add_argument("query", help="the SPARQL SELECT/ASK query, or @FILE to read it from a file")
    source = qu.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", nargs="+", help="RDF files (.nq .trig .ttl .nt .jsonld)")
    source.add_argument("--store", help="a store folder written by kg ingest / kg serve")
    qu.add_argument("--format", choices=["table", "csv", "json"], default="table")
    qu.set_defaults(func=cmd_query)

    from kg.ingest import add_arguments as add_ingest_arguments

    ing = sub.add_parser("ingest", help="stream documents into a store or N-Quads shards, on all cores or a Dask "
                                        "cluster (resumable)")
    add_ingest_arguments(ing)
    ing.set_defaults(func=cmd_ingest)

    exp = sub.add_parser("export", help="write the whole store in export formats")
    exp.add_argument("--store", default="kg-data", help="store folder (default: kg-data)")
    exp.add_argument("-o", "--output", default="exports", help="output folder (default: exports)")
    exp.add_argument("--format", default="all", help=f"comma-separated subset of {','.join(FORMATS)} (default: all)")
    exp.add_argument("--name", default="graph", help="file name stem (default: graph)")
    exp.add_argument("--from", dest="source", metavar="FILE",
                     help="re-export an earlier export (.nq .trig .jsonld .json) instead of the store")
    exp.set_defaults(func=cmd_export)

    val = sub.add_parser("validate", help="check RDF exports against kg's SHACL shapes (exit 1 on a violation)")
    val.add_argument("files", nargs="+", help="RDF files (.nq .trig .ttl .nt .jsonld)")
    val.set_defaults(func=cmd_validate)

    load = sub.add_parser("load", help="load an export into a property-graph database")
    load.add_argument("target", choices=["ladybug"], help="the database (LadybugDB, embedded)")
    load.add_argument("database", help="the database file to create")
    load.add_argument("--from", dest="source", required=True, metavar="FILE",
                      help="an export to load (.nq .trig .jsonld .json)")
    load.add_argument("--replace", action="store_true", help="overwrite an existing database file")
    load.set_defaults(func=cmd_load)

    from kg.service.server import add_serve_arguments

    srv = sub.add_parser("serve", help="run the HTTP API and SPARQL endpoint on a store")
    add_serve_arguments(srv)
    srv.set_defaults(func=cmd_serve)

    tr = sub.add_parser("train", help="train a model shipped in models/")
    tr.add_argument("what", choices=["ner", "relations"])
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
