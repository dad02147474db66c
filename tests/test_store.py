"""The persistent store (kg.store.GraphStore), kg ingest / query --store / export, without HTTP."""
from __future__ import annotations

import io
import json
import time

import pyoxigraph as ox
import pytest
from conftest import EXAMPLE, run_kg

import kg
from kg.graph import document_iri
from kg.query import QueryError
from kg.sparql_pool import QueryTimeout
from kg.store import GraphStore, StoreError, UpdateRefused, is_update
from kg.vocab import DEFAULT_BASE

ACME_1 = "Jane Roe, a spokeswoman for Acme Corp, said the outage ended on Tuesday."
ACME_2 = "Acme Corp hired Dev Patel last year. Dev Patel works for Acme Corp in Austin, Texas."
NAME = "https://schema.org/name"


@pytest.fixture(scope="module")
def graphs(nlp):
    return {"a1": kg.extract(ACME_1, doc_id="a1", nlp=nlp), "a2": kg.extract(ACME_2, doc_id="a2", nlp=nlp)}


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    with GraphStore(None if request.param == "memory" else tmp_path / "store") as opened:
        yield opened


def names(store: GraphStore, iri: str) -> set[str]:
    columns, rows = store.query(f"SELECT ?n WHERE {{ <{iri}> schema:name ?n }}").table()
    return {row[0] for row in rows}


def test_replace_is_idempotent_and_counts(store, graphs):
    first = store.replace_document("a1", graphs["a1"])
    assert first > 10 and store.has_document("a1") and not store.has_document("a2")
    assert store.replace_document("a1", graphs["a1"]) == first
    assert store.count_documents() == 1 and store.count_triples() == first
    store.replace_document("a2", graphs["a2"])
    assert store.count_documents() == 2
    listed = store.documents()
    assert [d["id"] for d in listed] == ["a1", "a2"] and listed[0]["triples"] == first
    assert [d["id"] for d in store.documents(offset=1, limit=5)] == ["a2"]


def test_replace_touches_only_that_document(store, graphs):
    store.replace_document("a1", graphs["a1"])
    store.replace_document("a2", graphs["a2"])
    before = set(store.document_quads("a1"))
    store.replace_document("a2", kg.extract("Sam Okafor lives in Portland.", doc_id="a2"))
    assert set(store.document_quads("a1")) == before
    assert not names(store, DEFAULT_BASE + "person/dev-patel")


def test_delete_keeps_entities_other_documents_describe(store, graphs):
    store.replace_document("a1", graphs["a1"])
    store.replace_document("a2", graphs["a2"])
    acme = DEFAULT_BASE + "org/acme-corp"
    assert names(store, acme) == {"Acme Corp"}
    assert store.delete_document("a2") and not store.delete_document("a2")
    assert names(store, acme) == {"Acme Corp"}, "a1 still describes Acme Corp"
    assert not names(store, DEFAULT_BASE + "person/dev-patel"), "only a2 mentioned Dev Patel"
    assert store.count_documents() == 1 and store.documents()[0]["id"] == "a1"


def test_merged_graph_matches_extraction(store, graphs):
    for doc_id, graph in graphs.items():
        store.replace_document(doc_id, graph)
    merged = store.graph()
    expected = kg.merge_graphs(graphs.values())
    assert set(merged.nodes) == set(expected.nodes)
    assert merged.number_of_edges() == expected.number_of_edges()


@pytest.mark.parametrize("fmt", ["nquads", "trig", "turtle", "jsonld", "graphml", "gexf", "json"])
def test_export_every_format(tmp_path, graphs, fmt):
    with GraphStore(tmp_path / "s") as store:
        for doc_id, graph in graphs.items():
            store.replace_document(doc_id, graph)
        output = io.BytesIO()
        store.export(fmt, output)
    data = output.getvalue()
    if fmt in ("nquads", "trig", "turtle"):
        rdf = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE}[fmt]
        assert any(q.object.value == "Acme Corp" for q in ox.parse(data, format=rdf))
    elif fmt in ("jsonld", "json"):
        assert "Acme Corp" in json.dumps(json.loads(data))
    else:
        assert b"Acme Corp" in data


def test_queries_update_refusal_and_formats(store, graphs):
    store.replace_document("a1", graphs["a1"])
    assert store.query("ASK { ?p schema:worksFor ?o }").table() is True
    result = store.query("SELECT ?s WHERE { ?s a schema:Organization }")
    assert result.kind == "select"
    for media in result.media_types:
        assert result.serialize(media)
    graph = store.query("CONSTRUCT { ?s schema:name ?n } WHERE { ?s schema:name ?n }")
    assert graph.kind == "graph" and b"Acme Corp" in graph.serialize("text/turtle")
    with pytest.raises(UpdateRefused):
        store.query("PREFIX x: <http://x/> INSERT DATA { x:a x:b x:c }")
    with pytest.raises(QueryError, match="syntax"):
        store.query("SELECT WHERE {")
    assert is_update("DROP GRAPH <x:y>") and not is_update("SELECT * { ?s ?p ?o }")


def test_runaway_query_is_stopped(tmp_path, graphs):
    with GraphStore(tmp_path / "s") as store:
        store.replace_document("a2", graphs["a2"])
        assert store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", timeout=10).table()[1][0][0] != "0"
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="timed out"):
            store.query("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }", timeout=1)
        assert time.monotonic() - started < 5
        assert store._pool.killed == 1
        # the next query gets a fresh worker and sees new writes
        store.replace_document("a1", graphs["a1"])
        columns, rows = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }", timeout=10).table()
        assert rows == [["2"]]


def test_store_survives_reopen_and_is_locked(tmp_path, graphs):
    path = tmp_path / "s"
    with GraphStore(path) as store:
        triples = store.replace_document("a1", graphs["a1"])
        with pytest.raises(StoreError, match="in use"):
            GraphStore(path)
    with GraphStore(path) as store:
        assert store.has_document("a1") and store.count_triples() == triples
        assert store.document("a1")["iri"] == document_iri(DEFAULT_BASE, "a1")


def test_cli_ingest_query_export(tmp_path):
    store = tmp_path / "store"
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a1", "text": ACME_1}) + "\n{broken\n"
                      + json.dumps({"id": "a2", "text": ACME_2}) + "\n")
    done = run_kg("ingest", str(EXAMPLE), str(corpus), "--store", str(store))
    assert done.returncode == 4, done.stderr
    out = done.stdout.decode()
    assert "3 document(s) stored" in out and "c.jsonl:2: invalid JSON" in done.stderr.decode()
    again = run_kg("ingest", str(corpus), "--store", str(store), "--no-resume")
    assert "(2 replaced," in again.stdout.decode() and "3 documents" in again.stdout.decode()
    table = run_kg("query", "SELECT ?id WHERE { ?d dcterms:identifier ?id } ORDER BY ?id", "--store", str(store))
    assert table.returncode == 0, table.stderr
    assert table.stdout.decode().split()[2:] == ["a1", "a2", "harbor-city-outage", "(3", "rows)"]
    as_json = run_kg("query", "SELECT ?id WHERE { ?d dcterms:identifier ?id }", "--store", str(store),
                     "--format", "json")
    assert len(json.loads(as_json.stdout)) == 3
    both = run_kg("query", "ASK {}", "--store", str(store), "--data", "x.nq")
    assert both.returncode == 2 and b"not allowed with" in both.stderr
    exported = run_kg("export", "--store", str(store), "-o", str(tmp_path / "out"), "--format", "nquads,graphml")
    assert exported.returncode == 0, exported.stderr
    assert (tmp_path / "out" / "graph.nq").stat().st_size > 1000 and (tmp_path / "out" / "graph.graphml").exists()


def test_bulk_writes_flush_every_few_megabytes(tmp_path, monkeypatch):
    """Long ingests flush RocksDB's memtables as they go (kg.store.FLUSH_BYTES), so memory stays flat."""
    import kg.store

    monkeypatch.setattr(kg.store, "FLUSH_BYTES", 1000)
    flushes = []
    with GraphStore(tmp_path / "store") as store:
        monkeypatch.setattr(store, "flush", lambda: (flushes.append(1), GraphStore.flush(store)))
        for n in range(6):
            iri = document_iri(DEFAULT_BASE, f"d{n}")
            nquads = "".join(f'<{iri}> <{NAME}> "name {n} {k}" <{iri}> .\n' for k in range(5)).encode()
            store.add_documents([(f"d{n}", nquads, json.dumps({"nodes": [], "edges": []}))])
        assert len(flushes) >= 2 and store.count_documents() == 6
        assert store._unflushed < 1000
