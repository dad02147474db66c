"""kg.documents: date headers, JSON Lines records, folders, and every kind of bad input.

Each bad input must become an :class:`InputError` that names the file (and line, where there is
one), and a corpus with one bad record must still yield its good records.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from kg.documents import (
    DEFAULT_MAX_CHARS,
    Document,
    InputError,
    make_document,
    read_documents,
    read_text_file,
    split_date_header,
)

# -- helpers -------------------------------------------------------------------------------------


def write_jsonl(path: Path, records: list[object]) -> Path:
    """One JSON value per line; a ``str`` item is written verbatim (for broken lines)."""
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_all(*paths: Path | str, max_chars: int = DEFAULT_MAX_CHARS) -> tuple[list[Document], list[InputError]]:
    """Every document and every reported problem of ``paths``."""
    errors: list[InputError] = []
    documents = list(read_documents(list(paths), on_error=errors.append, max_chars=max_chars))
    return documents, errors


def single_error(path: Path) -> InputError:
    """The one problem reported for ``path``, which must yield no document."""
    documents, errors = read_all(path)
    assert documents == []
    assert len(errors) == 1, errors
    return errors[0]


# -- the ``date YYYY-MM-DD`` header --------------------------------------------------------------


def test_date_header_gives_date_and_body_offset() -> None:
    """The header line is cut off; ``offset`` is where the body starts in the original text."""
    raw = "date 2024-05-02\nJane Roe spoke."
    document = make_document(raw, "d1")
    assert document.date == dt.date(2024, 5, 2)
    assert document.text == "Jane Roe spoke."
    assert document.offset == len("date 2024-05-02\n")
    assert raw[document.offset:] == document.text


@pytest.mark.parametrize("prefix", ["  ", "\t", " \t ", "\ufeff"])
def test_date_header_after_leading_whitespace(prefix: str) -> None:
    """Spaces, tabs or a BOM before ``date`` are allowed and counted in the offset."""
    raw = f"{prefix}DATE 2020-02-29 \r\nBody text."
    date, offset = split_date_header(raw)
    assert date == dt.date(2020, 2, 29)
    assert raw[offset:] == "Body text."
    assert make_document(raw, "x").offset == offset


@pytest.mark.parametrize("text", [
    "Body without header.",
    "dated 2024-05-02\nbody",
    "Body first\ndate 2024-05-02\n",
    "\ndate 2024-05-02\nbody",
])
def test_no_date_header(text: str) -> None:
    """Only a first line of the form ``date YYYY-MM-DD`` is a header."""
    document = make_document(text, "x")
    assert document.date is None
    assert document.offset == 0
    assert document.text == text


def test_date_header_only_line() -> None:
    """A header with nothing after it is still a header (empty body)."""
    assert split_date_header("date 2021-01-31") == (dt.date(2021, 1, 31), len("date 2021-01-31"))


def test_explicit_date_wins_over_header() -> None:
    """A date passed by the caller (string or date) overrides the header."""
    assert make_document("date 2024-05-02\nx", "d", "2020-01-01").date == dt.date(2020, 1, 1)
    assert make_document("date 2024-05-02\nx", "d", dt.date(2019, 1, 1)).date == dt.date(2019, 1, 1)


@pytest.mark.parametrize("header", ["date 2024-13-01", "date 2023-02-29", "date 2024-00-10"])
def test_invalid_header_date_is_kept_error(header: str) -> None:
    """An impossible header date is an InputError with ``skipped=False`` naming source and line."""
    with pytest.raises(InputError) as caught:
        make_document(header + "\nbody", "d", source="feed.jsonl", line=7)
    err = caught.value
    assert err.skipped is False
    assert err.source == "feed.jsonl" and err.line == 7
    assert str(err).startswith("feed.jsonl:7: date header")
    assert header.split()[1] in str(err)


def test_text_file_reads_header(tmp_path: Path) -> None:
    """A .txt file becomes one document named after its stem, dated by its header."""
    path = tmp_path / "story-1.txt"
    path.write_text("  date 2017-11-03\nThe mayor spoke on Friday.\n", encoding="utf-8")
    (document,), errors = read_all(path)
    assert errors == []
    assert document.id == "story-1"
    assert document.date == dt.date(2017, 11, 3)
    assert document.text == "The mayor spoke on Friday.\n"
    assert document.source == str(path)


# -- JSON Lines ----------------------------------------------------------------------------------


def test_jsonl_records(tmp_path: Path) -> None:
    """id/text/date fields; a missing id becomes ``<stem>-<line>`` (blank lines still count)."""
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "First story.", "date": "2020-05-01T10:00:00Z"}) + "\n"
        + "\n"
        + json.dumps({"text": "Second story."}) + "\n"
        + json.dumps({"id": 42, "text": "date 2019-01-02\nThird story."}) + "\n",
        encoding="utf-8",
    )
    documents, errors = read_all(path)
    assert errors == []
    assert [d.id for d in documents] == ["a", "corpus-3", "42"]
    assert [d.line for d in documents] == [1, 3, 4]
    assert [d.date for d in documents] == [dt.date(2020, 5, 1), None, dt.date(2019, 1, 2)]
    assert documents[2].text == "Third story."
    assert documents[2].offset == len("date 2019-01-02\n")
    assert {d.source for d in documents} == {str(path)}


def test_jsonl_gzip_and_ndjson(tmp_path: Path) -> None:
    """``.jsonl.gz`` is decompressed; ``.ndjson`` is JSON Lines; ids default to the first stem part."""
    gz = tmp_path / "feed.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as stream:
        stream.write(json.dumps({"text": "Zipped story."}) + "\n")
    nd = write_jsonl(tmp_path / "other.ndjson", [{"text": "Plain story."}])
    documents, errors = read_all(gz, nd)
    assert errors == []
    assert [(d.id, d.text) for d in documents] == [("feed-1", "Zipped story."), ("other-1", "Plain story.")]


def test_jsonl_broken_line_among_good_ones(tmp_path: Path) -> None:
    """The good records still come out; the error names the file and the broken line's number."""
    path = write_jsonl(tmp_path / "mixed.jsonl", [
        {"id": "one", "text": "Good one."},
        '{"id": "two", "text": "unterminated',
        {"id": "three", "text": "Good three."},
    ])
    documents, errors = read_all(path)
    assert [d.id for d in documents] == ["one", "three"]
    assert len(errors) == 1
    err = errors[0]
    assert (err.source, err.line, err.skipped) == (str(path), 2, True)
    assert str(err).startswith(f"{path}:2: invalid JSON")


@pytest.mark.parametrize(("record", "message"), [
    ({"id": "x"}, "field 'text' is missing"),
    ({"id": "x", "text": 5}, "field 'text' is a int, not a string"),
    ({"id": "x", "text": ["a", "b"]}, "field 'text' is a list, not a string"),
    ({"id": "x", "text": None}, "field 'text' is missing"),
    ({"id": "x", "text": "   \n"}, "empty text"),
    ({"id": "x", "text": "ok", "date": "yesterday"}, "not an ISO date"),
    ({"id": "x", "text": "ok", "date": "2024-02-30"}, "not an ISO date"),
    ({"id": "x", "text": "ok", "date": 20200101}, "'date' must be a string"),
    ({"id": "", "text": "ok"}, "field 'id' must be a non-empty string or number"),
    ({"id": {"a": 1}, "text": "ok"}, "field 'id' must be a non-empty string or number"),
    ([1, 2, 3], "expected a JSON object, got list"),
])
def test_jsonl_bad_record(tmp_path: Path, record: object, message: str) -> None:
    """A bad record is skipped with a message naming file, line and the problem; its neighbour survives."""
    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "good", "text": "Fine."}, record])
    documents, errors = read_all(path)
    assert [d.id for d in documents] == ["good"]
    assert len(errors) == 1
    assert errors[0].skipped is True
    assert str(errors[0]).startswith(f"{path}:2: ")
    assert message in str(errors[0])


def test_jsonl_invalid_header_date_in_text_is_kept(tmp_path: Path) -> None:
    """A bad ``date`` header inside a record's text is an error with skipped=False, naming the line."""
    path = write_jsonl(tmp_path / "hdr.jsonl", [{"id": "h", "text": "date 2024-99-99\nBody."}])
    with pytest.raises(InputError) as caught:
        list(read_documents([path]))
    assert caught.value.skipped is False
    assert str(caught.value).startswith(f"{path}:1: date header")


# -- bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "empty.jsonl"])
@pytest.mark.parametrize("content", [b"", b"  \n\n\t \n"])
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    """An empty (or whitespace-only) text or JSONL file is one error naming the file."""
    path = tmp_path / name
    path.write_bytes(content)
    err = single_error(path)
    assert err.source == str(path)
    assert "empty" in err.message
    assert str(err).startswith(str(path))


def test_binary_file(tmp_path: Path) -> None:
    """A file with NUL bytes is refused as binary, not decoded."""
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    err = single_error(path)
    assert err.source == str(path)
    assert "binary" in err.message and "NUL" in err.message


def test_binary_line_in_jsonl(tmp_path: Path) -> None:
    """A NUL byte on one JSON Lines line names that line; the others are read."""
    path = tmp_path / "nul.jsonl"
    path.write_bytes(b'{"text": "ok"}\n{"text": "a\x00b"}\n')
    documents, errors = read_all(path)
    assert [d.text for d in documents] == ["ok"]
    assert [(e.line, "binary" in e.message) for e in errors] == [(2, True)]


def test_invalid_utf8_text_file(tmp_path: Path) -> None:
    """The message names the byte offset and the line of the first undecodable byte."""
    path = tmp_path / "latin1.txt"
    data = b"first line\nsecond line\ncaf\xe9 au lait\n"
    path.write_bytes(data)
    bad_byte = data.index(0xE9)
    err = single_error(path)
    assert err.line == 3
    assert f"invalid UTF-8 at byte {bad_byte}" in err.message
    assert str(err).startswith(f"{path}:3: ")


def test_invalid_utf8_jsonl_line(tmp_path: Path) -> None:
    """In JSON Lines the error names the line of the bad bytes, and the good lines survive."""
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"text": "fine"}\n{"text": "caf\xe9"}\n{"text": "also fine"}\n')
    documents, errors = read_all(path)
    assert [d.text for d in documents] == ["fine", "also fine"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert "invalid UTF-8 at byte" in errors[0].message


def test_huge_single_line_text_file(tmp_path: Path) -> None:
    """A 5 MB one-line text file is refused with a clear "too long" message naming the file."""
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 1_000_000)
    err = single_error(path)
    assert err.source == str(path)
    assert "too long" in err.message
    assert f"{DEFAULT_MAX_CHARS:,}" in err.message
    assert str(err).startswith(str(path))


def test_huge_jsonl_record(tmp_path: Path) -> None:
    """A 5 MB JSON Lines record is refused naming file and line; the records around it survive."""
    path = tmp_path / "huge.jsonl"
    path.write_text(
        json.dumps({"id": "before", "text": "Small."}) + "\n"
        + json.dumps({"id": "big", "text": "word " * 1_000_000}) + "\n"
        + json.dumps({"id": "after", "text": "Small too."}) + "\n",
        encoding="utf-8",
    )
    documents, errors = read_all(path)
    assert [d.id for d in documents] == ["before", "after"]
    assert len(errors) == 1
    assert errors[0].line == 2
    assert "too long" in errors[0].message
    assert str(errors[0]).startswith(f"{path}:2: ")


def test_max_chars_limit_is_default_max_chars(tmp_path: Path) -> None:
    """Exactly DEFAULT_MAX_CHARS characters pass; one more is "too long", for text and JSONL alike."""
    at_limit = tmp_path / "limit.txt"
    at_limit.write_text("a" * DEFAULT_MAX_CHARS, encoding="utf-8")
    assert len(read_text_file(at_limit).text) == DEFAULT_MAX_CHARS
    over = tmp_path / "over.txt"
    over.write_text("a" * (DEFAULT_MAX_CHARS + 1), encoding="utf-8")
    assert "too long" in single_error(over).message
    records = write_jsonl(tmp_path / "limit.jsonl", [{"text": "a" * DEFAULT_MAX_CHARS},
                                                     {"text": "a" * (DEFAULT_MAX_CHARS + 1)}])
    documents, errors = read_all(records)
    assert [d.line for d in documents] == [1]
    assert [(e.line, "too long" in e.message) for e in errors] == [(2, True)]


def test_max_chars_argument(tmp_path: Path) -> None:
    """A smaller ``max_chars`` is honoured."""
    path = tmp_path / "short.txt"
    path.write_text("twelve chars", encoding="utf-8")
    documents, errors = read_all(path, max_chars=5)
    assert documents == []
    assert "limit is 5" in errors[0].message


# -- folders, missing paths, error policy --------------------------------------------------------


def test_folder_of_files(tmp_path: Path) -> None:
    """A folder yields its .txt and JSON Lines files recursively, in sorted order; others are ignored."""
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("Bee story.", encoding="utf-8")
    write_jsonl(folder / "a.jsonl", [{"id": "a1", "text": "Ay one."}, {"text": "Ay two."}])
    (folder / "sub" / "c.txt").write_text("date 2022-02-02\nSea story.", encoding="utf-8")
    (folder / "notes.md").write_text("not read", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    documents, errors = read_all(folder)
    assert [d.id for d in documents] == ["a1", "a-2", "b", "c"]
    assert documents[-1].date == dt.date(2022, 2, 2)
    assert [e.source for e in errors] == [str(folder / "empty.txt")]


def test_folder_without_inputs(tmp_path: Path) -> None:
    """A folder with no readable files is an error naming the folder."""
    (tmp_path / "readme.md").write_text("nothing", encoding="utf-8")
    err = single_error(tmp_path)
    assert err.source == str(tmp_path)
    assert "no .txt or .jsonl" in err.message


def test_missing_path(tmp_path: Path) -> None:
    """A path that does not exist is reported and the next path is still read."""
    missing = tmp_path / "nope.txt"
    present = tmp_path / "yes.txt"
    present.write_text("Here.", encoding="utf-8")
    documents, errors = read_all(missing, present)
    assert [d.id for d in documents] == ["yes"]
    assert [(e.source, e.message) for e in errors] == [(str(missing), "no such file")]


def test_without_on_error_the_first_problem_is_raised(tmp_path: Path) -> None:
    """With no ``on_error`` callback read_documents raises the first InputError."""
    path = write_jsonl(tmp_path / "x.jsonl", [{"text": "ok"}, "not json", {"text": "never reached"}])
    stream = read_documents([path])
    assert next(stream).text == "ok"
    with pytest.raises(InputError, match=r"x\.jsonl:2: invalid JSON"):
        next(stream)


def test_jsonl_lone_surrogate_escapes_are_replaced(tmp_path: Path) -> None:
    """JSON escapes of lone surrogates (undecodable later, spaCy crashes) become U+FFFD, one for one."""
    path = tmp_path / "surrogates.jsonl"
    path.write_text('{"id": "x\\ud800", "text": "Caf\\udc00 Roe said hi."}\n', encoding="utf-8")
    (document,), errors = read_all(path)
    assert errors == []
    assert document.id == "x\ufffd"
    assert document.text == "Caf\ufffd Roe said hi."
    document.text.encode("utf-8")
