"""Request bodies -> Documents, and the request-size limit; every bad input is a 4xx that says why."""
from __future__ import annotations

import hashlib
import json

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kg.documents import DEFAULT_MAX_CHARS, Document, make_document, parse_date_field

TEXT_TYPES = ("text/plain",)
JSON_TYPES = ("application/json",)
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/jsonlines", "application/x-jsonlines")


class BodyLimitMiddleware:
    """413 for bodies over ``limit`` bytes, whether declared (Content-Length) or streamed (chunked)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._drain(receive, int(declared))
            await self._reject(send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"request body too large: the limit is {self.limit:,} bytes (kg serve --max-body)"

    async def _drain(self, receive: Receive, declared: int) -> None:
        """Reads (and drops) a moderately large body so the client sees the 413, not a reset."""
        if declared > 16 * self.limit:
            return
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False) and message["type"] == "http.request"

    async def _reject(self, send: Send) -> None:
        body = json.dumps({"detail": self._message()}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def media_type(request: Request) -> tuple[str, str | None]:
    """(type, charset) of the request's Content-Type."""
    header = request.headers.get("content-type", "")
    parts = [p.strip() for p in header.split(";")]
    charset = next((p.split("=", 1)[1].strip('"').lower() for p in parts[1:] if p.lower().startswith("charset=")),
                   None)
    return parts[0].lower(), charset


def decode(body: bytes, what: str = "request body") -> str:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise HTTPException(400, f"{what}: invalid UTF-8 at byte {err.start}") from None
    if "\x00" in text:
        raise HTTPException(400, f"{what}: contains NUL characters, not text")
    return text


def document_from(text: object, doc_id: object, date: object, where: str, max_chars: int) -> Document:
    """One document from already-parsed fields; ``where`` names the record in messages."""
    if not isinstance(text, str):
        problem = "missing" if text is None else f"a {type(text).__name__}, not a string"
        raise HTTPException(422, f"{where}: field 'text' is {problem}")
    if not text.strip():
        raise HTTPException(422, f"{where}: empty text")
    if len(text) > max_chars:
        raise HTTPException(413, f"{where}: document too long ({len(text):,} characters; the limit is {max_chars:,})")
    if doc_id is None:
        doc_id = hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:16]
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool) or not str(doc_id).strip():
        raise HTTPException(422, f"{where}: field 'id' must be a non-empty string or number")
    try:
        parsed_date = parse_date_field(date)
    except ValueError as err:
        raise HTTPException(422, f"{where}: field {err}") from None
    return make_document(text, str(doc_id), parsed_date, source="http")


def parse_json_object(text: str, where: str) -> dict:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as err:
        raise HTTPException(400, f"{where}: invalid JSON: {err.msg} (line {err.lineno}, column {err.colno})") from None
    if not isinstance(record, dict):
        raise HTTPException(422, f"{where}: expected a JSON object, got {type(record).__name__}")
    return record


async def read_documents(request: Request, many: bool, max_chars: int = DEFAULT_MAX_CHARS) -> list[Document]:
    """The documents of a request: text/plain (``?id=&date=``), a JSON object, or JSON Lines if ``many``."""
    kind, charset = media_type(request)
    accepted = TEXT_TYPES + JSON_TYPES + (JSONL_TYPES if many else ())
    if kind not in accepted:
        raise HTTPException(415, f"unsupported Content-Type {kind or '(none)'!r}; send one of {', '.join(accepted)}")
    if charset not in (None, "utf-8", "utf8"):
        raise HTTPException(415, f"unsupported charset {charset!r}; send UTF-8")
    body = await request.body()
    if not body.strip():
        raise HTTPException(422, "empty request body: send the text (or a JSON object with 'text')")
    params = request.query_params
    if kind in TEXT_TYPES:
        return [document_from(decode(body), params.get("id"), params.get("date"), "request body", max_chars)]
    if kind in JSON_TYPES:
        record = parse_json_object(decode(body), "request body")
        return [document_from(record.get("text"), record.get("id"), record.get("date"), "request body", max_chars)]
    documents, seen = [], set()
    for number, line in enumerate(body.split(b"\n"), start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        record = parse_json_object(decode(line, where), where)
        document = document_from(record.get("text"), record.get("id"), record.get("date"), where, max_chars)
        if document.id in seen:
            raise HTTPException(422, f"{where}: id {document.id!r} appears twice in this request")
        seen.add(document.id)
        documents.append(document)
    return documents
