"""SHACL validation of RDF exports against kg's shapes (``kg/shapes.ttl``), with pySHACL.

``kg validate FILE...`` is how a user, or CI, proves an export still matches the data model
after a change to the extractor or an exporter: it names each violation (focus node, property,
message) and exits non-zero if there is one. The shapes apply to the union of the named graphs.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import rdflib
from rdflib.namespace import SH

RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld"}


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    shape: str

    def __str__(self) -> str:
        return f"{self.severity}: <{self.focus}> {self.path}: {self.message} (shape {self.shape})"


def shapes_graph() -> rdflib.Graph:
    """kg's SHACL shapes, shipped as package data."""
    graph = rdflib.Graph()
    graph.parse(data=resources.files("kg").joinpath("shapes.ttl").read_text(encoding="utf-8"), format="turtle")
    return graph


def data_graph(path: str | Path) -> rdflib.Graph:
    """The union of every graph in an RDF file; JSON-LD contexts are embedded, nothing is fetched."""
    path = Path(path)
    fmt = RDFLIB_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file type (use {', '.join(RDFLIB_FORMATS)})")
    dataset = rdflib.Dataset()
    dataset.parse(str(path), format=fmt)
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _short(term: object, graph: rdflib.Graph) -> str:
    if isinstance(term, rdflib.URIRef):
        return graph.namespace_manager.normalizeUri(term)
    return str(term) if term is not None else ""


def validate_graph(data: rdflib.Graph, shapes: rdflib.Graph | None = None) -> list[Violation]:
    """Every SHACL result (violations, warnings) of ``data`` against kg's shapes; [] means it conforms."""
    from pyshacl import validate

    shapes = shapes if shapes is not None else shapes_graph()
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
    for prefix, namespace in shapes.namespaces():
        report.bind(prefix, namespace, override=False)
    violations = []
    for result in report.subjects(rdflib.RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        if isinstance(shape, rdflib.BNode):  # a property shape: name the node shape that holds it
            shape = shapes.value(predicate=SH.property, object=shape) or shape
        message = report.value(result, SH.resultMessage) or report.value(result, SH.sourceConstraintComponent)
        violations.append(Violation(
            focus=str(report.value(result, SH.focusNode)),
            path=_short(report.value(result, SH.resultPath), report),
            message=str(message),
            severity=_short(report.value(result, SH.resultSeverity), report).replace("sh:", ""),
            shape=_short(shape, report)))
    return sorted(violations, key=str)


def validate_file(path: str | Path) -> list[Violation]:
    return validate_graph(data_graph(path))
