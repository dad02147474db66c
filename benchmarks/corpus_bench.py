"""Corpus-scale benchmarks of kg ingest (B1-B4), all in one run, as ratios measured side by side.

    .venv/bin/python benchmarks/corpus_bench.py [--words 300000] [--json benchmarks/results/corpus_bench.json]

One benchmark alone (``--only b3``, ``--skip b3,b4``): the results file keeps the sections not run.
B3 alone, without the 16-minute full run (ingests the corpus for its source documents, ~2 min,
unless ``--store`` holds B1's store from an earlier run made with ``--store DIR``)::

    .venv/bin/python benchmarks/corpus_bench.py --only b3 [--store DIR] [--b3-cold]
    .venv/bin/python benchmarks/corpus_bench.py --only b3 --words 20000 --b3-quads 100000   # a quick try

The results file is written only at the default sizes (or with ``--json FILE``).

The corpus: CoNLL04 sentences, BTC tweets and TempEval-3 articles from ../shared/data plus the
example articles (examples/, tests/data/corpus/, benchmarks/articles/), repeated under new ids
until it holds at least ``--words`` words. Needs ../shared (exits with a message otherwise).

B1  words/s of bare ``nlp.pipe`` (kg's pipeline object, same batch size, Docs consumed) vs
    ``kg ingest --processes 1`` end to end (JSON Lines in, quads committed to an on-disk store);
    also, for information, the base spaCy model alone (without kg's components).
B2  ``kg ingest --processes 2`` vs ``--processes 1`` on the same corpus, each run as the command
    (start-up and model loading included on both sides).
B3  1M quads written as Turtle and N-Quads by kg's exporters (``kg export --store``: an on-disk
    store filled through ``GraphStore.add_documents`` with copies of B1's documents, exported from
    its documents' N-Quads files; also an in-memory store; ``kg extract``: ``write_rdf`` from the
    property graph) vs rdflib's ``serialize`` of the same quads (benchmarks/export_bench.py).
B4  peak RSS of ``kg ingest`` (a child process) over 10k vs 100k short documents: the largest
    process, and the writing (main) process alone.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"


def base_texts() -> list[tuple[str, str]]:
    """(kind, text) of every source text, in a fixed order."""
    texts: list[tuple[str, str]] = []
    for name in ("conll04_train.json", "conll04_dev.json"):
        texts += [("conll04", " ".join(r["tokens"])) for r in json.loads((SHARED / "conll04" / name).read_text())]
    tweet: list[str] = []
    for line in (SHARED / "btc" / "btc.train").read_text("utf-8", "replace").splitlines():
        if line.strip():
            tweet.append(line.split("\t")[0])
        elif tweet:
            texts.append(("btc", " ".join(tweet)))
            tweet = []
    for path in sorted((SHARED / "tempeval3" / "TBAQ-cleaned").rglob("*.tml")):
        body = re.search(r"<TEXT>(.*)</TEXT>", path.read_text("utf-8"), re.S)
        if body:
            texts.append(("tempeval3", re.sub(r"<[^>]+>", "", body.group(1)).strip()))
    for folder in (ROOT / "examples", ROOT / "tests" / "data" / "corpus", ROOT / "benchmarks" / "articles"):
        texts += [("article", p.read_text("utf-8")) for p in sorted(folder.glob("*.txt"))]
    return [(kind, text) for kind, text in texts if text.strip()]


def write_corpus(path: Path, min_words: int) -> tuple[int, int, dict]:
    texts = base_texts()
    docs = words = 0
    kinds: dict[str, int] = {}
    with path.open("w", encoding="utf-8") as out:
        round_ = 0
        while words < min_words:
            for number, (kind, text) in enumerate(texts):
                if words >= min_words:
                    break
                out.write(json.dumps({"id": f"r{round_}-{number}", "text": text}) + "\n")
                docs, words = docs + 1, words + len(text.split())
                kinds[kind] = kinds.get(kind, 0) + 1
            round_ += 1
    return docs, words, kinds


def bare_pipe(nlp, path: Path, batch_size: int) -> tuple[float, float]:
    """Wall and CPU seconds (CPU time is robust to other processes competing for the cores)."""
    texts = (json.loads(line)["text"] for line in path.open(encoding="utf-8"))
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def kg_ingest(path: Path, store_dir: Path, processes: int, nlp=None) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds of this process, triples stored."""
    from kg.batch import PipelineConfig
    from kg.ingest import run_ingest
    from kg.store import GraphStore

    started, cpu = time.perf_counter(), time.process_time()
    with GraphStore(store_dir) as store:
        run_ingest([path], store.add_documents, store.has_document, PipelineConfig(), processes=processes, nlp=nlp)
        store.flush()
        triples = store.count_triples()
    return time.perf_counter() - started, time.process_time() - cpu, triples


def cli_ingest(path: Path, store_dir: Path, processes: int) -> float:
    """Wall seconds of ``kg ingest --processes N`` as a command (start-up and model loading included)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", str(path), "--store", str(store_dir),
                           "--processes", str(processes)], capture_output=True, text=True, cwd=ROOT)
    if done.returncode not in (0, 4):  # 4: some documents skipped, the rest stored
        raise RuntimeError(f"kg ingest --processes {processes} failed:\n{done.stderr}")
    return time.perf_counter() - started


def b4_memory(tmp: Path, sizes: tuple[int, ...], processes: int) -> dict:
    """Peak RSS of ``kg ingest`` over N short documents (CoNLL04 sentences, 10 words), per process.

    ``kg ingest`` runs in a child (``kg.cli.main`` in-process), which reports its own peak (VmHWM:
    the process that writes the store) and its children's (ru_maxrss: the largest worker process).
    """
    sentences = [" ".join(text.split()[:10]) for kind, text in base_texts() if kind == "conll04"]
    result = {}
    for n in sizes:
        corpus = tmp / f"b4-{n}.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for i in range(n):
                out.write(json.dumps({"id": f"s{i}", "text": sentences[i % len(sentences)]}) + "\n")
        # VmHWM, not RUSAGE_SELF: ru_maxrss survives exec, so it would count this (large) process
        script = ("import json, re, resource, sys; from kg.cli import main; code = main(sys.argv[1:]); "
                  "hwm = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
                  "print(json.dumps([code, hwm, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", script, "ingest", str(corpus),
                               "--store", str(tmp / f"b4-store-{n}"), "--processes", str(processes)],
                              capture_output=True, text=True, cwd=ROOT)
        code, main_kb, workers_kb = json.loads(done.stdout.strip().splitlines()[-1])
        result[n] = {"peak_rss_mb": round(max(main_kb, workers_kb) / 1024, 1),
                     "main_process_mb": round(main_kb / 1024, 1), "largest_worker_mb": round(workers_kb / 1024, 1),
                     "seconds": round(time.perf_counter() - started, 1), "exit": code}
    return result


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return {"cores": len(os.sched_getaffinity(0)), "cpu": model, "python": platform.python_version(),
            "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}


DEFAULTS = {"words": 300_000, "b3_quads": 1_000_000, "b4_docs": "10000,100000", "b4_processes": 2}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=DEFAULTS["words"], help="corpus size for B1/B2 (default 300,000)")
    parser.add_argument("--b3-quads", type=int, default=DEFAULTS["b3_quads"], help="B3's store size (default 1M)")
    parser.add_argument("--b3-cold", action="store_true",
                        help="B3: also time the on-disk exports with an empty page cache (root: drops the caches)")
    parser.add_argument("--b4-docs", default=DEFAULTS["b4_docs"], help="document counts for B4 (default 10000,100000)")
    parser.add_argument("--b4-processes", type=int, default=DEFAULTS["b4_processes"],
                        help="kg ingest --processes for B4 (default 2)")
    parser.add_argument("--skip", default="", help="comma-separated benchmarks to skip (b1,b2,b3,b4)")
    parser.add_argument("--only", default="", help="comma-separated benchmarks to run, the others skipped (e.g. b3)")
    parser.add_argument("--store", help="B1's store folder, kept after the run (B1 needs it absent); a later "
                                        "--only b3 copies its documents instead of ingesting the corpus again")
    parser.add_argument("--json", help="results file, merged: sections not run are kept (default: "
                                       "benchmarks/results/corpus_bench.json, written only at the default sizes)")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"corpus_bench: {SHARED} is absent; the benchmark corpus needs ../shared/data", file=sys.stderr)
        return 1
    run = {b.strip().lower() for b in args.only.split(",") if b.strip()} or {"b1", "b2", "b3", "b4"}
    run -= {b.strip().lower() for b in args.skip.split(",")}
    store1 = Path(args.store).resolve() if args.store else None
    if "b1" in run and store1 is not None and store1.exists() and any(store1.iterdir()):
        print(f"corpus_bench: {store1} is not empty; B1 measures an ingest into a new store", file=sys.stderr)
        return 2
    from kg.batch import PipelineConfig, pipeline

    results: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        store1 = store1 or tmp / "store1"
        corpus = tmp / "corpus.jsonl"
        docs, words, kinds = write_corpus(corpus, args.words)
        corpus_info = {"documents": docs, "words": words, "by_source": kinds}
        print(f"corpus: {docs:,} documents, {words:,} words {kinds}", flush=True)
        nlp = pipeline(PipelineConfig()) if run & {"b1", "b3"} else None
        if "b1" in run:
            bare, bare_cpu = bare_pipe(nlp, corpus, 32)
            kg1, kg1_cpu, triples = kg_ingest(corpus, store1, 1, nlp)
            results["B1"] = {"bare_words_s": round(words / bare), "kg_words_s": round(words / kg1),
                             "ratio": round(bare / kg1, 3), "cpu_ratio": round(bare_cpu / kg1_cpu, 3),
                             "bare_cpu_s": round(bare_cpu, 1), "kg_cpu_s": round(kg1_cpu, 1), "triples": triples,
                             "load_average_1min": os.getloadavg()[0]}
            print(f"B1: {results['B1']}", flush=True)
        if "b2" in run:  # both as the command, model loading included on both sides
            one, two = (cli_ingest(corpus, tmp / f"store-b2-{n}", n) for n in (1, 2))
            results["B2"] = {"one_process_s": round(one, 1), "two_processes_s": round(two, 1),
                             "speedup": round(one / two, 2)}
            print(f"B2: {results['B2']}", flush=True)
        if run & {"b1", "b2"}:
            results["corpus"] = corpus_info
        if "b3" in run:
            if not (store1 / "oxigraph").exists():
                print(f"B3: ingesting the corpus into {store1}", flush=True)
                kg_ingest(corpus, store1, 1, nlp)
            from export_bench import b3_export  # beside this file

            results["B3"] = b3_export(store1, tmp, args.b3_quads, cold=args.b3_cold)
            print(f"B3: {results['B3']}", flush=True)
        if "b4" in run:
            sizes = tuple(int(n) for n in args.b4_docs.split(","))
            b4 = b4_memory(tmp, sizes, args.b4_processes)
            small, large = b4[sizes[0]]["peak_rss_mb"], b4[sizes[-1]]["peak_rss_mb"]
            main_small, main_large = b4[sizes[0]]["main_process_mb"], b4[sizes[-1]]["main_process_mb"]
            results["B4"] = {"runs": b4, "difference": round(abs(large - small) / small, 3),
                             "main_process_difference": round(abs(main_large - main_small) / main_small, 3)}
            print(f"B4: {results['B4']}", flush=True)
    print(table(results))
    default_sizes = all(getattr(args, key) == value for key, value in DEFAULTS.items())
    if args.json is None and not default_sizes:
        print("not written to benchmarks/results/corpus_bench.json: not the default sizes (--json FILE writes them)")
        return 0
    path = Path(args.json or ROOT / "benchmarks" / "results" / "corpus_bench.json")
    merged = json.loads(path.read_text()) if path.exists() else {}
    merged.update(results)  # the sections measured now; the others as they were
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(merged, indent=1) + "\n")
    print(f"wrote {path} ({', '.join(k for k in results if k != 'machine')} measured now)")
    return 0


def table(r: dict) -> str:
    rows = [("machine", f"{r['machine']['cores']} cores, {r['machine']['cpu']}", "", "")]
    if "B1" in r:
        rows.append(("B1 throughput", f"bare nlp.pipe {r['B1']['bare_words_s']:,} w/s",
                     f"kg ingest {r['B1']['kg_words_s']:,} w/s",
                     f"ratio {r['B1']['ratio']} wall, {r['B1']['cpu_ratio']} CPU time (>= 0.75)"))
    if "B2" in r:
        rows.append(("B2 scaling", f"1 process {r['B2']['one_process_s']} s",
                     f"2 processes {r['B2']['two_processes_s']} s",
                     f"speed-up {r['B2']['speedup']}x (>= 1.6)"))
    if "B3" in r:
        for fmt in ("turtle", "nquads"):
            x = r["B3"][fmt]
            speed = f"{x['speedup_store']}x ({x['speedup_memory_store']}x) / {x['speedup_write_rdf']}x (>= 10)"
            cold = f", cold {x['kg_export_store_cold_s']} s" if "kg_export_store_cold_s" in x else ""
            ours = (f"kg export {x['kg_export_store_s']} s{cold} (in memory {x['kg_export_memory_store_s']} s), "
                    f"write_rdf {x['kg_extract_write_rdf_s']} s")
            rows.append((f"B3 {fmt} {r['B3']['quads']:,} quads", ours,
                         f"rdflib {x['rdflib_s']} s", speed))
    if "B4" in r:
        runs = r["B4"]["runs"]
        rows.append(("B4 peak RSS", *(f"{n:,} docs {v['peak_rss_mb']} MB" for n, v in runs.items()),
                     f"difference {r['B4']['difference']:.1%} (<= 15%); main process "
                     f"{r['B4']['main_process_difference']:.1%}"))
    widths = [max(len(str(row[i])) for row in rows) for i in range(4)]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)) for row in rows)


if __name__ == "__main__":
    sys.exit(main())
