"""The ``kg extract`` console command, run as a real subprocess (each run loads spaCy, ~3 s).

Checks exit codes (0 ok, 1 nothing read, 2 usage, 4 partial), the messages on stderr, the
summary on stdout and the files written.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg.export import FORMATS

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "harbor-city-outage.txt"
DCTERMS_IDENTIFIER = rdflib.URIRef("http://purl.org/dc/terms/identifier")

# -- helpers -------------------------------------------------------------------------------------


def kg(*args: str | Path, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Runs ``python -m kg.cli`` with ``args``; stdout and stderr are decoded text."""
    result = subprocess.run(
        [sys.executable, "-m", "kg.cli", *map(str, args)],
        input=stdin if stdin is not None else b"", capture_output=True, cwd=cwd or REPO, timeout=300,
    )
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode("utf-8", "replace"),
                                       result.stderr.decode("utf-8", "replace"))


def identifiers(nquads: Path) -> dict[str, str]:
    """``{named graph IRI: dcterms:identifier}`` of an N-Quads file, parsed with rdflib."""
    dataset = rdflib.Dataset()
    dataset.parse(nquads, format="nquads")
    return {str(c): str(o) for _, _, o, c in dataset.quads((None, DCTERMS_IDENTIFIER, None, None))}


# -- tests ---------------------------------------------------------------------------------------


@pytest.mark.skipif(not EXAMPLE.exists(), reason=f"example article missing: {EXAMPLE}")
def test_extract_example_writes_requested_formats(tmp_path: Path) -> None:
    """Exactly the requested files are written, and the summary names entities and outputs."""
    out = tmp_path / "out"
    result = kg("extract", EXAMPLE, "-o", out, "--format", "nquads,graphml")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["harbor-city-outage.graphml", "harbor-city-outage.nq"]
    assert "entities:" in result.stdout and "wrote:" in result.stdout
    assert "1 document(s)" in result.stdout
    assert str(out / "harbor-city-outage.nq") in result.stdout
    assert identifiers(out / "harbor-city-outage.nq") == {
        "https://kg.example/id/doc/harbor-city-outage": "harbor-city-outage"}
    graphml = (out / "harbor-city-outage.graphml").read_text(encoding="utf-8")
    assert "<graphml" in graphml and "Maria Delgado" in graphml


def test_unknown_format_is_usage_error(tmp_path: Path) -> None:
    """``--format nosuch`` exits 2, lists the valid formats and writes nothing."""
    story = tmp_path / "s.txt"
    story.write_text("Jane Roe visited Paris.", encoding="utf-8")
    result = kg("extract", story, "-o", tmp_path / "out", "--format", "nquads,nosuch")
    assert result.returncode == 2
    assert "nosuch" in result.stderr
    assert ",".join(FORMATS) in result.stderr
    assert not (tmp_path / "out").exists()


def test_empty_file_alone(tmp_path: Path) -> None:
    """An empty file as the only input: exit 1, a message naming the file, no output."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = kg("extract", empty, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert f"{empty}: empty file" in result.stderr
    assert "no document could be read" in result.stderr
    assert not (tmp_path / "out").exists()


def test_jsonl_with_one_broken_line_is_partial(tmp_path: Path) -> None:
    """Exit 4; stderr names ``file:line``; both good documents are in the N-Quads output."""
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        json.dumps({"id": "first", "text": "Jane Roe, a spokeswoman for Acme Corp, spoke in Boston."}) + "\n"
        + '{"id": "broken", "text": \n'
        + json.dumps({"text": "date 2021-06-01\nJohn Smith visited Chicago on Monday."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = kg("extract", corpus, "-o", out, "--format", "nquads")
    assert result.returncode == 4, result.stderr
    assert f"{corpus}:2: invalid JSON" in result.stderr
    assert "problems:" in result.stdout
    assert identifiers(out / "corpus.nq") == {
        "https://kg.example/id/doc/first": "first",
        "https://kg.example/id/doc/corpus-3": "corpus-3",
    }


def test_unreadable_files(tmp_path: Path) -> None:
    """Binary, invalid UTF-8 and 5 MB one-line files: exit 1 and a message naming each file."""
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"GIF89a\x00\x01\x00\x01" * 100)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(b"Caf\xe9 de Flore, Paris.\n")
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"x" * 5_000_000)
    result = kg("extract", binary, latin1, huge, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert f"{binary}: binary file" in result.stderr
    assert f"{latin1}:1: invalid UTF-8 at byte 3" in result.stderr
    assert f"{huge}: document too long" in result.stderr
    assert "(3 problems above)" in result.stderr
    assert not (tmp_path / "out").exists()


def test_stdin_plain_text(tmp_path: Path) -> None:
    """``-`` reads plain text from stdin; the export is named ``graph`` and the document ``stdin``."""
    out = tmp_path / "out"
    text = "date 2023-04-05\nMaria Delgado, a spokeswoman for Acme Corp, spoke in Seattle."
    result = kg("extract", "-", "-o", out, "--format", "nquads", stdin=text.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    assert "1 document(s)" in result.stdout
    nquads = out / "graph.nq"
    assert identifiers(nquads) == {"https://kg.example/id/doc/stdin": "stdin"}
    assert "2023-04-05" in nquads.read_text(encoding="utf-8")


def test_stdin_json_lines(tmp_path: Path) -> None:
    """JSON Lines on stdin: one named graph per record; a missing id becomes ``stdin-<line>``."""
    out = tmp_path / "out"
    lines = [json.dumps({"id": "s1", "text": "Jane Roe visited Paris."}),
             json.dumps({"text": "John Smith met Jane Roe in London."})]
    result = kg("extract", "-", "-o", out, "--format", "nquads", "--name", "piped",
                stdin=("\n".join(lines) + "\n").encode("utf-8"))
    assert result.returncode == 0, result.stderr
    assert "2 document(s)" in result.stdout
    assert identifiers(out / "piped.nq") == {
        "https://kg.example/id/doc/s1": "s1",
        "https://kg.example/id/doc/stdin-2": "stdin-2",
    }
