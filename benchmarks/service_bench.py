"""Service figures: POST /extract latency and throughput vs in-process kg.extract; SPARQL on >= 1M triples.

    .venv/bin/python benchmarks/service_bench.py [--requests 64] [--triples 1000000]

Starts a real `kg serve` on a loopback port (as the tests do). The article is the shared sample
(../shared/samples/twitter-rogue-employee.txt) or, without it, examples/harbor-city-outage.txt.
The 1M-triple store is built from that article's extracted quads, repeated with varied IRIs
(entities shared by groups of documents, so joins have work to do).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from kgserver import Server  # noqa: E402

import kg  # noqa: E402
from kg.export import export  # noqa: E402
from kg.export.rdf import graph_quads  # noqa: E402
from kg.store import GraphStore  # noqa: E402
from kg.vocab import DEFAULT_BASE  # noqa: E402

SAMPLE = ROOT.parent / "shared" / "samples" / "twitter-rogue-employee.txt"
ARTICLE = SAMPLE if SAMPLE.exists() else ROOT / "examples" / "harbor-city-outage.txt"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def in_process(text: str, n: int) -> float:
    """Documents per second of kg.extract + Turtle export in this process (what /extract does)."""
    import io

    nlp = kg.load_pipeline()
    kg.extract(text, nlp=nlp)
    started = time.perf_counter()
    for _ in range(n):
        export(kg.extract(text, nlp=nlp), "turtle", io.BytesIO())
    return n / (time.perf_counter() - started)


def load_test(url: str, body: bytes, clients: int, total: int) -> tuple[list[float], float]:
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = total // clients

    def client() -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            for _ in range(per_client):
                started = time.perf_counter()
                response = http.post("/extract", content=body, headers={"Content-Type": "text/plain"})
                assert response.status_code == 200, response.text
                with lock:
                    latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies) / (time.perf_counter() - started)


def build_store(path: Path, text: str, triples: int) -> int:
    """Repeats the article's quads with varied IRIs until the store holds ``triples`` quads."""
    quads = list(graph_quads(kg.extract(text, doc_id="seed")))

    def vary(term, doc: int, group: int):
        if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE):
            own = "/doc/" in term.value or "/statement/" in term.value
            return ox.NamedNode(f"{term.value}-{doc if own else group}")
        return term

    with GraphStore(path) as store:
        doc = 0
        while len(store._store) < triples:
            batch = []
            for _ in range(200):
                group = doc % 997
                batch += [ox.Quad(*(vary(t, doc, group) for t in (q.subject, q.predicate, q.object, q.graph_name)))
                          for q in quads]
                doc += 1
            store._store.bulk_extend(batch)
        store.flush()
        return len(store._store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=64, help="POST /extract requests per concurrency level")
    parser.add_argument("--triples", type=int, default=1_000_000)
    args = parser.parse_args()
    text = ARTICLE.read_text()
    print(f"article: {ARTICLE.name} ({len(text):,} characters)")
    with tempfile.TemporaryDirectory() as tmp:
        with Server(Path(tmp) / "service") as server:
            body = text.encode()
            load_test(server.url, body, 1, 4)  # warm-up
            best = 0.0
            for clients in (1, 4, 16):
                latencies, throughput = load_test(server.url, body, clients, args.requests)
                best = max(best, throughput)
                print(f"POST /extract, {clients:2d} client(s): p50 {percentile(latencies, 0.5) * 1000:6.1f} ms, "
                      f"p95 {percentile(latencies, 0.95) * 1000:6.1f} ms, {throughput:5.1f} docs/s")
        local = in_process(text, args.requests)
        print(f"in-process kg.extract + Turtle: {local:5.1f} docs/s; service/in-process throughput ratio "
              f"{best / local:.2f} (best concurrency level)")

        started = time.perf_counter()
        count = build_store(Path(tmp) / "big", text, args.triples)
        print(f"built a store of {count:,} quads in {time.perf_counter() - started:.0f}s")
        queries = {
            "COUNT(*)": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            "2-hop (post -> account -> owner)": "SELECT (COUNT(*) AS ?n) WHERE { ?post sioc:has_creator ?account . "
                                                "?person foaf:account ?account }",
            "2-hop (authors -> posts -> mentions)": "SELECT DISTINCT ?x WHERE { ?post schema:author ?p . "
                                                    "?p schema:name ?name . ?post schema:mentions ?x } LIMIT 1000",
        }
        with Server(Path(tmp) / "big", "--query-timeout", "300") as server, \
                httpx.Client(base_url=server.url, timeout=600) as http:
            for name, query in queries.items():
                timings, answer = [], ""
                for _ in range(3):
                    started = time.perf_counter()
                    response = http.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
                    timings.append(time.perf_counter() - started)
                    cells = response.text.split()
                    answer = (cells[1] if len(cells) > 1 else "no rows") if name.startswith(("COUNT", "2-hop (")) \
                        else f"{len(response.text.splitlines()) - 1} rows"
                print(f"SPARQL {name}: {answer}; median {statistics.median(timings) * 1000:.0f} ms over HTTP "
                      f"(first {timings[0] * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
