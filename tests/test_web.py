"""The web page in a real browser: Debian's chromium driven by Playwright against a real `kg serve`.

Screenshots go to test-artifacts/web/ (gitignored). Skipped with the reason when chromium or
Playwright is missing (.ci/run installs chromium when it can); no browser is ever downloaded.
"""
from __future__ import annotations

import os
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import EXAMPLE
from kgserver import ROOT, Server

CHROMIUM = Path(os.environ.get("KG_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts" / "web"
TOKEN = "web-token"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run the browser "
                "tests", allow_module_level=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    store = tmp_path_factory.mktemp("web") / "store"
    with Server(store, "--max-body", "100000", token=TOKEN) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
    page.on("request", lambda req: None if req.url.startswith((server.url, "blob:", "data:"))
            else errors.append(f"off-site request: {req.url}"))
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    yield page
    context.close()
    assert not errors, errors


def extract_example(page) -> None:
    """The main path by keyboard: paste the article, Tab to Extract, press Enter."""
    page.fill("#text", EXAMPLE.read_text("utf-8"))
    page.fill("#doc-id", "harbor")
    page.focus("#doc-id")
    for _ in range(6):  # the date field's day, month and year parts are tab stops of their own
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "extract-button":
            break
    assert page.evaluate("document.activeElement.id") == "extract-button"
    page.keyboard.press("Enter")
    page.wait_for_selector("#extract-canvas[data-ready=true]", timeout=30_000)


def click_node(page, iri: str) -> None:
    """Clicks a node where vis-network draws it on the canvas."""
    page.locator("#extract-canvas").scroll_into_view_if_needed()
    point = page.evaluate("""(iri) => {
        const net = window.Kg.graph.network, p = net.canvasToDOM(net.getPositions([iri])[iri]);
        const box = document.querySelector('#extract-canvas canvas').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", iri)
    page.mouse.click(point["x"], point["y"])


def test_article_view_matches_the_api(page, server):
    api = httpx.post(server.url + "/annotate", json={"text": EXAMPLE.read_text("utf-8"), "id": "harbor"},
                     timeout=60).json()
    extract_example(page)
    marks = page.locator("#article mark.mention")
    assert marks.count() == len(api["mentions"]) > 20
    assert [m["text"] for m in api["mentions"]] == marks.all_inner_texts()
    assert page.locator("#article").inner_text() == api["text"]
    kinds = {m["kind"] for m in api["mentions"]}
    assert kinds == {"person", "organization", "place", "account", "date"}
    assert page.evaluate("window.Kg.graph.nodeCount()") == len(api["graph"]["nodes"])
    mention_iris = {m["iri"] for m in api["mentions"] if m["iri"]}
    assert mention_iris <= {n["id"] for n in api["graph"]["nodes"]}
    assert page.locator("#relations tbody tr").count() == len(api["graph"]["relations"])
    page.screenshot(path=ARTIFACTS / "article-1280x800.png", full_page=True)

    maria = "https://kg.example/id/person/maria-delgado"
    click_node(page, maria)
    details = page.locator("#extract-details")
    details.locator("li.relation").first.wait_for()
    assert "Maria Delgado" in details.locator("h3").inner_text()
    assert "works for" in details.inner_text() and "Harbor City Transit Authority" in details.inner_text()
    assert "a spokeswoman for the Harbor City Transit Authority" in details.locator("blockquote").first.inner_text()
    page.locator("#extract-graph").screenshot(path=ARTIFACTS / "graph-node-clicked.png")
    page.select_option("#extract-node", "https://kg.example/id/person/priya-raman")  # the keyboard path
    assert "lives in → Portland" in details.inner_text()

    page.locator("#article mark.k-person").first.hover()
    assert "https://kg.example/id/" in page.locator("#mention-info").inner_text()

    with page.expect_download() as info:
        page.click("button[data-format=turtle]")
    path = ARTIFACTS / "harbor.ttl"
    info.value.save_as(path)
    assert info.value.suggested_filename == "harbor.ttl"
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert any(t.object.value == "Lena Fischer" for t in triples)


def test_store_view_and_sparql(page, server):
    extract_example(page)
    page.click("#save-button")
    assert "API token" in page.locator("#download-error").inner_text()
    page.fill("#token", TOKEN)
    page.click("#save-button")
    page.wait_for_selector("#save-status:has-text('document harbor')")
    httpx.post(server.url + "/documents", json={"id": "acme", "text": "Jane Roe, a spokeswoman for Acme Corp, said "
               "Acme Corp is based in Austin."}, headers=server.auth, timeout=60).raise_for_status()

    page.focus("#tab-extract")
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("#documents tbody tr:has-text('harbor')")
    assert page.locator("#documents tbody tr").count() == 2
    for doc_id in ("acme", "harbor"):
        page.check(f"input[aria-label='Select document {doc_id}']")
    page.click("#merge-button")
    page.wait_for_selector("#store-canvas[data-ready=true]", timeout=30_000)
    merged = page.evaluate("window.KgStore.graph.nodeCount()")
    assert merged > 19

    page.select_option("#example", label="Who works where (with evidence)")
    page.click("#run-query")
    page.wait_for_selector("#sparql-status:has-text('rows')")
    table = page.locator("#sparql-results")
    assert table.locator("tbody tr").count() >= 3
    assert "Jane Roe" in table.inner_text() and "Maria Delgado" in table.inner_text()
    page.select_option("#example", label="People and their accounts")
    page.click("#run-query")
    page.wait_for_function("document.querySelector('#sparql-results').innerText.includes('lenafischer_pdx')")
    with page.expect_download() as info:
        page.click("#download-csv")
    csv = Path(info.value.path()).read_text("utf-8").splitlines()
    assert csv[0].strip() == "person,handle" and any("samokafor" in line for line in csv)
    page.screenshot(path=ARTIFACTS / "store-1280x800.png", full_page=True)

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[aria-label='Delete document acme']")
    page.wait_for_function("document.querySelectorAll('#documents tbody tr').length === 1")
    assert httpx.get(server.url + "/documents").json()["total"] == 1


def test_errors_are_shown_on_the_page(page, server):
    page.click("#extract-button")
    assert "no text" in page.locator("#extract-error").inner_text()
    page.fill("#text", "x" * 150_000)
    page.click("#extract-button")
    assert "too large" in page.locator("#extract-error").inner_text()
    page.route("**/annotate", lambda route: route.fulfill(status=500, content_type="application/json",
                                                            body='{"detail": "the pipeline crashed"}'))
    page.fill("#text", "Jane Roe works for Acme Corp.")
    page.click("#extract-button")
    page.wait_for_selector("#extract-error:has-text('Server error')")
    assert "the pipeline crashed" in page.locator("#extract-error").inner_text()


def test_phone_viewport(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    extract_example(page)
    assert page.evaluate("document.activeElement.id") == "h-article", "focus moves to the result"
    assert page.evaluate("window.scrollY") > 500, page.evaluate("window.scrollY")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling of the page"
    page.screenshot(path=ARTIFACTS / "article-390x844.png")
    page.screenshot(path=ARTIFACTS / "article-390x844-full.png", full_page=True)
    context.close()
