"""Reading input: plain-text articles, JSON Lines corpora, folders and stdin.

Every record becomes one :class:`Document`; every problem becomes an :class:`InputError` that
names the source and line, so a corpus with one bad record still yields all the good ones.
"""
from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

#: Longer documents are refused: spaCy's parser needs about 1 GB of memory per 100k words.
DEFAULT_MAX_CHARS = 1_000_000
TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")

#: Lone surrogates (from JSON escapes like "\\ud800" or from Python callers) cannot be encoded; spaCy crashes on them.
_SURROGATE = re.compile("[\ud800-\udfff]")
_DATE_HEADER = re.compile(r"\A[ \t\ufeff]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]*(?:\r?\n|\Z)", re.IGNORECASE)


@dataclass(frozen=True)
class Document:
    """One input record. ``offset`` is where ``text`` starts in the record (after a date header)."""

    id: str
    text: str
    date: dt.date | None = None
    source: str = "<string>"
    line: int | None = None
    offset: int = 0


class InputError(Exception):
    """A problem with one input record; ``skipped`` says whether the record was dropped."""

    def __init__(self, source: str, message: str, line: int | None = None, skipped: bool = True):
        self.source, self.message, self.line, self.skipped = source, message, line, skipped
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


def parse_date_field(value: object) -> dt.date | None:
    """A document date from a JSON field or header: ISO ``YYYY-MM-DD`` (a time part is ignored)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"'date' must be a string like 2017-11-03, not {type(value).__name__}")
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"'date' is not an ISO date (YYYY-MM-DD): {value[:40]!r}") from None


def split_date_header(text: str) -> tuple[dt.date | None, int]:
    """The date of a leading ``date YYYY-MM-DD`` line and the offset where the body starts."""
    match = _DATE_HEADER.match(text)
    if not match:
        return None, 0
    return parse_date_field(match.group(1)), match.end()


def make_document(
    text: str,
    doc_id: str,
    date: dt.date | str | None = None,
    source: str = "<string>",
    line: int | None = None,
) -> Document:
    """A Document from raw text; a ``date YYYY-MM-DD`` header gives the date unless one is passed.

    Lone surrogates in the text or id become U+FFFD (one character for one: offsets stay right).
    """
    text, doc_id = _SURROGATE.sub("\ufffd", text), _SURROGATE.sub("\ufffd", doc_id)
    try:
        header_date, offset = split_date_header(text)
    except ValueError as err:
        raise InputError(source, f"date header: {err}", line, skipped=False) from None
    if isinstance(date, str):
        date = parse_date_field(date)
    return Document(doc_id, text[offset:], date or header_date, source, line, offset)


def _decode(data: bytes, source: str, line: int | None = None) -> str:
    if b"\x00" in data:
        raise InputError(source, "binary file (contains NUL bytes), not text", line)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        bad_line = data.count(b"\n", 0, err.start) + 1 if line is None else line
        raise InputError(source, f"invalid UTF-8 at byte {err.start}", bad_line) from None


def _check_size(text: str, source: str, line: int | None, max_chars: int) -> None:
    if not text.strip():
        raise InputError(source, "empty text", line)
    if len(text) > max_chars:
        raise InputError(
            source, f"document too long ({len(text):,} characters; the limit is {max_chars:,})", line
        )


def read_text_file(path: Path, max_chars: int = DEFAULT_MAX_CHARS) -> Document:
    source = str(path)
    text = _decode(path.read_bytes(), source)
    if not text.strip():
        raise InputError(source, "empty file")
    _check_size(text, source, None, max_chars)
    return make_document(text, path.stem, source=source)


def read_jsonl(
    stream: Iterable[bytes], source: str, default_id: str, max_chars: int, on_error: Callable[[InputError], None]
) -> Iterator[Document]:
    """Documents of a JSON Lines stream; a broken line is reported and skipped."""
    seen_any = False
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        seen_any = True
        try:
            yield _jsonl_record(raw, source, number, default_id, max_chars)
        except InputError as err:
            on_error(err)
    if not seen_any:
        on_error(InputError(source, "empty file"))


def _jsonl_record(raw: bytes, source: str, number: int, default_id: str, max_chars: int) -> Document:
    if len(raw) > max_chars * 4 + 1024:
        raise InputError(source, f"line too long ({len(raw):,} bytes)", number)
    line_text = _decode(raw, source, number)
    try:
        record = json.loads(line_text)
    except json.JSONDecodeError as err:
        raise InputError(source, f"invalid JSON: {err.msg} (column {err.colno})", number) from None
    if not isinstance(record, dict):
        raise InputError(source, f"expected a JSON object, got {type(record).__name__}", number)
    text = record.get("text")
    if not isinstance(text, str):
        problem = "missing" if text is None else f"a {type(text).__name__}, not a string"
        raise InputError(source, f"field 'text' is {problem}", number)
    _check_size(text, source, number, max_chars)
    doc_id = record.get("id", f"{default_id}-{number}")
    if not isinstance(doc_id, str | int) or str(doc_id).strip() == "":
        raise InputError(source, "field 'id' must be a non-empty string or number", number)
    try:
        date = parse_date_field(record.get("date"))
    except ValueError as err:
        raise InputError(source, f"field {err}", number) from None
    return make_document(text, str(doc_id), date, source, number)


def _is_jsonl(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(JSONL_SUFFIXES) or name.endswith(".json")


def read_documents(
    paths: Iterable[str | Path],
    on_error: Callable[[InputError], None] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Iterator[Document]:
    """Stream the documents of files, folders (``*.txt`` and ``*.jsonl`` inside) and ``-`` (stdin).

    Problems go to ``on_error``; without it the first one is raised.
    """

    def report(err: InputError) -> None:
        if on_error is None:
            raise err
        on_error(err)

    for item in paths:
        if str(item) == "-":
            yield from _read_stdin(max_chars, report)
            continue
        path = Path(item)
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and (
                p.suffix.lower() in TEXT_SUFFIXES or _is_jsonl(p)))
            if not children:
                report(InputError(str(path), "folder holds no .txt or .jsonl files"))
            yield from read_documents(children, report, max_chars)
            continue
        if not path.exists():
            report(InputError(str(path), "no such file"))
            continue
        try:
            if _is_jsonl(path):
                opener = gzip.open if path.name.lower().endswith(".gz") else open
                with opener(path, "rb") as stream:
                    yield from read_jsonl(stream, str(path), path.stem.split(".")[0], max_chars, report)
            else:
                yield read_text_file(path, max_chars)
        except InputError as err:
            report(err)
        except (OSError, EOFError, gzip.BadGzipFile) as err:
            report(InputError(str(path), f"cannot read: {err}"))


def _read_stdin(max_chars: int, report: Callable[[InputError], None]) -> Iterator[Document]:
    """JSON Lines on stdin are streamed line by line; anything else is one text document."""
    stream = sys.stdin.buffer
    head: list[bytes] = []
    for raw in stream:
        head.append(raw)
        if raw.strip():
            break
    if head and head[-1].lstrip().startswith(b"{"):
        yield from read_jsonl(itertools.chain(head, stream), "<stdin>", "stdin", max_chars, report)
        return
    data = b"".join(head) + stream.read()
    try:
        text = _decode(data, "<stdin>")
        _check_size(text, "<stdin>", None, max_chars)
        yield make_document(text, "stdin", source="<stdin>")
    except InputError as err:
        report(err)
