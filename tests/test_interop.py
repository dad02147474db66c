"""Interoperability, checked by the real clients, on the example article and a four-document corpus.

Gephi side: graphology-graphml / graphology-gexf (Node), python-igraph, the GraphML and GEXF XSDs.
Property-graph side: the Cypher script and neo4j-admin CSV, LadybugDB (queries must answer exactly
what SPARQL answers over the RDF export). Triple-store side: rapper, pyoxigraph, rdflib, Apache
Jena's riot, and SHACL (kg/shapes.ttl) through ``kg validate``. Absent tools skip with the reason.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from conftest import EXAMPLE, SHARED, run_kg
from interop_tools import NODE_PROJECT, node_project, riot_command

import kg
from kg.documents import make_document
from kg.export import FORMATS, export_files
from kg.export.cypher import cypher_statements
from kg.export.from_rdf import read_graph
from kg.export.ladybug import load_ladybug, query
from kg.query import load_files, run_query
from kg.validate import validate_file
from kg.vocab import ENTITY_KINDS, RELATIONS

CORPUS = Path(__file__).resolve().parent / "data" / "corpus"
RDF_SUFFIXES = {"turtle": ".ttl", "trig": ".trig", "nquads": ".nq", "jsonld": ".jsonld"}

pytestmark = pytest.mark.skipif(not EXAMPLE.exists(), reason=f"example article missing: {EXAMPLE}")


def _documents(paths: list[Path]) -> list:
    return [make_document(p.read_text(encoding="utf-8"), p.stem, source=p.name) for p in paths]


@pytest.fixture(scope="module", params=["example", "corpus"])
def exported(request, tmp_path_factory) -> tuple[nx.MultiDiGraph, dict[str, Path]]:
    """(graph, format -> file) for the example article alone and for the corpus (example + tests/data/corpus)."""
    paths = [EXAMPLE] + (sorted(CORPUS.glob("*.txt")) if request.param == "corpus" else [])
    graph = kg.extract_many(_documents(paths))
    out = tmp_path_factory.mktemp(request.param)
    files = export_files(graph, list(FORMATS.values()), out, request.param)
    return graph, {name: path for name, path in zip(FORMATS, files, strict=True)}


def test_corpus_is_multi_document() -> None:
    """Precondition: four documents, posts on several days, works-for and account relations, parallel edges."""
    graph = kg.extract_many(_documents([EXAMPLE, *sorted(CORPUS.glob("*.txt"))]))
    kinds = [kind for _, kind in graph.nodes(data="kind")]
    assert kinds.count("document") == 4
    days = {a["datePublished"] for _, a in graph.nodes(data=True) if a["kind"] == "post"}
    assert len(days) >= 4
    predicates = [p for _, _, p in graph.edges(data="predicate")]
    assert predicates.count("worksFor") >= 3 and predicates.count("account") >= 5
    assert any(graph.number_of_edges(u, v) > 1 for u, v in graph.edges())


# -- Gephi and friends -----------------------------------------------------------------------------


def test_graphology_parses_graphml_and_gexf(exported) -> None:
    """graphology-graphml and graphology-gexf (Gephi Lite, sigma.js) read both files: same counts, and
    every node's label and kind and every edge's label survive."""
    graph, files = exported
    node, reason = node_project()
    if node is None:
        pytest.skip(reason)
    result = subprocess.run([node, str(NODE_PROJECT / "parse.js"), str(files["graphml"]), str(files["gexf"])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    expected_kinds = {n: a["kind"] for n, a in graph.nodes(data=True)}
    expected_labels = {n: a["label"] for n, a in graph.nodes(data=True)}
    for parsed in report["results"]:
        assert (parsed["order"], parsed["size"]) == (graph.number_of_nodes(), graph.number_of_edges()), parsed["file"]
        assert parsed["type"] == "directed"
        nodes = parsed["nodes"]
        iri = {key: (attrs["iri"] if parsed["parser"] == "graphology-graphml" else key) for key, attrs in nodes.items()}
        assert {iri[k]: a["kind"] for k, a in nodes.items()} == expected_kinds
        assert {iri[k]: a["label"] for k, a in nodes.items()} == expected_labels
        assert sorted((iri[e["source"]], iri[e["target"]], e["label"]) for e in parsed["edges"]) == sorted(
            (u, v, a["label"]) for u, v, a in graph.edges(data=True))


def test_igraph_reads_graphml(exported, tmp_path: Path) -> None:
    graph, files = exported
    read = igraph.Graph.Read_GraphML(str(files["graphml"]))
    assert (read.vcount(), read.ecount()) == (graph.number_of_nodes(), graph.number_of_edges())
    assert sorted(read.vs["kind"]) == sorted(k for _, k in graph.nodes(data="kind"))
    assert sorted(read.es["predicate"]) == sorted(p for _, _, p in graph.edges(data="predicate"))


@pytest.mark.parametrize(("fmt", "schema"), [("graphml", "graphml/graphml.xsd"), ("gexf", "gexf-1.2/gexf.xsd")])
def test_xml_schema_valid(exported, fmt: str, schema: str) -> None:
    import xmlschema

    xsd = SHARED / "schemas" / schema
    if not xsd.exists():
        pytest.skip(f"XML Schema not found at {xsd} (../shared beside the checkout is absent)")
    errors = list(xmlschema.XMLSchema10(str(xsd), allow="local").iter_errors(
        str(exported[1][fmt]), use_location_hints=False))
    assert errors == [], errors[:3]


def test_gexf_timeline(exported) -> None:
    """Every dated post and document has a spell start (a day) in a dynamic GEXF graph."""
    graph, files = exported
    text = files["gexf"].read_text(encoding="utf-8")
    assert 'mode="dynamic"' in text and 'timeformat="date"' in text
    loaded = nx.read_gexf(str(files["gexf"]))
    for node, attrs in graph.nodes(data=True):
        when = attrs.get("datePublished") or (attrs.get("date") if attrs["kind"] == "document" else None)
        if when and len(when) >= 10:
            assert loaded.nodes[node]["start"] == when[:10], node


# -- property-graph databases ----------------------------------------------------------------------

LABELS = {k.cypher_label for k in ENTITY_KINDS.values()}
TYPES = {r.cypher_type for r in RELATIONS.values()}


def test_cypher_script_uses_the_vocab(exported) -> None:
    """MERGE on the IRI, batched with UNWIND; labels and relationship types are the vocab's."""
    graph, files = exported
    text = files["cypher"].read_text(encoding="utf-8")
    statements = [s for s in text.split(";\n\n") if s.strip() and not s.lstrip().startswith("//")]
    assert all(s.startswith("UNWIND [") for s in statements)
    assert set(re.findall(r"MERGE \(n:(\w+) \{iri: row\.iri\}\)", text)) == {
        ENTITY_KINDS[k].cypher_label for _, k in graph.nodes(data="kind")}
    assert set(re.findall(r"MERGE \(a\)-\[r:(\w+) \{key: row\.key\}\]->\(b\)", text)) <= TYPES
    assert "r.evidence = row.evidence" in text and "r.confidence = row.confidence" in text


def test_neo4j_csv_import_files(exported) -> None:
    """neo4j-admin headers (:ID, :LABEL, :START_ID, :END_ID, :TYPE); every node and edge once; ends resolve."""
    graph, files = exported
    archive = zipfile.ZipFile(files["neo4j-csv"])
    ids, edges = {}, []
    for name in archive.namelist():
        if not name.endswith(".csv"):
            continue
        rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8"))))
        if name.startswith("nodes-"):
            assert rows and {"iri:ID", ":LABEL"} <= set(rows[0])
            ids.update({r["iri:ID"]: r[":LABEL"] for r in rows})
        else:
            assert rows and {":START_ID", ":END_ID", ":TYPE", "confidence:double"} <= set(rows[0])
            edges += [(r[":START_ID"], r[":END_ID"], r[":TYPE"]) for r in rows]
    assert set(ids) == set(graph.nodes) and set(ids.values()) <= LABELS
    assert len(edges) == graph.number_of_edges()
    assert all(s in ids and t in ids and kind in TYPES for s, t, kind in edges)
    script = archive.read("import.sh").decode()
    assert all(f"--nodes={n}" in script or f"--relationships={n}" in script
               for n in archive.namelist() if n.endswith(".csv"))


SPARQL_CYPHER = {
    "people with accounts": (
        "SELECT DISTINCT ?name ?handle WHERE { ?p a schema:Person ; schema:name ?name ; foaf:account ?a . "
        "?a foaf:accountName ?handle }",
        "MATCH (p:Person)-[:HAS_ACCOUNT]->(a:Account) RETURN DISTINCT p.name, a.accountName"),
    "posts per day": (
        "SELECT ?day (COUNT(DISTINCT ?post) AS ?n) WHERE { ?post a schema:SocialMediaPosting ; "
        "schema:datePublished ?d . BIND(STR(?d) AS ?day) } GROUP BY ?day",
        "MATCH (p:Post) WHERE p.datePublished IS NOT NULL RETURN p.datePublished, count(DISTINCT p)"),
    "works-for pairs": (
        "SELECT DISTINCT ?person ?org WHERE { ?p schema:worksFor ?o . ?p schema:name ?person . "
        "?o schema:name ?org }",
        "MATCH (p)-[:WORKS_FOR]->(o) RETURN DISTINCT p.name, o.name"),
}


@pytest.mark.parametrize("question", list(SPARQL_CYPHER))
def test_ladybug_answers_like_sparql(exported, tmp_path: Path, question: str) -> None:
    """An export loaded into LadybugDB (`kg load ladybug`) answers Cypher exactly as SPARQL answers over RDF."""
    pytest.importorskip("ladybug", reason="LadybugDB not installed (pip install ladybug)")
    graph, files = exported
    database = tmp_path / "kg.lbug"
    counts = load_ladybug(read_graph(files["nquads"]), database)
    assert counts == {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    sparql, cypher = SPARQL_CYPHER[question]
    columns, rows = run_query(load_files([files["nquads"]]), sparql)
    expected = sorted(tuple(int(v) if v.isdigit() else v for v in row) for row in rows)
    assert expected, question
    assert sorted(tuple(row) for row in query(database, cypher)) == expected


def test_cypher_script_is_idempotent_in_ladybug(exported, tmp_path: Path) -> None:
    """Running the MERGE statements a second time adds nothing."""
    pytest.importorskip("ladybug", reason="LadybugDB not installed (pip install ladybug)")
    from kg.export.ladybug import connect

    graph, _ = exported
    database = tmp_path / "kg.lbug"
    load_ladybug(graph, database)
    connection = connect(database)
    for statement in cypher_statements(graph):
        connection.execute(statement)
    assert connection.execute("MATCH ()-[r]->() RETURN count(r)").get_next()[0] == graph.number_of_edges()
    assert connection.execute("MATCH (n) RETURN count(n)").get_next()[0] == graph.number_of_nodes()
    connection.close()


def test_rdf_export_reads_back_losslessly(exported) -> None:
    """`kg export --from` reads N-Quads, TriG and JSON-LD back to the same graph (same N-Quads out)."""
    graph, files = exported
    for fmt in ("nquads", "trig", "jsonld"):
        again = read_graph(files[fmt])
        assert sorted(again.edges(keys=True)) == sorted(graph.edges(keys=True)), fmt
        assert dict(again.nodes(data="kind")) == dict(graph.nodes(data="kind")), fmt


def test_cli_export_from_and_load(exported, tmp_path: Path) -> None:
    """The command line: kg export --from FILE --format cypher,neo4j-csv, then kg load ladybug."""
    pytest.importorskip("ladybug", reason="LadybugDB not installed (pip install ladybug)")
    graph, files = exported
    result = run_kg("export", "--from", str(files["nquads"]), "--format", "cypher,neo4j-csv", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    again = read_graph(files["nquads"])
    for fmt in ("cypher", "neo4j-csv"):
        expected = io.BytesIO()
        FORMATS[fmt].writer(again, output=expected)
        assert (tmp_path / f"graph{FORMATS[fmt].suffix}").read_bytes() == expected.getvalue(), fmt
    result = run_kg("load", "ladybug", str(tmp_path / "db.lbug"), "--from", str(files["nquads"]))
    assert result.returncode == 0, result.stderr
    assert f"loaded {graph.number_of_nodes()} nodes" in result.stdout.decode()


# -- triple stores and validators --------------------------------------------------------------------


def test_riot_validates_every_rdf_format(exported, tmp_path_factory) -> None:
    """Apache Jena's riot (strict, checking) accepts each RDF file and counts what pyoxigraph counts."""
    _, files = exported
    command, reason = riot_command(str(tmp_path_factory.mktemp("jena")))
    if command is None:
        pytest.skip(reason)
    for fmt, suffix in RDF_SUFFIXES.items():
        # Debian's Jena lacks a Jakarta JSON-P provider, which its JSON-LD 1.1 reader needs; the JSON-LD 1.0
        # reader (jsonld-java) reads our file, which uses nothing from 1.1.
        syntax = ["--syntax=jsonld10"] if fmt == "jsonld" and shutil.which("riot") is None else []
        # --strict --check --count: what --validate checks (syntax, IRIs, literals), and the count.
        result = subprocess.run([*command, "--strict", "--check", "--count", *syntax, str(files[fmt])],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0 and "ERROR" not in result.stderr and "WARN" not in result.stderr, (
            fmt, result.stderr[-2000:])
        number = re.search(r"(Triples|Quads)\s*=\s*([\d,]+)", result.stdout + result.stderr)
        assert number, result.stdout + result.stderr
        expected = len(set(ox.parse(path=str(files[fmt]), format={
            ".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS,
            ".jsonld": ox.RdfFormat.JSON_LD}[suffix])))
        assert int(number.group(2).replace(",", "")) == expected, fmt


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads"])
def test_rapper_and_rdflib_accept(exported, fmt: str) -> None:
    _, files = exported
    path = files[fmt]
    oxigraph = len(set(ox.parse(path=str(path), format={".ttl": ox.RdfFormat.TURTLE, ".trig": ox.RdfFormat.TRIG,
                                                        ".nq": ox.RdfFormat.N_QUADS}[path.suffix])))
    dataset = rdflib.Dataset()
    dataset.parse(str(path), format={"turtle": "turtle", "trig": "trig", "nquads": "nquads"}[fmt])
    assert len(set(dataset.quads((None, None, None, None)))) == oxigraph
    if shutil.which("rapper") is None:
        pytest.skip("rapper not installed (Debian raptor2-utils); rdflib and pyoxigraph checked")
    result = subprocess.run(["rapper", "-i", fmt, "-c", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "error" not in result.stderr.lower(), result.stderr
    assert f"returned {oxigraph} triples" in result.stderr


@pytest.mark.parametrize("fmt", list(RDF_SUFFIXES))
def test_shacl_conforms(exported, fmt: str) -> None:
    """Every RDF export conforms to kg/shapes.ttl."""
    violations = validate_file(exported[1][fmt])
    assert violations == [], [str(v) for v in violations[:5]]


def test_kg_validate_names_a_violation(exported, tmp_path: Path) -> None:
    """`kg validate` exits 0 on a good file, 1 on a broken one, naming the focus node, property and rule."""
    _, files = exported
    good = run_kg("validate", str(files["nquads"]))
    assert good.returncode == 0, good.stderr
    assert b"conforms" in good.stdout
    broken = tmp_path / "broken.nq"
    text = files["nquads"].read_text(encoding="utf-8")
    text = re.sub(r'(<http://xmlns.com/foaf/0.1/accountName> )"', r'\1"@', text, count=1)
    broken.write_text(text, encoding="utf-8")
    bad = run_kg("validate", str(broken))
    assert bad.returncode == 1
    assert b"Violation" in bad.stdout and b"foaf:accountName" in bad.stdout and b"kgsh:Account" in bad.stdout


def test_jsonld_reads_as_plain_json(exported) -> None:
    """JSON-LD with an embedded schema.org-based @context: schema.org terms are plain keys."""
    _, files = exported
    data = json.loads(files["jsonld"].read_text(encoding="utf-8"))
    context = data["@context"]
    assert context["@vocab"] == "https://schema.org/"
    nodes = []

    def walk(item: object) -> None:
        if isinstance(item, dict):
            nodes.append(item)
            walk(item.get("@graph", []))
        elif isinstance(item, list):
            for element in item:
                walk(element)

    walk(data)
    people = [n for n in nodes if n.get("type") == "Person"]
    assert people and all(isinstance(p["name"], str) and p["id"].startswith("https://") for p in people)
    # FOAF/SIOC and kg: terms read as plain keys too, not "foaf:accountName".
    accounts = [n for n in nodes if "OnlineAccount" in (n.get("type") or [])]
    assert accounts and all(isinstance(a["accountName"], str) for a in accounts)
    statements = [n for n in nodes if n.get("type") == "Statement"]
    assert statements and all("evidence" in st and "confidence" in st for st in statements)
    assert not any(":" in key and not key.startswith("@") for n in nodes for key in n)
