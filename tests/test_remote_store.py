"""kg against an external SPARQL 1.1 store: Virtuoso (Debian virtuoso-opensource) started on loopback."""
from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from kgserver import Server, free_port

import kg
from kg.query import QueryError

VIRTUOSO, ISQL = shutil.which("virtuoso-t"), shutil.which("isql-vt")
INI = Path("/usr/share/virtuoso-opensource-7/virtuoso.ini")
pytestmark = pytest.mark.skipif(not (VIRTUOSO and ISQL and INI.exists()),
                                reason="Virtuoso is not installed (apt-get install virtuoso-opensource)")
ACME_1 = "Jane Roe, a spokeswoman for Acme Corp, said the outage ended on Tuesday."
ACME_2 = "Acme Corp hired Dev Patel last year. Dev Patel works for Acme Corp in Austin, Texas."


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    """A throw-away Virtuoso in a temp folder on free loopback ports; SPARQL Update granted to SPARQL."""
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = INI.read_text().replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    ini = re.sub(r"(?m)^ServerPort(\s*)= 1111", rf"ServerPort\g<1>= 127.0.0.1:{sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort(\s*)= 8890", rf"ServerPort\g<1>= 127.0.0.1:{http_port}", ini)
    ini = re.sub(r"(?m)^(Load\d+\s*=)", r";\1", ini)  # no hosting plugins
    (folder / "virtuoso.ini").write_text(ini)
    log = (folder / "out.log").open("wb")
    process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder,
                               stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.skip(f"Virtuoso did not start: {(folder / 'out.log').read_text()[-500:]}")
            time.sleep(0.3)
        subprocess.run([ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                       check=True, capture_output=True, timeout=30)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_remote_store_api(virtuoso, nlp):
    from kg.remote_store import RemoteGraphStore

    store = RemoteGraphStore(virtuoso)
    try:
        for doc_id in ("r1", "r2"):
            store.delete_document(doc_id)
        first = store.replace_document("r1", kg.extract(ACME_1, doc_id="r1", date="2024-03-15", nlp=nlp))
        assert store.replace_document("r1", kg.extract(ACME_1, doc_id="r1", date="2024-03-15", nlp=nlp)) == first
        store.replace_document("r2", kg.extract(ACME_2, doc_id="r2", nlp=nlp))
        assert store.has_document("r1") and store.count_documents() == 2
        assert store.document("r1") == {"id": "r1", "iri": "https://kg.example/id/doc/r1", "date": "2024-03-15",
                                        "triples": first}
        assert [d["id"] for d in store.documents()] == ["r1", "r2"]
        assert store.count_triples() == first + store.document("r2")["triples"]
        acme = [e for e in store.find_entities("acme") if e["kind"] == "organization"]
        assert acme and acme[0]["documents"] == 2
        assert store.delete_document("r2") and not store.has_document("r2")
        names = store.query("SELECT ?n WHERE { <https://kg.example/id/org/acme-corp> schema:name ?n }").table()
        assert names == (["n"], [["Acme Corp"]]), "r1 still describes Acme Corp"
        assert store.query("ASK { ?s schema:name 'Dev Patel' }").table() is False
        with pytest.raises(QueryError):
            store.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    finally:
        store.close()


def test_service_on_virtuoso(virtuoso, tmp_path):
    with Server(tmp_path / "unused", "--sparql-endpoint", virtuoso) as server, \
            httpx.Client(base_url=server.url, timeout=60) as http:
        assert http.post("/documents", json={"id": "v1", "text": ACME_2}).status_code in (200, 201)
        rows = http.get("/sparql", params={"query": "SELECT ?n WHERE { ?p schema:worksFor ?o . ?o schema:name ?n }"},
                        headers={"Accept": "text/csv"})
        assert rows.status_code == 200 and "Acme Corp" in rows.text
        assert b"Dev Patel" in http.get("/graph", headers={"Accept": "application/n-quads"}).content
        assert http.get("/graph?format=graphml").status_code == 406
        assert http.delete("/documents/v1").status_code == 204
