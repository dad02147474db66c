"""Embedded social-media posts: ``post text — Display Name (@handle) Month D, YYYY``.

News articles quote tweets as a line of text followed by a byline. The byline is data, not
prose: this component reads it with a pattern, then rewrites ``doc.ents`` in that stretch so
the statistical NER's guesses there ("Orlando Bain" as ORG, "(@x" in a WORK_OF_ART) give way.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.nlp import extensions  # noqa: F401  (registers Doc._.posts)
from kg.nlp.lexicon import ORG_NAME_WORDS

_DASH = r"(?:\u2014|\u2013|--)"
BYLINE = re.compile(
    rf"(?P<dash>[ \t]*{_DASH}[ \t]*)"
    r"(?P<name>[^\n\u2014\u2013]{0,80}?)[ \t]*"
    r"\([ \t]*(?P<handle>@[A-Za-z0-9_]{1,30})[ \t]*\)[ \t]*"
    r"(?P<date>(?P<month>[A-Z][a-z]{2,8})\.?[ \t]+(?P<day>\d{1,2}),?[ \t]+(?P<year>\d{4}))"
    r"[ \t]*$",
    re.MULTILINE,
)
HANDLE = re.compile(r"(?<![\w@/.])@([A-Za-z0-9_]{1,30})\b")
_HASHTAG = re.compile(r"#\w+")
_PARENTHETICAL = re.compile(r"[(\[][^)\]]*[)\]]")


@dataclass(frozen=True)
class Post:
    """An embedded post. Offsets index ``doc.text``; ``date`` is an ISO date."""

    text: str
    start_char: int
    end_char: int
    display_name: str  # cleaned; "" when the byline's name is not a name
    name_start: int
    name_end: int
    handle: str  # without "@"
    handle_start: int
    date: str | None
    date_start: int
    date_end: int
    author_kind: str  # "person" or "organization"


def parse_byline_date(month: str, day: str, year: str) -> str | None:
    for fmt in ("%B %d %Y", "%b %d %Y"):
        try:
            return dt.datetime.strptime(f"{month[:9]} {day} {year}", fmt).date().isoformat()
        except ValueError:
            continue
    if month.lower().startswith("sept"):
        return parse_byline_date("Sep", day, year)
    return None


def clean_display_name(raw: str) -> tuple[str, int, int]:
    """The name part of a display name and its span within ``raw``.

    Drops hashtags, emoji, runs of underscores and stray punctuation: "Orlando Bain_____" ->
    "Orlando Bain", "Juan, P.E. #RESIST__" -> "Juan, P.E.".
    """
    text = _HASHTAG.sub(lambda m: " " * len(m.group()), raw)
    text = _PARENTHETICAL.sub(lambda m: " " * len(m.group()), text)  # "Mark (he/him)"
    text = "".join(
        ch if unicodedata.category(ch)[0] in "LNZ" or ch in ".,'&-" else " " for ch in text
    )
    text = text.replace("_", " ")
    stripped = text.strip(" ,-'")
    if not stripped:
        return "", 0, 0
    start = text.index(stripped)
    name = re.sub(r"\s+", " ", stripped)
    return name, start, start + len(stripped)


def looks_like_name(name: str) -> bool:
    words = name.replace(",", " ").split()
    if not words or len(words) > 6:
        return False
    first_person = {"i", "i'm", "im", "my", "me", "we", "our", "you", "your"}
    if any(w.lower().strip(".") in first_person for w in words):
        return False
    return any(w[0].isupper() for w in words if w[0].isalpha())


def display_name_kind(name: str) -> str:
    words = {w.lower().strip(".,") for w in name.split()}
    return "organization" if words & ORG_NAME_WORDS else "person"


def _post_text_bounds(text: str, dash_start: int, floor: int) -> tuple[int, int]:
    """The post text ends at the byline's dash and starts at its line, or its paragraph when
    the byline stands alone on its line."""
    line_start = max(text.rfind("\n", 0, dash_start) + 1, floor)
    if text[line_start:dash_start].strip():
        start = line_start
    else:
        para = text.rfind("\n\n", floor, max(line_start - 1, floor))
        start = max(para + 2 if para >= 0 else floor, floor)
    while start < dash_start and text[start].isspace():
        start += 1
    return start, dash_start


def find_posts(text: str) -> list[Post]:
    posts: list[Post] = []
    floor = 0
    for match in BYLINE.finditer(text):
        start, end = _post_text_bounds(text, match.start("dash"), floor)
        floor = match.end()
        body = text[start:end].strip()
        if not body:
            continue
        raw_name = match.group("name")
        name, n_start, n_end = clean_display_name(raw_name)
        if not looks_like_name(name):
            name, n_start, n_end = "", 0, 0
        offset = match.start("name")
        posts.append(Post(
            text=body, start_char=start, end_char=end,
            display_name=name, name_start=offset + n_start, name_end=offset + n_end,
            handle=match.group("handle")[1:], handle_start=match.start("handle"),
            date=parse_byline_date(match.group("month"), match.group("day"), match.group("year")),
            date_start=match.start("date"), date_end=match.end("date"),
            author_kind=display_name_kind(name),
        ))
    return posts


def _char_span(doc: Doc, start: int, end: int, label: str) -> Span | None:
    return doc.char_span(start, end, label=label, alignment_mode="expand")


@Language.factory("kg_posts")
class PostFinder:
    """Finds bylines, records ``doc._.posts`` and sets the byline's entities."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        posts = find_posts(doc.text)
        doc._.posts = posts
        if not posts:
            return doc
        spans: list[Span] = []
        bylines = []
        for post in posts:
            byline_start = post.end_char
            bylines.append((byline_start, post.date_end))
            if post.display_name:
                label = "PERSON" if post.author_kind == "person" else "ORG"
                span = _char_span(doc, post.name_start, post.name_end, label)
                if span is not None:
                    spans.append(span)
            handle = _char_span(doc, post.handle_start, post.handle_start + len(post.handle) + 1, "ACCOUNT")
            if handle is not None:
                spans.append(handle)
            date = _char_span(doc, post.date_start, post.date_end, "DATE")
            if date is not None:
                spans.append(date)
        kept = [
            ent for ent in doc.ents
            if not any(ent.start_char < end and ent.end_char > start for start, end in bylines)
        ]
        doc.ents = filter_spans(spans + kept)
        return doc
