"""Streaming corpus ingest (kg.ingest, kg.batch, kg.shards): parallel runs agree, bad input is reported."""
from __future__ import annotations

import gzip
import json
import random

import networkx as nx
import pytest
from conftest import EXAMPLE, ROOT, run_kg

from kg.batch import PipelineConfig
from kg.documents import make_document
from kg.graph import merge_graphs
from kg.ingest import run_ingest
from kg.shards import ShardWriter, read_quads, stored_ids
from kg.store import GraphStore

CORPUS = ROOT / "tests" / "data" / "corpus"
RECORDS = [
    {"id": "j1", "text": "Jane Roe, a spokeswoman for Acme Corp, said Acme Corp is based in Austin.",
     "date": "2024-05-02"},
    {"id": "j2", "text": "ACME CORP hired Dev Patel. Dev Patel lives in Austin, Texas."},
    {"id": "j3", "text": "Outage fixed at last. — Sam Okafor (@samokafor) March 14, 2024"},
    {"id": "j4", "text": "Lena Fischer joined Northwind Software in 2019."},
]


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "records.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in RECORDS)
    return [str(CORPUS), str(path), str(EXAMPLE)]


def _shards(paths, folder, **kwargs) -> set:
    writer = ShardWriter(folder, compress=True, docs_per_shard=3)
    report = run_ingest(paths, writer.write, lambda _: False, PipelineConfig(), **kwargs)
    writer.close()
    assert report.documents == 8 and not report.failures, report.failures
    return set(read_quads(folder))


def test_one_process_two_processes_and_dask_give_identical_quads(corpus, tmp_path, nlp):
    one = _shards(corpus, tmp_path / "one", nlp=nlp)
    two = _shards(corpus, tmp_path / "two", processes=2)
    dask = _shards(corpus, tmp_path / "dask", processes=2, dask="local")
    assert one and one == two == dask
    assert stored_ids(tmp_path / "two") == {"j1", "j2", "j3", "j4", "greenport-ferry", "northwind-audit",
                                            "riverside-library-strike", "harbor-city-outage"}
    with GraphStore(tmp_path / "store") as store:  # the store holds the very same quads
        run_ingest(list(reversed(corpus)), store.add_documents, store.has_document, PipelineConfig(), nlp=nlp)
        assert set(store._store) == one


def test_merged_names_do_not_depend_on_order(nlp):
    from kg.extract import analyze
    from kg.graph import build_graph

    docs = [make_document(r["text"], r["id"]) for r in RECORDS[:2]]
    graphs = [build_graph(d, doc) for d, doc in analyze(nlp, docs)]
    forward, backward = merge_graphs(graphs), merge_graphs(reversed(graphs))
    acme = "https://kg.example/id/org/acme-corp"
    assert forward.nodes[acme]["name"] == "Acme Corp" and forward.nodes[acme]["alternateName"] == "ACME CORP"
    def attrs(graph, node):  # everything but the order of the documents that mention the node
        return {**graph.nodes[node], "documents": sorted(graph.nodes[node]["documents"].split())}

    for node in forward:
        assert attrs(forward, node) == attrs(backward, node)
    assert nx.utils.edges_equal(forward.edges(keys=True), backward.edges(keys=True))
    shuffled = graphs[:]
    random.Random(1).shuffle(shuffled)
    assert attrs(merge_graphs(shuffled), acme) == attrs(forward, acme)


def test_bad_input_is_reported_and_nothing_stored_is_lost(tmp_path):
    store = tmp_path / "store"
    first = run_kg("ingest", str(EXAMPLE), "--store", str(store), "--processes", "1")
    assert first.returncode == 0, first.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(RECORDS[0]) + "\n{broken\n" + json.dumps({"id": "x"}) + "\n"
                   + json.dumps(RECORDS[3]) + "\n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 owner Jos\xe9 Garc\xeda".encode("latin-1"))
    (tmp_path / "huge.txt").write_text("word " * 10_500_000)  # 52 MB, over the 1M-character limit
    done = run_kg("ingest", str(bad), str(tmp_path / "latin1.txt"), str(tmp_path / "huge.txt"), "--store",
                  str(store), "--processes", "1")
    err, out = done.stderr.decode(), done.stdout.decode()
    assert done.returncode == 4, err
    assert f"{bad}:2: invalid JSON" in err and f"{bad}:3: field 'text' is missing" in err
    assert "latin1.txt:1: invalid UTF-8 at byte 3" in err and "huge.txt: document too long" in err
    assert "2 document(s) stored (0 replaced, 0 already stored" in out and "store:" in out and "3 documents" in out
    report = [json.loads(line) for line in (store / "ingest-errors.jsonl").read_text().splitlines()]
    assert [(r["line"], r["id"]) for r in report if r["source"] == str(bad)] == [(2, None), (3, None)]
    assert len(report) == 4
    # Resume skips what is stored; stop ends at the first problem and keeps everything already stored.
    again = run_kg("ingest", str(bad), str(EXAMPLE), "--store", str(store), "--processes", "1", "--on-error", "stop")
    assert again.returncode == 3, again.stderr
    assert "already stored and skipped" in again.stdout.decode() and "stopped at the first" in again.stdout.decode()
    with GraphStore(store, create=False) as opened:
        assert opened.count_documents() == 3 and opened.has_document("harbor-city-outage")


def test_empty_corpus_and_streamed_stdin(tmp_path):
    (tmp_path / "empty").mkdir()
    empty = run_kg("ingest", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), "--processes", "1")
    assert empty.returncode == 1 and b"folder holds no .txt or .jsonl files" in empty.stderr
    assert b"no document could be read" in empty.stderr
    lines = "\n".join(json.dumps(r) for r in RECORDS[:2]) + "\nnot json\n"
    done = run_kg("ingest", "-", "-o", str(tmp_path / "out"), "--processes", "1", "--errors",
                  str(tmp_path / "errors.jsonl"), stdin=lines.encode())
    assert done.returncode == 4, done.stderr
    assert b"<stdin>:3: invalid JSON" in done.stderr and b"shards:" in done.stdout
    assert stored_ids(tmp_path / "out") == {"j1", "j2"}
    assert json.loads((tmp_path / "errors.jsonl").read_text())["line"] == 3
