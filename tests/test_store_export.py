"""RDF exports of a store (N-Quads, TriG, Turtle) hold exactly the store's quads (kg.store_quads).

An on-disk store exports from its documents' N-Quads rows (``DIR/quads.sqlite``), so these tests
compare every export with the RDF store itself, through ingest, replace, delete, reopening, a
store made before the table existed, and crashes between the steps of a write.
"""
from __future__ import annotations

import io
import json
import sqlite3

import pyoxigraph as ox
import pytest

import kg
from kg.graph import document_iri
from kg.ingest import ingest
from kg.store import GraphStore
from kg.store_quads import QuadTable
from kg.vocab import DEFAULT_BASE

TEXTS = {
    "a1": "Jane Roe, a spokeswoman for Acme Corp, said the outage ended on Tuesday.",
    "a2": "Acme Corp hired Dev Patel last year. Dev Patel works for Acme Corp in Austin, Texas.",
    "t/3": "@harborcity says power is back in Harbor City after Acme Corp fixed the grid. #outage",
}
FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE}
EX = "http://example.org/"


def exported(store: GraphStore, fmt: str) -> bytes:
    output = io.BytesIO()
    store.export(fmt, output)
    return output.getvalue()


def assert_exports_match(store: GraphStore) -> None:
    """Each RDF export parses back to the store's quads (Turtle: the union of their triples)."""
    quads = set(store._store)
    assert quads
    for fmt, rdf in FORMATS.items():
        data = exported(store, fmt)
        parsed = list(ox.parse(data, format=rdf))
        if fmt == "turtle":
            assert set(parsed) == {ox.Quad(q.subject, q.predicate, q.object) for q in quads}
            assert len(parsed) == len(set(parsed)), "union triples are written once"
        else:
            assert set(parsed) == quads, fmt
        assert exported(store, fmt) == data, f"{fmt}: the same store gives the same file"


def ingested(path, nlp, ids=("a1", "a2", "t/3")) -> GraphStore:
    """A store filled through kg's ingest (GraphStore.add_documents), as kg ingest fills it."""
    corpus = path.parent / f"{path.name}.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": TEXTS[i]}) + "\n" for i in ids))
    store = GraphStore(path)
    report = ingest([corpus], store, nlp)
    assert report.documents == len(ids) and not report.failures, report
    return store


def rows(path) -> dict[str, int]:
    """The table's rows: graph IRI -> state (0 done, 1 staged, 2 being deleted)."""
    with sqlite3.connect(path / "quads.sqlite") as db:
        return dict(db.execute("SELECT graph, state FROM quads"))


def sql(path, statement: str, *args) -> None:
    db = sqlite3.connect(path / "quads.sqlite")
    with db:
        db.execute(statement, args)
    db.close()


def iri(doc_id: str) -> str:
    return document_iri(DEFAULT_BASE, doc_id)


@pytest.mark.parametrize("where", ["memory", "disk"])
def test_exports_follow_ingest_replace_and_delete(tmp_path, nlp, where):
    if where == "memory":
        store = GraphStore(None)
        for doc_id in ("a1", "a2", "t/3"):
            store.replace_document(doc_id, kg.extract(TEXTS[doc_id], doc_id=doc_id, nlp=nlp))
    else:
        store = ingested(tmp_path / "s", nlp)
        assert rows(tmp_path / "s") == {iri(i): 0 for i in ("a1", "a2", "t/3")}
    with store:
        assert_exports_match(store)
        store.replace_document("a2", kg.extract("Sam Okafor lives in Portland.", doc_id="a2", nlp=nlp))
        assert_exports_match(store)
        assert b"Sam Okafor" in exported(store, "nquads") and b"Dev Patel" not in exported(store, "nquads")
        assert store.delete_document("a1")
        assert_exports_match(store)
        assert b"Jane Roe" not in exported(store, "turtle")
    if where == "disk":
        assert rows(tmp_path / "s") == {iri("a2"): 0, iri("t/3"): 0}
        with GraphStore(tmp_path / "s") as reopened:
            assert_exports_match(reopened)
            ingest([tmp_path / "s.jsonl"], reopened, nlp)  # every document again: a1 added, a2 and t/3 replaced
            assert_exports_match(reopened)
            assert b"Jane Roe" in exported(reopened, "nquads") and b"Sam Okafor" not in exported(reopened, "nquads")


def test_store_without_the_table_migrates_on_first_export(tmp_path, nlp, monkeypatch):
    """A store made before DIR/quads.sqlite existed exports from the store, writing the rows as it goes."""
    ingested(tmp_path / "s", nlp).close()
    for name in ("quads.sqlite", "quads.sqlite-wal", "quads.sqlite-shm"):
        (tmp_path / "s" / name).unlink(missing_ok=True)
    with GraphStore(tmp_path / "s") as store:
        assert rows(tmp_path / "s") == {}
        migrated = exported(store, "nquads")
        assert set(ox.parse(migrated, format=ox.RdfFormat.N_QUADS)) == set(store._store)
        assert rows(tmp_path / "s") == {iri(i): 0 for i in ("a1", "a2", "t/3")}
        monkeypatch.setattr(QuadTable, "_from_store", lambda *args: pytest.fail("read from the store"))
        assert set(exported(store, "nquads").splitlines()) == set(migrated.splitlines())
        assert_exports_match(store)
        sql(tmp_path / "s", "DELETE FROM quads WHERE graph = ?", iri("a2"))  # one row lost: that one from the store
        monkeypatch.undo()
        assert set(exported(store, "nquads").splitlines()) == set(migrated.splitlines())


def test_stale_rows_other_graphs_and_blank_nodes(tmp_path, nlp):
    with ingested(tmp_path / "s", nlp) as store:
        # a graph dropped behind the table's back leaves a1's row: it is not exported
        store._store.update(f"DROP GRAPH <{iri('a1')}>")
        assert iri("a1") in rows(tmp_path / "s")
        assert_exports_match(store)
        assert b"Jane Roe" not in exported(store, "nquads")
        # quads kg never writes (the default graph, a graph under another base) are exported from the store
        store._store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("default")))
        store._store.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("other"),
                                 ox.NamedNode(EX + "graph")))
        assert_exports_match(store)
        # a document with blank nodes: the store relabels them, so its row is written from the store
        b = iri("b")
        nquads = f'<{b}> <{EX}p> _:x <{b}> .\n_:x <{EX}q> "blank" <{b}> .\n'.encode()
        store.add_documents([("b", nquads, json.dumps({"nodes": [], "edges": [], "kg_document": "b"}))])
        assert b not in rows(tmp_path / "s")
        assert_exports_match(store)
        assert rows(tmp_path / "s")[b] == 0
        assert_exports_match(store)


def test_unsettled_rows_after_a_crash(tmp_path, nlp):
    """A row left staged or half deleted is kept on reopening only if it holds what the store holds."""
    with ingested(tmp_path / "s", nlp) as store:
        expected = exported(store, "nquads")
    # crashed after the RDF commit, before marking the row done: the row is the document's
    sql(tmp_path / "s", "UPDATE quads SET state = 1 WHERE graph = ?", iri("a1"))
    # crashed before the RDF commit: the staged row (another version) is dropped
    sql(tmp_path / "s", "UPDATE quads SET state = 1, nquads = replace(nquads, 'Dev Patel', 'Someone Else') "
        "WHERE graph = ?", iri("a2"))
    # crashed while deleting, before the graph was dropped: the row stays
    sql(tmp_path / "s", "UPDATE quads SET state = 2 WHERE graph = ?", iri("t/3"))
    sql(tmp_path / "s", "INSERT INTO quads VALUES (?, ?, 1)", iri("cut"), b"<http://example.org/cut")
    with GraphStore(tmp_path / "s") as store:
        assert rows(tmp_path / "s") == {iri("a1"): 0, iri("t/3"): 0}
        assert set(exported(store, "nquads").splitlines()) == set(expected.splitlines())
        assert_exports_match(store)


def test_cli_export_from_the_table(tmp_path, nlp):
    from conftest import run_kg

    ingested(tmp_path / "s", nlp).close()
    done = run_kg("export", "--store", str(tmp_path / "s"), "-o", str(tmp_path / "out"), "--format", "turtle,nquads")
    assert done.returncode == 0, done.stderr
    with GraphStore(tmp_path / "s") as store:
        quads = set(store._store)
    assert set(ox.parse((tmp_path / "out" / "graph.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)) == quads
    turtle = set(ox.parse((tmp_path / "out" / "graph.ttl").read_bytes(), format=ox.RdfFormat.TURTLE))
    assert turtle == {ox.Quad(q.subject, q.predicate, q.object) for q in quads}


def test_literals_come_back_as_the_store_holds_them(tmp_path):
    """Oxigraph keeps typed literals as values ("1.0"^^xsd:double comes back "1"): so do the rows."""
    n = iri("n")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    nquads = "".join(f'<{n}> <{EX}p{i}> "{value}"^^<{xsd}{kind}> <{n}> .\n' for i, (value, kind) in enumerate(
        [("1.0", "double"), ("+01", "integer"), ("2024-03-15T10:00:00+00:00", "dateTime"), ("0.85", "double")]))
    with GraphStore(tmp_path / "s") as store:
        store.add_documents([("n", nquads.encode(), json.dumps({"nodes": [], "edges": [], "kg_document": "n"}))])
        assert b'"1"^^' in exported(store, "nquads") and b"+01" not in exported(store, "nquads")
        assert_exports_match(store)
