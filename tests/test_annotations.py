"""The annotations view (kg/annotations.py): mentions with offsets, kinds and the graph's IRIs."""
from __future__ import annotations

from conftest import EXAMPLE

from kg.annotations import annotate
from kg.documents import make_document
from kg.extract import analyze
from kg.graph import build_graph


def test_mentions_point_into_the_text_and_at_graph_nodes(nlp):
    document = make_document(EXAMPLE.read_text("utf-8"), "harbor")
    ((_, doc),) = analyze(nlp, [document])
    graph = build_graph(document, doc)
    view = annotate(document, doc, graph)
    mentions = view["mentions"]
    assert view["text"] == document.text and view["offset"] == len("date 2024-03-15\n")
    assert all(view["text"][m["start"]:m["end"]] == m["text"] for m in mentions)
    assert all(a["end"] <= b["start"] for a, b in zip(mentions, mentions[1:], strict=False)), "sorted, no overlaps"
    assert {m["iri"] for m in mentions if m["kind"] != "date"} <= set(graph.nodes)
    by_text = {m["text"]: m for m in mentions}
    assert by_text["Delgado"]["iri"] == "https://kg.example/id/person/maria-delgado"
    assert by_text["Delgado"]["name"] == "Maria Delgado"
    assert by_text["@devpatel88"]["kind"] == "account"
    assert by_text["March 2023"] == {"start": by_text["March 2023"]["start"], "end": by_text["March 2023"]["end"],
                                     "text": "March 2023", "kind": "date", "iri": None, "name": "2023-03",
                                     "datatype": "gYearMonth"}
    assert sum(view["counts"].values()) == len(mentions)
    assert "document" not in {n["kind"] for n in view["graph"]["nodes"]}
    titles = [r for r in view["graph"]["relations"] if r["literal"]]
    assert {(r["subjectLabel"], r["label"], r["objectLabel"]) for r in titles} >= {
        ("Maria Delgado", "job title", "spokeswoman")}
