"""The service over real HTTP: a `kg serve` process on a loopback port, httpx and SPARQLWrapper as clients."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
from conftest import EXAMPLE
from kgserver import ROOT, Server, free_port
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

TOKEN = "s3cret-token"
ACME_1 = "Jane Roe, a spokeswoman for Acme Corp, said the outage ended on Tuesday."
ACME_2 = "Acme Corp hired Dev Patel last year. Dev Patel works for Acme Corp in Austin, Texas."
RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("service") / "store"
    with Server(store, "--max-body", "200000", "--query-timeout", "2", token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=60) as http:
        for doc_id, text in (("a1", ACME_1), ("a2", ACME_2)):
            response = http.post("/documents", json={"id": doc_id, "text": text, "date": "2024-03-15"},
                                 headers=server.auth)
            assert response.status_code in (200, 201), response.text
        yield http


def parse_rdf(data: bytes, media: str) -> list:
    return list(ox.parse(data, format=ox.RdfFormat.from_media_type(media)))


@pytest.mark.parametrize("media", ["text/turtle", "application/trig", "application/n-quads", "application/ld+json",
                                   "application/graphml+xml", "application/gexf+xml", "application/json"])
def test_extract_negotiates_every_format(client, media):
    response = client.post("/extract", content=EXAMPLE.read_bytes(), headers={
        "Content-Type": "text/plain; charset=utf-8", "Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    if media in ("text/turtle", "application/trig", "application/n-quads"):
        assert any(q.object.value == "Lena Fischer" for q in parse_rdf(response.content, media))
    elif "json" in media:
        assert "Lena Fischer" in json.dumps(response.json())
    else:
        assert "Lena Fischer" in ET.tostring(ET.fromstring(response.content), encoding="unicode")


def test_extract_json_in_format_param_and_406(client):
    response = client.post("/extract?format=nquads", json={"text": ACME_1, "id": "x", "date": "2024-01-02"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/n-quads")
    assert b"https://kg.example/id/doc/x" in response.content
    assert client.post("/extract", json={"text": ACME_1}, headers={"Accept": "image/png"}).status_code == 406
    assert client.post("/extract?format=pdf", json={"text": ACME_1}).status_code == 400
    assert client.get("/documents").json()["total"] == 2, "/extract stores nothing"


@pytest.mark.parametrize(("body", "content_type", "status", "message"), [
    (b"{not json", "application/json", 400, "invalid JSON"),
    (b"[1, 2]", "application/json", 422, "expected a JSON object"),
    (b'{"id": "x"}', "application/json", 422, "field 'text' is missing"),
    (b'{"text": "   "}', "application/json", 422, "empty text"),
    (b"", "text/plain", 422, "empty request body"),
    (b"caf\xe9 au lait", "text/plain", 400, "invalid UTF-8 at byte 3"),
    (b'{"text": "Jane Roe", "date": "someday"}', "application/json", 422, "not an ISO date"),
    (b"<text>hi</text>", "application/xml", 415, "unsupported Content-Type"),
    (b"hello", "text/plain; charset=latin-1", 415, "unsupported charset"),
])
def test_bad_input_is_4xx_with_message(client, server, body, content_type, status, message):
    for path in ("/extract", "/documents"):
        response = client.post(path, content=body, headers={"Content-Type": content_type, **server.auth})
        assert response.status_code == status, (path, response.text)
        assert message in response.json()["detail"]


def test_body_limit_413(client, server):
    big = b"word " * 50_000  # 250 kB > the 200 kB limit of this server
    for path in ("/extract", "/documents"):
        response = client.post(path, content=big, headers={"Content-Type": "text/plain", **server.auth})
        assert response.status_code == 413 and "limit is 200,000 bytes" in response.json()["detail"]

    def chunks():
        for _ in range(50):
            yield b"word " * 1000

    response = client.post("/extract", content=chunks(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 413, "a streamed (chunked) body is counted too"


def test_writes_need_the_token(client, server):
    doc = {"id": "t", "text": ACME_1}
    assert client.post("/documents", json=doc).status_code == 401
    wrong = client.post("/documents", json=doc, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and "KG_API_TOKEN" in wrong.json()["detail"]
    assert client.delete("/documents/a1").status_code == 401
    assert client.get("/documents").status_code == 200, "reads need no token"


def test_documents_lifecycle(client, server):
    created = client.post("/documents?id=life&date=2024-02-01", content=ACME_2.encode(),
                          headers={"Content-Type": "text/plain", **server.auth})
    assert created.status_code == 201 and created.json()["id"] == "life" and created.json()["triples"] > 10
    replaced = client.post("/documents", json={"id": "life", "text": ACME_2}, headers=server.auth)
    assert replaced.status_code == 200 and replaced.json()["replaced"] is True
    info = client.get("/documents/life").json()
    assert info["triples"] == replaced.json()["triples"] and info["date"] is None
    turtle = client.get("/documents/life", headers={"Accept": "text/turtle"})
    assert any(t.object.value == "Dev Patel" for t in parse_rdf(turtle.content, "text/turtle"))
    assert client.delete("/documents/life", headers=server.auth).status_code == 204
    assert client.get("/documents/life").status_code == 404
    assert client.delete("/documents/life", headers=server.auth).status_code == 404


def test_json_lines_and_paging(client, server):
    lines = "\n".join(json.dumps({"id": f"batch-{i}", "text": f"Jane Roe{i} works for Acme Corp."}) for i in range(3))
    response = client.post("/documents", content=lines.encode(),
                           headers={"Content-Type": "application/x-ndjson", **server.auth})
    assert response.status_code == 200 and response.json()["count"] == 3
    bad = client.post("/documents", content=b'{"id": "z", "text": "ok"}\n{oops\n',
                      headers={"Content-Type": "application/x-ndjson", **server.auth})
    assert bad.status_code == 400 and bad.json()["detail"].startswith("line 2: invalid JSON")
    assert client.get("/documents/z").status_code == 404, "a bad batch stores nothing"
    page = client.get("/documents", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == 5 and [d["id"] for d in page["documents"]] == ["a2", "batch-0"]
    assert client.get("/documents", params={"limit": 0}).status_code == 422
    for i in range(3):
        assert client.delete(f"/documents/batch-{i}", headers=server.auth).status_code == 204


def test_delete_keeps_shared_entities(client, server):
    client.post("/documents", json={"id": "shared", "text": ACME_2}, headers=server.auth)
    query = "ASK { <https://kg.example/id/org/acme-corp> schema:name 'Acme Corp' }"
    client.delete("/documents/shared", headers=server.auth)
    assert client.get("/sparql", params={"query": query}).json()["boolean"] is True


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "jsonld", "graphml", "gexf", "json"])
def test_whole_graph_every_format(client, fmt):
    from kg.export import FORMATS

    response = client.get("/graph", headers={"Accept": FORMATS[fmt].media_type})
    assert response.status_code == 200 and b"Acme Corp" in response.content
    assert response.headers["content-type"].startswith(FORMATS[fmt].media_type)
    assert client.get(f"/graph?format={fmt}").content[:200] == response.content[:200]


def test_entities(client):
    found = {e["iri"]: e for e in client.get("/entities", params={"q": "ACME"}).json()["entities"]}
    acme = found["https://kg.example/id/org/acme-corp"]
    assert acme["kind"] == "organization" and "Acme Corp" in acme["names"] and acme["documents"] >= 2
    handles = client.get("/entities", params={"q": "@devpatel"}).json()["entities"]
    assert handles == [] or all(e["kind"] == "account" for e in handles)
    assert client.get("/entities").status_code == 422


def sparql(server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    wrapper = SPARQLWrapper(server.url + "/sparql")
    wrapper.setQuery(query)
    wrapper.setReturnFormat(fmt)
    wrapper.setMethod(method)
    return wrapper


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparql_with_sparqlwrapper(client, server, method):
    query = "PREFIX schema: <https://schema.org/> SELECT ?name WHERE { ?o a schema:Organization ; schema:name ?name }"
    rows = sparql(server, query, JSON, method).queryAndConvert()["results"]["bindings"]
    assert {"type": "literal", "value": "Acme Corp"} in [r["name"] for r in rows]
    xml = sparql(server, query, XML, method).queryAndConvert()
    assert "Acme Corp" in xml.toxml()
    assert b"Acme Corp" in sparql(server, query, CSV, method).queryAndConvert()
    assert b"Acme Corp" in sparql(server, query, TSV, method).queryAndConvert()
    ask = sparql(server, "ASK { ?s ?p ?o }", JSON, method).queryAndConvert()
    assert ask["boolean"] is True
    graph = sparql(server, "CONSTRUCT { ?o <urn:n> ?name } WHERE { ?o schema:name ?name }", TURTLE, method)
    assert "Acme Corp" in graph.queryAndConvert().decode()


def test_sparql_protocol_forms(client):
    query = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    direct = client.post("/sparql", content=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "text/csv"})
    form = client.post("/sparql", data={"query": query}, headers={"Accept": "text/tab-separated-values"})
    get = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+xml"})
    count = direct.text.split()[1]
    assert int(count) > 20 and count in form.text.split()[1] and count in get.text
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s a schema:Organization ; ?p ?o }"
    for media in ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"):
        response = client.get("/sparql", params={"query": construct}, headers={"Accept": media})
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert parse_rdf(response.content, media)
    assert client.get("/sparql", params={"query": "SELECT * {"}).status_code == 400
    assert client.get("/sparql").status_code == 400
    assert client.get("/sparql", params={"query": query}, headers={"Accept": "image/png"}).status_code == 406


def test_sparql_update_refused(client, server):
    insert = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    assert client.post("/sparql", data={"update": insert}).status_code == 403
    headers = {"Content-Type": "application/sparql-update"}
    assert client.post("/sparql", content=insert, headers=headers).status_code == 403
    refused = client.get("/sparql", params={"query": insert})
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    with pytest.raises(Exception, match="403|read-only|Forbidden"):  # SPARQLWrapper sends update= for INSERT
        sparql(server, insert, JSON, "POST").query()
    assert client.get("/sparql", params={"query": "ASK { <urn:a> ?p ?o }"}).json()["boolean"] is False


def test_sparql_timeout_stops_runaway_query(client):
    started = time.monotonic()
    response = client.get("/sparql", params={"query": RUNAWAY})
    assert response.status_code == 503 and "timed out after 2 s" in response.json()["detail"]
    assert time.monotonic() - started < 8
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    assert "kg_sparql_timeouts_total 1" in client.get("/metrics").text


def test_health_metrics_and_offline_docs(client):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["documents"] >= 2 and health["triples"] > 0
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'kg_http_requests_total{method="POST",route="/documents",status="201"}' in metrics.text
    assert "kg_http_request_duration_seconds_bucket" in metrics.text and "kg_documents " in metrics.text
    page = client.get("/docs").text
    assert "cdn" not in page.lower() and "/static/docs/swagger-ui-bundle.js" in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert client.get(f"/static/docs/{asset}").status_code == 200
    assert "/static/docs/redoc.standalone.js" in client.get("/redoc").text
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/extract", "/documents", "/documents/{doc_id}", "/sparql", "/graph", "/entities", "/health",
            "/metrics"} <= set(paths)


def test_acknowledged_documents_survive_kill_9(tmp_path):
    """Posts documents while the server is SIGKILLed mid-ingest; every 2xx document is there after restart."""
    store = tmp_path / "store"
    acknowledged: list[str] = []
    first = Server(store).start()

    def post_forever() -> None:
        with httpx.Client(base_url=first.url, timeout=30) as http:
            for i in range(1000):
                try:
                    response = http.post("/documents", json={"id": f"d{i}", "text": f"{ACME_2} Item {i}."})
                except httpx.HTTPError:
                    return
                if response.status_code in (200, 201):
                    acknowledged.append(f"d{i}")

    poster = threading.Thread(target=post_forever)
    poster.start()
    while len(acknowledged) < 8:
        time.sleep(0.05)
    first.kill()
    poster.join(30)
    assert 8 <= len(acknowledged) < 1000
    with Server(store, log=tmp_path / "second.log") as second, httpx.Client(base_url=second.url) as http:
        for doc_id in acknowledged:
            assert http.get(f"/documents/{doc_id}").status_code == 200, doc_id
        assert http.get("/documents", params={"limit": 1000}).json()["total"] >= len(acknowledged)
        assert http.post("/documents", json={"id": "after", "text": ACME_1}).status_code == 201


def test_public_host_without_token_warns(tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--host", "0.0.0.0", "--port",
                                str(free_port()), "--store", str(tmp_path / "s")], cwd=ROOT, stderr=subprocess.PIPE,
                               env={k: v for k, v in os.environ.items() if k != "KG_API_TOKEN"})
    try:
        assert b"without KG_API_TOKEN" in process.stderr.readline()
    finally:
        process.kill()
        process.wait()


def test_web_page_annotations_and_selection_graph(client):
    """What the web page needs (tests/test_web.py drives the page itself in a browser)."""
    page = client.get("/")
    assert page.status_code == 200 and 'id="extract-form"' in page.text
    assert client.get("/static/vis/vis-network.min.js").status_code == 200, "vis-network from the pyvis package"
    assert client.get("/static/app/app.js").status_code == 200
    assert client.get("/ui/config").json()["tokenRequired"] is True
    body = client.post("/annotate", content="date 2024-03-15\n" + ACME_1,
                       headers={"Content-Type": "text/plain"}).json()
    assert body["offset"] == 16 and body["text"] == ACME_1 and body["date"] == "2024-03-15"
    assert [(m["text"], m["kind"]) for m in body["mentions"]] == [
        ("Jane Roe", "person"), ("Acme Corp", "organization"), ("Tuesday", "date")]
    assert {n["id"] for n in body["graph"]["nodes"]} == {m["iri"] for m in body["mentions"] if m["iri"]}
    assert client.post("/annotate", json={"text": " "}).status_code == 422
    merged = client.get("/graph/documents", params=[("id", "a1"), ("id", "a2")]).json()["graph"]
    names = {n["label"] for n in merged["nodes"]}
    assert {"Jane Roe", "Acme Corp", "Dev Patel"} <= names
    assert any(r["label"] == "works for" and r["document"] == "a2" for r in merged["relations"])
    assert client.get("/graph/documents", params={"id": "nope"}).status_code == 404
