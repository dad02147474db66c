"""Date and time mentions normalized to XSD literals (``xsd:date``, ``dateTime``, ``gYearMonth``, ``gYear``).

Relative expressions ("Friday", "last month", "two days ago") are resolved by hand-written rules against
the document date, because dateparser resolves anything it half-understands (durations, "the 1990s")
against the clock.  dateparser is only trusted for *absolute* expressions: a string is parsed against two
unrelated base dates and kept only if both parses agree.  Choices that are ours, not XSD's:

* weeks ("last week", "this week") have no XSD type and return None;
* decades, durations, sets, "now" / "recently" and bare clock times without a date return None;
* "early/mid/late 1997", "the end of March" keep the granularity of what they modify (gYear, gYearMonth);
* a day or month without a year ("Nov. 3", "March") takes the year that puts it nearest the anchor, a
  future reading counting double (news mostly looks back): "March" written in November is last March,
  "January" written in November is next January; ``future=True`` takes the next one on/after the anchor;
* "N years ago" is a gYear, "N months ago" a gYearMonth, "N days/weeks ago" a date;
* dateTime values carry no timezone ("6:58 p.m. EST" -> "...T18:58:00").
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

import kg.nlp.extensions  # noqa: F401  (registers doc._.document_date / doc._.dates)

Normalized = tuple[str, str]


@dataclass(frozen=True)
class DateMention:
    start_char: int
    end_char: int
    text: str
    value: str  # XSD lexical form: "2017-11-02", "2017-11-02T18:58:00", "2017-11", "2017"
    datatype: str  # XSD local name: "date", "dateTime", "gYearMonth" or "gYear"


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}
_MONTH = (r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = (r"(?P<wd>mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?"
            r"|sat(?:urday)?|sun(?:day)?)\.?")
_QUANT = r"(?:\d+(?:\.\d+)?|" + "|".join(_NUMBERS) + r"|several|few|couple|many|some|dozens?|hundreds?)"
_UNIT = r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century|centurie)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"

_DATE_WORD = re.compile(
    r"\d|\b(?:today|tonight|yesterday|tomorrow)\b|\b" + _MONTH + r"(?:\b|$)|\b" + _WEEKDAY + r"(?:\b|$)"
    r"|\b(?:this|last|next|coming|current)\s+(?:week|month|year)\b|\bago\b"
)
_LEAD = re.compile(r"^(?:(?:the|on|in|at|by|of|since|until|till|from|during|as of|before|after|about|around"
                   r"|approximately|roughly|nearly|almost|some|circa|just)\s+)+")
_MODIFIER = re.compile(
    r"^(?:(?:early|mid|late|earlier|later|the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the\s+)?"
    r"|(?:early|mid|late|earlier|later)[\s-]+)"
)
_DECADE = re.compile(r"\d0'?s\b|'\d0s\b|\bdecade|\bcentur")
_DURATION = re.compile(r"\b" + _QUANT + r"[\s-]+" + _UNIT + r"s?\b|\b" + _UNIT + r"s\b")
_AGO = re.compile(r"^(?P<n>" + _QUANT + r")\s+(?P<unit>day|week|month|year)s?\s+(?P<dir>ago|from now|hence)$")
_RELATIVE_UNIT = re.compile(r"^(?P<rel>this|last|next|coming|current)\s+(?P<unit>week|month|year)$")
_DAYWORD = re.compile(
    r"^(?:(?P<today>today|tonight|this\s+(?:morning|afternoon|evening))|(?P<yesterday>yesterday" + _PART
    + r"|last\s+night)|(?P<tomorrow>tomorrow" + _PART + r"))$"
)
_WEEKDAY_ONLY = re.compile(r"^(?:(?P<rel>last|next|this|coming)\s+)?" + _WEEKDAY + _PART + "$")
_LEAD_WEEKDAY = re.compile(r"^" + _WEEKDAY + r",?\s+(?=\S)")
_MONTH_DAY = re.compile(r"^" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?$")
_DAY_MONTH = re.compile(r"^(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + "$")
_MONTH_ONLY = re.compile(r"^(?:(?P<rel>last|next|this|coming)\s+)?" + _MONTH + "$")
_MONTH_YEAR_REL = re.compile(r"^" + _MONTH + r",?\s+(?:of\s+)?(?P<rel>this|last|next)\s+year$")
_TIMEZONE = re.compile(r"\b(?:[ecmpa][sd]t|gmt|utc|bst|local time|at|on)\b|,")
_ISO = re.compile(r"^(?P<y>[12]\d{3})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:[t ](?P<H>\d{2}):(?P<M>\d{2})"
                  r"(?::(?P<S>\d{2}))?)?)?)?$")
_CLOCK = re.compile(
    r"\b(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?::(?P<s>\d{2}))?\s*(?P<ampm>[ap])\.?\s?m\b\.?"
    r"|\b(?P<h24>\d{1,2}):(?P<m24>\d{2})(?::(?P<s24>\d{2}))?\b"
    r"|\b(?P<noon>noon|midnight)\b"
)


def _clean(text: str) -> str:
    """Lowercase, cut at a newline, drop prepositions/articles and trailing punctuation."""
    s = text.split("\n", 1)[0].strip().lower()
    s = re.sub(r"\s+", " ", s).rstrip(".,;:!?)\"' ").lstrip("(\"' ")
    s = re.sub(r"'s$", "", s)
    return _LEAD.sub("", s)


def _month_number(word: str) -> int:
    return _MONTHS[word[:3]]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(d: dt.date) -> Normalized:
    return d.isoformat(), "date"


def _shift_months(d: dt.date, months: int) -> tuple[int, int]:
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def _weekday(anchor: dt.date, weekday: int, rel: str | None, future: bool) -> dt.date:
    """Most recent such weekday on/before the anchor, or the next one on/after it when future."""
    back = (anchor.weekday() - weekday) % 7
    if rel == "next" or (rel != "last" and future) or rel == "coming":
        ahead = (weekday - anchor.weekday()) % 7
        return anchor + dt.timedelta(days=ahead or (7 if rel == "next" else 0))
    if rel == "last" and back == 0:
        back = 7
    return anchor - dt.timedelta(days=back)


_FUTURE_WEIGHT = 2  # news looks back more often than ahead: a future reading must be over twice as close


def _nearest(candidates: list[int], anchor: int, future: bool) -> int | None:
    """The candidate nearest the anchor, future ones counting double; on/after the anchor when future."""
    if future:
        candidates = [c for c in candidates if c >= anchor]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c - anchor) * _FUTURE_WEIGHT + 0.5 if c > anchor else anchor - c)


def _month_day(month: int, day: int, anchor: dt.date, future: bool) -> Normalized | None:
    """A day-month without year ("Nov. 3"): the year that puts it nearest the anchor."""
    dates = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _safe_date(y, month, day))]
    best = _nearest([d.toordinal() for d in dates], anchor.toordinal(), future)
    return None if best is None else _day(dt.date.fromordinal(best))


def _relative(s: str, anchor: dt.date, future: bool) -> Normalized | None | bool:
    """Rules for anchor-relative expressions; False when none applies."""
    if m := _DAYWORD.match(s):
        offset = 0 if m["today"] else -1 if m["yesterday"] else 1
        return _day(anchor + dt.timedelta(days=offset))
    if m := _WEEKDAY_ONLY.match(s):
        return _day(_weekday(anchor, _WEEKDAYS[m["wd"][:3]], m["rel"], future))
    if m := _AGO.match(s):
        n = _NUMBERS.get(m["n"]) or (int(m["n"]) if m["n"].isdigit() else None)
        if n is None:
            return None
        sign = -1 if m["dir"] == "ago" else 1
        if m["unit"] in ("day", "week"):
            return _day(anchor + dt.timedelta(days=sign * n * (7 if m["unit"] == "week" else 1)))
        if m["unit"] == "month":
            y, mo = _shift_months(anchor, sign * n)
            return f"{y:04d}-{mo:02d}", "gYearMonth"
        return f"{anchor.year + sign * n:04d}", "gYear"
    if m := _RELATIVE_UNIT.match(s):
        step = {"last": -1, "next": 1, "coming": 1}.get(m["rel"], 0)
        if m["unit"] == "week":
            return None  # no XSD type for a week
        if m["unit"] == "month":
            y, mo = _shift_months(anchor, step)
            return f"{y:04d}-{mo:02d}", "gYearMonth"
        return f"{anchor.year + step:04d}", "gYear"
    if m := _MONTH_ONLY.match(s):
        month, rel, here = _month_number(m["month"]), m["rel"], anchor.year * 12 + anchor.month - 1
        candidates = [y * 12 + month - 1 for y in (anchor.year - 1, anchor.year, anchor.year + 1)]
        if rel == "this":
            candidates = [anchor.year * 12 + month - 1]
        elif rel == "last":
            candidates = [c for c in candidates if c < here]
        elif rel in ("next", "coming"):
            candidates = [c for c in candidates if c > here]
        best = _nearest(candidates, here, future)
        return None if best is None else (f"{best // 12:04d}-{best % 12 + 1:02d}", "gYearMonth")
    if m := _MONTH_YEAR_REL.match(s):
        year = anchor.year + {"last": -1, "next": 1}.get(m["rel"], 0)
        return f"{year:04d}-{_month_number(m['month']):02d}", "gYearMonth"
    m = _MONTH_DAY.match(s) or _DAY_MONTH.match(s)
    if m:
        return _month_day(_month_number(m["month"]), int(m["day"]), anchor, future)
    return False


_BASES = (dt.datetime(2003, 6, 15, 13, 37, 29), dt.datetime(1987, 2, 3, 7, 11, 53))
_PARSERS: list = []


def _dateparser(s: str, base: dt.datetime) -> Normalized | None:
    if not _PARSERS:
        from dateparser.date import DateDataParser  # slow import: only when a string reaches it

        for b in _BASES:
            _PARSERS.append(DateDataParser(languages=["en"], settings={
                "RELATIVE_BASE": b, "RETURN_TIME_AS_PERIOD": True, "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False}))
    data = _PARSERS[_BASES.index(base)].get_date_data(s)
    d = data.date_obj
    if d is None:
        return None
    period = data.period
    if period == "time":
        return d.replace(tzinfo=None, microsecond=0).isoformat(), "dateTime"
    if period in ("day", "part_of_day"):
        return d.date().isoformat(), "date"
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}", "gYearMonth"
    if period == "year":
        return f"{d.year:04d}", "gYear"
    return None


@lru_cache(maxsize=8192)
def _absolute(s: str) -> Normalized | None:
    """Absolute expressions: ISO by regex, everything else via dateparser, kept only if base-independent."""
    if m := _ISO.match(s):
        if m["H"]:
            return f"{m['y']}-{m['m']}-{m['d']}T{m['H']}:{m['M']}:{m['S'] or '00'}", "dateTime"
        if m["d"]:
            return (s[:10], "date") if _safe_date(int(m["y"]), int(m["m"]), int(m["d"])) else None
        if m["m"]:
            return (s, "gYearMonth") if 1 <= int(m["m"]) <= 12 else None
        return s, "gYear"
    results = {_dateparser(s, base) for base in _BASES}
    return results.pop() if len(results) == 1 else None


_UNITS = ("|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
          "|seventeen|eighteen|nineteen").split("|")
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SPELLED_YEAR = re.compile(
    r"\b(?:(?P<century>eighteen|nineteen|twenty)[\s-]+(?:hundred|(?P<tens>ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty)"
    r"(?:[\s-]+(?P<ones>one|two|three|four|five|six|seven|eight|nine))?)"
    r"|two thousand(?:\s+and)?(?:[\s-]+(?P<after>[a-z]+))?)\b"
)


def _spelled_years(s: str) -> str:
    """Transcripts spell years out: "nineteen ninety-six" -> "1996", "two thousand and one" -> "2001"."""
    def year(m: re.Match) -> str:
        if m["century"] is None:
            after = m["after"]
            return "2000" if after is None else str(2000 + _UNITS.index(after)) if after in _UNITS else m[0]
        tens = m["tens"]
        value = _UNITS.index(tens) if tens in _UNITS else 10 * _TENS.index(tens) if tens else 0
        return str(_UNITS.index(m["century"]) * 100 + value + (_UNITS.index(m["ones"]) if m["ones"] else 0))

    return _SPELLED_YEAR.sub(year, s) if "teen" in s or "thousand" in s or "twenty" in s else s


_BARE_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d+)?")  # "52" (an age), "3.5": never a year


@lru_cache(maxsize=8192)
def _normalize(s: str, anchor: dt.date | None, future: bool) -> Normalized | None:
    s = _spelled_years(_MODIFIER.sub("", s).replace(" or so", "")).strip()
    if (lead := _LEAD_WEEKDAY.match(s)) and _DATE_WORD.search(s[lead.end():]):
        s = s[lead.end():]  # "Friday, Nov. 3": the date says it all
    s = re.sub(r"^year\s+(?=\d{4}$)", "", s)
    if not s or not _DATE_WORD.search(s) or _DECADE.search(s) or _BARE_NUMBER.fullmatch(s):
        return None
    if _ISO.match(s) is None and (clock := parse_clock(s)):
        # "9 a.m. EST Tuesday", "Nov. 2, 2017 6:58PM": the date without the clock, then the clock on it
        rest = re.sub(r"\s+", " ", _TIMEZONE.sub(" ", _CLOCK.sub(" ", s))).strip()
        day = _normalize(_LEAD.sub("", rest), anchor, future) if rest else None
        return (f"{day[0]}T{clock[0]}", "dateTime") if day and day[1] == "date" else None
    if _AGO.match(s) is None and _DURATION.search(s):
        return None
    if anchor is not None:
        relative = _relative(s, anchor, future)
        if relative is not False:
            return relative
    return _absolute(s)


def normalize_date(text: str, anchor: dt.date | None, *, future: bool = False) -> Normalized | None:
    """(XSD value, XSD datatype) for a date expression, or None when it is not a calendar date we can pin.

    Relative expressions need ``anchor`` (the document date); ``future`` picks the next "Friday" / "March"
    instead of the last one.
    """
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    return _normalize(_clean(text), anchor, future)


def parse_clock(text: str) -> list[str]:
    """Clock times ("6:58PM", "10:35 a.m.", "18:58", "noon") as "HH:MM:SS", in order of appearance."""
    times = []
    for m in _CLOCK.finditer(text.lower()):
        if m["noon"]:
            times.append("12:00:00" if m["noon"] == "noon" else "00:00:00")
            continue
        hour, minute = int(m["h"] or m["h24"]), int(m["m"] or m["m24"] or 0)
        second = int(m["s"] or m["s24"] or 0)
        if m["ampm"]:
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if m["ampm"] == "p" else 0)
        if hour < 24 and minute < 60 and second < 60:
            times.append(f"{hour:02d}:{minute:02d}:{second:02d}")
    return times


_FUTURE_WORDS = re.compile(r"\b(?:next|coming|upcoming|tomorrow)\b", re.I)
_TRIM_LEAD = re.compile(r"^(?:(?:the|on)\s+)+", re.I)
_BEFORE_CLOCK = re.compile(r"[ \t]*,?[ \t]*(?:(?:at|from)[ \t]+)?")  # "Nov. 2, 2017, at 6:58PM"
_RANGE = re.compile(r"[ \t]*(?:to|until|till|-|–)[ \t]*")  # "6:58PM to 7:04PM"
_AFTER_CLOCK = re.compile(r"[ \t]*,?[ \t]*(?:on[ \t]+)?")  # "6:58PM on Friday"


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character range without what follows a newline, surrounding blanks, or a leading "the"/"on"."""
    text = doc.text[start:end]
    cut = text.find("\n")
    if cut >= 0:
        text = text[:cut]
    stripped = text.rstrip()
    lead = _TRIM_LEAD.match(stripped.lstrip())
    offset = len(text) - len(text.lstrip()) + (lead.end() if lead else 0)
    return start + offset, start + len(stripped)


_PLAN = re.compile(r"^(?:plan|schedul|set$|expect|due$|intend|aim|prepar|going$|hope|is$|are$)")


def is_future(span: Span) -> bool:
    """Future reading: "next"/"coming" in the expression, or a governing verb with will/shall or an
    infinitive of intention ("plans to", "is scheduled to", "going to")."""
    if _FUTURE_WORDS.search(span.text):
        return True
    for token in [*span.root.ancestors][:6]:
        if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll", "wo") for c in token.children):
            return True
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)
        if infinitive and token.dep_ in ("xcomp", "ccomp") and _PLAN.match(token.head.lower_):
            return True
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("xcomp", "advcl", "conj"):
            break
    return False


class DateNormalizer:
    """DATE/TIME entities -> ``doc._.dates``; a clock time next to a date makes it one dateTime."""

    def __init__(self, nlp: Language, name: str = "kg_dates") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc._.document_date
        mentions: list[DateMention] = []
        covered = -1  # end of the text already used by a mention (a clock time absorbed into a dateTime)
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME") or ent.start_char < covered:
                continue
            start, end = _trim(doc, ent.start_char, ent.end_char)
            text = doc.text[start:end]
            result = normalize_date(text, anchor, future=is_future(ent))
            if result is None:
                continue
            mention = DateMention(start, end, text, *result)
            found = self._with_clock(doc, mention) if mention.datatype == "date" else [mention]
            mentions.extend(found)
            covered = max(m.end_char for m in found)
        doc._.dates = mentions
        return doc

    @staticmethod
    def _with_clock(doc: Doc, date: DateMention) -> list[DateMention]:
        """A clock time just after ("Nov. 2, 2017 6:58PM", plus a range's end) or before ("9 a.m. Friday")."""
        text, lower = doc.text, doc.text.lower()
        pos = _BEFORE_CLOCK.match(text, date.end_char).end()
        first = _CLOCK.match(lower, pos)
        if first is None:
            head = lower[max(0, date.start_char - 30):date.start_char]
            before = [m for m in _CLOCK.finditer(head) if _AFTER_CLOCK.fullmatch(head, m.end())]
            if not before or not parse_clock(before[-1][0]):
                return [date]
            start = date.start_char - len(head) + before[-1].start()
            value = f"{date.value}T{parse_clock(before[-1][0])[0]}"
            return [DateMention(start, date.end_char, text[start:date.end_char], value, "dateTime")]
        if not (clock := parse_clock(first[0])):
            return [date]
        found = [DateMention(date.start_char, first.end(), text[date.start_char:first.end()],
                             f"{date.value}T{clock[0]}", "dateTime")]
        after_range = _RANGE.match(text, first.end())
        second = _CLOCK.match(lower, after_range.end()) if after_range else None
        if second is not None and parse_clock(second[0]):
            found.append(DateMention(second.start(), second.end(), text[second.start():second.end()],
                                     f"{date.value}T{parse_clock(second[0])[0]}", "dateTime"))
        return found


@Language.factory("kg_dates")
def make_date_normalizer(nlp: Language, name: str) -> DateNormalizer:
    return DateNormalizer(nlp, name)
