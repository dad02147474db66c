"""Every export format on a real two-document extraction, read back by independent tools.

RDF: rdflib, pyoxigraph and (when installed) raptor's ``rapper``. Property graphs: networkx,
python-igraph, and the GraphML / GEXF XML Schemas in ``/work/shared/schemas`` (when present).
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib

import kg
from kg.documents import make_document
from kg.export import FORMATS, export
from kg.graph import document_iri
from kg.vocab import DEFAULT_BASE

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "harbor-city-outage.txt"
SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"
DCTERMS_IDENTIFIER = "http://purl.org/dc/terms/identifier"
#: A second document, written for these tests, that shares people, an organisation and a city with the example.
SECOND_TEXT = (
    "date 2024-03-20\n"
    "Maria Delgado, a spokeswoman for the Harbor City Transit Authority, said on Monday that the audit "
    "of Northwind Software would start in April. Jonathan Park flew in from Seattle to meet her.\n\n"
    "Buses ran late again today — Ana Ruiz (@anaruiz) March 19, 2024\n"
)
SHARED_ENTITY = f"{DEFAULT_BASE}person/maria-delgado"
DOC_IDS = ("harbor-city-outage", "followup")
RDF_FORMATS = ("turtle", "trig", "nquads", "jsonld")
OX_FORMAT = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS,
             "jsonld": ox.RdfFormat.JSON_LD}
RDFLIB_FORMAT = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "jsonld": "json-ld"}

pytestmark = pytest.mark.skipif(not EXAMPLE.exists(), reason=f"example article missing: {EXAMPLE}")

# -- helpers -------------------------------------------------------------------------------------


def documents() -> list:
    return [make_document(EXAMPLE.read_text(encoding="utf-8"), DOC_IDS[0], source=str(EXAMPLE)),
            {"id": DOC_IDS[1], "text": SECOND_TEXT}]


def serialize(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    buffer = io.BytesIO()
    export(graph, fmt, buffer)
    return buffer.getvalue()


def rdflib_statements(data: bytes, fmt: str) -> set[tuple]:
    """Triples (turtle) or quads (the others) as rdflib reads them."""
    if fmt == "turtle":
        graph = rdflib.Graph()
        graph.parse(data=data, format="turtle")
        return set(graph)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format=RDFLIB_FORMAT[fmt])
    return {(s, p, o, c) for s, p, o, c in dataset.quads((None, None, None, None))}


def oxigraph_statements(data: bytes, fmt: str) -> list:
    return list(ox.parse(data, OX_FORMAT[fmt]))


def error_kinds(errors: list[str]) -> list[str]:
    """The distinct validation problems, with the offending values blanked out (for short messages)."""
    return sorted({re.sub(r"='[^']*'", "='…'", re.sub(r"\[\d+\]", "", e)) for e in errors})


def schema_errors(xsd: Path, document: bytes) -> list[str]:
    """Validation errors of ``document`` against ``xsd``, offline (no location hints are followed)."""
    import xmlschema

    schema = xmlschema.XMLSchema10(str(xsd), allow="local")
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(io.BytesIO(document), use_location_hints=False)]


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return kg.extract_many(documents())


@pytest.fixture(scope="module")
def outputs(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    return {name: serialize(graph, name) for name in FORMATS}


def test_fixture_has_two_documents_sharing_an_entity(graph: nx.MultiDiGraph) -> None:
    """Precondition of everything below: two document nodes and an entity mentioned in both."""
    docs = sorted(attrs["identifier"] for _, attrs in graph.nodes(data=True) if attrs["kind"] == "document")
    assert docs == sorted(DOC_IDS)
    assert graph.nodes[SHARED_ENTITY]["documents"].split() == list(DOC_IDS)
    assert any(attrs["kind"] == "post" for _, attrs in graph.nodes(data=True))


# -- RDF -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_parses_in_rdflib_and_oxigraph_alike(outputs: dict[str, bytes], fmt: str) -> None:
    """Each RDF serialization parses in both libraries to the same number of statements as N-Quads."""
    expected_quads = oxigraph_statements(outputs["nquads"], "nquads")
    expected = {(q.subject, q.predicate, q.object) for q in expected_quads} if fmt == "turtle" else set(expected_quads)
    by_rdflib = rdflib_statements(outputs[fmt], fmt)
    by_oxigraph = oxigraph_statements(outputs[fmt], fmt)
    assert len(by_oxigraph) == len(set(by_oxigraph)) == len(expected)
    assert len(by_rdflib) == len(expected)
    assert {q.object for q in expected_quads if q.predicate.value == DCTERMS_IDENTIFIER} == {
        ox.Literal(d) for d in DOC_IDS}


@pytest.mark.parametrize(("fmt", "flag"), [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads")])
def test_rapper_accepts(outputs: dict[str, bytes], tmp_path: Path, fmt: str, flag: str) -> None:
    """raptor's ``rapper -c`` parses the file without error and counts every statement."""
    rapper = shutil.which("rapper")
    if rapper is None:
        pytest.skip("rapper not installed (Debian/Ubuntu package raptor2-utils); CI installs it")
    path = tmp_path / f"graph{FORMATS[fmt].suffix}"
    path.write_bytes(outputs[fmt])
    result = subprocess.run([rapper, "-i", flag, "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    count = re.search(r"returned (\d+) triples", result.stderr)
    assert count, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    assert int(count.group(1)) == len(oxigraph_statements(outputs[fmt], fmt))


def test_one_named_graph_per_document(outputs: dict[str, bytes]) -> None:
    """N-Quads: every quad is in a document's graph, and each graph says which document it is."""
    quads = oxigraph_statements(outputs["nquads"], "nquads")
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {document_iri(DEFAULT_BASE, d) for d in DOC_IDS}
    for doc_id in DOC_IDS:
        doc = document_iri(DEFAULT_BASE, doc_id)
        assert ox.Quad(ox.NamedNode(doc), ox.NamedNode(DCTERMS_IDENTIFIER), ox.Literal(doc_id),
                       ox.NamedNode(doc)) in quads
    # the shared entity is described in both documents' graphs
    assert {q.graph_name.value for q in quads if q.subject.value == SHARED_ENTITY} == graphs


def test_document_id_with_space_is_one_named_graph() -> None:
    """A document id with a space ("my story.txt" -> "my story") still gives exactly one named graph."""
    graph = kg.extract("Maria Delgado spoke in Paris.", doc_id="my story")
    quads = oxigraph_statements(serialize(graph, "nquads"), "nquads")
    assert {q.graph_name.value for q in quads} == {document_iri(DEFAULT_BASE, "my story")}


def test_trig_keeps_the_named_graphs(outputs: dict[str, bytes]) -> None:
    """TriG and JSON-LD carry the same named graphs as N-Quads (rdflib's view)."""
    expected = {rdflib.URIRef(document_iri(DEFAULT_BASE, d)) for d in DOC_IDS}
    for fmt in ("trig", "jsonld"):
        assert {quad[3] for quad in rdflib_statements(outputs[fmt], fmt)} == expected, fmt


def test_entity_iris_are_stable(graph: nx.MultiDiGraph) -> None:
    """The same input gives the same IRIs in a second run, and one entity has one IRI across documents."""
    again = kg.extract_many(documents())
    assert set(again.nodes) == set(graph.nodes)
    assert serialize(again, "nquads") == serialize(graph, "nquads")
    first, second = (kg.extract_many([d]) for d in documents())
    shared = {n for n in set(first.nodes) & set(second.nodes) if first.nodes[n]["kind"] != "document"}
    assert SHARED_ENTITY in shared
    assert len(shared) >= 3
    assert all(graph.nodes[n]["documents"].split() == list(DOC_IDS) for n in shared)


# -- property graphs ------------------------------------------------------------------------------


def test_graphml_loads_in_networkx_and_igraph(graph: nx.MultiDiGraph, outputs: dict[str, bytes],
                                                tmp_path: Path) -> None:
    """Same node/edge counts in both readers; every node has label and kind, every edge label and predicate;
    the ``iri`` node attribute gives back the graph's nodes and edges."""
    loaded = nx.read_graphml(io.BytesIO(outputs["graphml"]), force_multigraph=True)
    assert loaded.is_directed() and loaded.is_multigraph()
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert all(attrs.get("label") and attrs.get("kind") for _, attrs in loaded.nodes(data=True))
    assert all(attrs.get("label") and attrs.get("predicate") for _, _, attrs in loaded.edges(data=True))
    iri_of = dict(loaded.nodes(data="iri"))
    assert set(iri_of.values()) == set(graph.nodes)
    assert sorted((iri_of[u], iri_of[v], a["predicate"]) for u, v, a in loaded.edges(data=True)) == sorted(
        (u, v, a["predicate"]) for u, v, a in graph.edges(data=True))

    path = tmp_path / "graph.graphml"
    path.write_bytes(outputs["graphml"])
    read = igraph.Graph.Read_GraphML(str(path))
    assert read.is_directed()
    assert (read.vcount(), read.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert all(v["label"] and v["kind"] for v in read.vs)
    assert all(e["label"] and e["predicate"] for e in read.es)
    assert sorted(read.vs["kind"]) == sorted(kind for _, kind in graph.nodes(data="kind"))


def test_gexf_loads_with_time(graph: nx.MultiDiGraph, outputs: dict[str, bytes]) -> None:
    """Same counts; posts and dated documents start at their date (Gephi's timeline)."""
    loaded = nx.read_gexf(io.BytesIO(outputs["gexf"]))
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    posts = [(n, a) for n, a in loaded.nodes(data=True) if a["kind"] == "post"]
    assert posts
    for node, attrs in posts:
        assert attrs.get("start") == graph.nodes[node]["datePublished"][:10], node
    assert loaded.nodes[document_iri(DEFAULT_BASE, DOC_IDS[1])]["start"] == "2024-03-20"
    assert all(attrs.get("label") for _, attrs in loaded.nodes(data=True))


def test_node_link_json(graph: nx.MultiDiGraph, outputs: dict[str, bytes]) -> None:
    """The JSON export is networkx node-link data with an ``edges`` key and keeps every attribute."""
    loaded = nx.node_link_graph(json.loads(outputs["json"]), edges="edges")
    assert loaded.is_directed() and loaded.is_multigraph()
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert dict(loaded.nodes(data=True)) == dict(graph.nodes(data=True))


# -- XML Schemas ----------------------------------------------------------------------------------


def _schema(relative: str) -> Path:
    path = SCHEMAS / relative
    if not path.exists():
        pytest.skip(f"XML Schema not found at {path} (the shared/ folder next to the repository is absent)")
    return path


def test_graphml_is_valid_against_xsd(outputs: dict[str, bytes]) -> None:
    """The GraphML file validates against the GraphML 1.0 XSD."""
    errors = schema_errors(_schema("graphml/graphml.xsd"), outputs["graphml"])
    assert errors == [], f"{len(errors)} errors of these kinds: {error_kinds(errors)}"


def test_gexf_is_valid_against_xsd(outputs: dict[str, bytes]) -> None:
    """The GEXF file validates against the GEXF 1.2draft XSD."""
    errors = schema_errors(_schema("gexf-1.2/gexf.xsd"), outputs["gexf"])
    assert errors == [], f"{len(errors)} errors of these kinds: {error_kinds(errors)}"


def test_same_graph_gives_the_same_files(graph: nx.MultiDiGraph) -> None:
    """Exports are reproducible: rdflib's JSON-LD order (hash order) must not leak into the file."""
    code = ("import io, sys, kg; from kg.export import export; g = kg.extract(open(sys.argv[1]).read(), 'd');"
            "[sys.stdout.buffer.write(_b.getvalue()) for f in ('jsonld', 'nquads', 'trig') "
            "for _b in [io.BytesIO()] if export(g, f, _b) is None]")
    example = str(Path(__file__).resolve().parents[1] / "examples" / "harbor-city-outage.txt")
    runs = {subprocess.run([sys.executable, "-c", code, example], capture_output=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1
