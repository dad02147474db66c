"""Property test: any Unicode text extracts without an exception and exports parseable files.

For arbitrary text (plus strategies aimed at the tokenizer and the byline/post rules: control
characters, emoji, right-to-left scripts, 10k-character tokens, unbalanced brackets and dashes,
fake bylines, runs of ``@`` and ``#``), ``kg.extract`` must return a graph whose N-Quads and Turtle
parse in rdflib and pyoxigraph (same statement counts) and whose GraphML loads in networkx.
"""
from __future__ import annotations

import io

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kg
from kg.export import export
from kg.extract import cached_pipeline
from kg.graph import document_iri
from kg.vocab import DEFAULT_BASE

# -- strategies ----------------------------------------------------------------------------------

CONTROL = st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs"]), min_size=1, max_size=8)
EMOJI = st.sampled_from(["🚇", "👍🏽", "👨‍👩‍👧", "🇺🇸", "❤️", "🔥🔥🔥", "\u200d", "\ufe0f"])
RTL = st.sampled_from([
    "مرحبا بالعالم", "قال محمد علي في القاهرة", "שלום עולם", "דוד כהן אמר בירושלים", "\u202eevil\u202c",
    "(@אבי) מאי 1, 2020", "— أحمد (@ahmad) May 1, 2020",
])
BRACKETS = st.text(st.sampled_from("()[]{}<>«»\"'“”‘’—–-‐‑…/\\|"), min_size=1, max_size=12)
HANDLE = st.from_regex(r"[A-Za-z0-9_]{0,16}", fullmatch=True)
NAME = st.sampled_from(["Jane Roe", "J", "Dr. Jean-Luc O'Neil", "Ana María Ruiz", "ACME", "李小龙", ""])
MONTH = st.sampled_from(["May", "January", "Sept.", "Foo", "March"])
BYLINE = st.builds(
    lambda text, dash, name, handle, month, day, year: f"{text} {dash} {name} (@{handle}) {month} {day}, {year}",
    st.text(max_size=40), st.sampled_from(["—", "--", "-", "–", ""]), NAME, HANDLE, MONTH,
    st.integers(0, 40), st.integers(0, 9999),
)
MARKS = st.builds(lambda mark, n, word: mark * n + word, st.sampled_from(["@", "#", "@#", "#@"]),
                  st.integers(1, 30), st.from_regex(r"\w{0,12}", fullmatch=True))
LONG_TOKEN = st.builds(lambda char, n: char * n, st.sampled_from(["a", "A", "@", "#", "-", "é", "Ж", "1"]),
                       st.integers(5_000, 10_000))
WORDS = st.sampled_from(["Maria Delgado", "said", "Harbor City", "on Friday", "2020-05-01", "yesterday",
                         "Acme Corp", "the CEO of", "in Paris", ",", ".", "\n\n", "date 2020-01-01\n"])
FRAGMENT = st.one_of(st.text(max_size=30), CONTROL, EMOJI, RTL, BRACKETS, BYLINE, MARKS, WORDS)
MIXED = st.lists(FRAGMENT, max_size=12).flatmap(
    lambda parts: st.sampled_from([" ", "", "\n", " — "]).map(lambda sep: sep.join(parts)))
WITH_LONG = st.builds(lambda before, token, after: f"{before} {token} {after}", MIXED, LONG_TOKEN, MIXED)
HEADER = st.builds(lambda date, body: f"date {date}\n{body}", st.dates().map(str), MIXED)
TEXTS = st.one_of(st.text(), MIXED, MIXED, BYLINE, HEADER, WITH_LONG)
#: Document ids without spaces: an id with a space is a known bug, pinned by test_exports.py.
DOC_IDS = st.one_of(st.just("doc"), st.text(st.characters(exclude_characters=" "), min_size=1, max_size=12))

# -- helpers -------------------------------------------------------------------------------------


def serialize(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    buffer = io.BytesIO()
    export(graph, fmt, buffer)
    return buffer.getvalue()


def check_rdf(graph: nx.MultiDiGraph) -> None:
    """N-Quads and Turtle parse in rdflib and pyoxigraph to the same number of statements."""
    nquads = serialize(graph, "nquads")
    quads = list(ox.parse(nquads, ox.RdfFormat.N_QUADS))
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    assert len(set(dataset.quads((None, None, None, None)))) == len(quads) > 0

    turtle = serialize(graph, "turtle")
    triples = list(ox.parse(turtle, ox.RdfFormat.TURTLE))
    parsed = rdflib.Graph()
    parsed.parse(data=turtle, format="turtle")
    assert len(parsed) == len(triples) == len({(q.subject, q.predicate, q.object) for q in quads})


def check_named_graph(graph: nx.MultiDiGraph, doc_id: str) -> None:
    """One document: every quad lies in that document's named graph (lone surrogates in ids become U+FFFD)."""
    clean_id = "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in doc_id)
    expected = document_iri(DEFAULT_BASE, clean_id)
    assert graph.nodes[expected]["identifier"] == clean_id
    quads = ox.parse(serialize(graph, "nquads"), ox.RdfFormat.N_QUADS)
    assert {q.graph_name.value for q in quads} == {expected}


def check_graphml(graph: nx.MultiDiGraph) -> None:
    """GraphML loads in networkx with the same node and edge counts."""
    loaded = nx.read_graphml(io.BytesIO(serialize(graph, "graphml")))
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (graph.number_of_nodes(), graph.number_of_edges())


@pytest.fixture(scope="module")
def nlp():
    return cached_pipeline()


# -- the property --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=TEXTS, doc_id=DOC_IDS)
@example(text="Contact 0{@0 now", doc_id="doc")  # found by hypothesis: account IRI .../account/twitter/0{@0
@example(text="0%@0", doc_id="doc")  # found by hypothesis: account IRI with a bad percent escape
@example(text="Jane \ud800 Roe", doc_id="\udc00")  # lone surrogates (JSON escapes) crashed spaCy
def test_any_text_extracts_and_exports(nlp, text: str, doc_id: str) -> None:
    """No exception for any text; exports parse back (the only allowed error: an impossible date header)."""
    try:
        graph = kg.extract(text, doc_id=doc_id, nlp=nlp)
    except kg.InputError as err:  # an impossible "date YYYY-MM-DD" header is reported, not crashed on
        assert err.skipped is False and "date header" in err.message
        return
    assert graph.number_of_nodes() >= 1
    check_rdf(graph)
    check_named_graph(graph, doc_id)
    check_graphml(graph)
    for fmt in ("trig", "jsonld", "gexf", "json"):  # the other writers must not raise either
        assert serialize(graph, fmt)
