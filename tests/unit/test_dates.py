"""Partial dates: parsing, canonical text, periods and their comparison rules."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kb.dates import PartialDate, end_before_start


@pytest.mark.parametrize(
    ("text", "canonical", "precision", "first", "last"),
    [
        ("2016", "2016", "year", date(2016, 1, 1), date(2016, 12, 31)),
        ("2016-02", "2016-02", "month", date(2016, 2, 1), date(2016, 2, 29)),
        ("2015-02", "2015-02", "month", date(2015, 2, 1), date(2015, 2, 28)),
        ("2016-03-14", "2016-03-14", "day", date(2016, 3, 14), date(2016, 3, 14)),
        ("2016-02-29", "2016-02-29", "day", date(2016, 2, 29), date(2016, 2, 29)),
        ("1900", "1900", "year", date(1900, 1, 1), date(1900, 12, 31)),
        ("2100-12-31", "2100-12-31", "day", date(2100, 12, 31), date(2100, 12, 31)),
    ],
)
def test_parse_text(text: str, canonical: str, precision: str, first: date, last: date) -> None:
    parsed = PartialDate.parse(text)
    assert (parsed.text, parsed.precision, parsed.first, parsed.last) == (
        canonical,
        precision,
        first,
        last,
    )
    assert str(parsed) == canonical


def test_parse_spreadsheet_cells() -> None:
    assert PartialDate.parse(datetime(2016, 3, 14)) == PartialDate.parse("2016-03-14")
    assert PartialDate.parse(date(2016, 3, 14)) == PartialDate.parse("2016-03-14")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2016-02-30", "2016-02-30 does not exist"),
        ("2015-02-29", "2015-02-29 does not exist"),
        ("2016-13", "2016-13 does not exist"),
        ("2016-00-10", "2016-00-10 does not exist"),
        ("march 2016", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("16", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2016-03-14 10:30", "has a time of day"),
        ("2016-03 00:00", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        # Nothing but YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits (issue 18), each refusal
        # naming the value and, where there is one, the right spelling.
        (" ", r"' ' is not a date: .* no space or line break around it"),
        ("  2016-03-14 ", "no space or line break around it"),
        ("2016\n", r"'2016\\n' is not a date: .* no space or line break"),
        ("\n2016", "no space or line break around it"),
        ("2016-1", r"two-digit months and days \(write 2016-01\)"),
        ("2016-3-5", r"write 2016-03-05"),
        ("2016-03-14 00:00:00", r"write 2016-03-14, without the time"),
        ("2016-03-14T00:00:00.000Z", r"write 2016-03-14, without the time"),
        ("\uff12\uff10\uff11\uff16", "in ASCII digits 0-9"),  # full-width ２０１６
        ("\u0662\u0660\u0661\u0666", "in ASCII digits 0-9"),  # Arabic-Indic ٢٠١٦
        ("2016-\u0660\u0663", "in ASCII digits 0-9"),
        ("+2016", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("20160", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        (datetime(2016, 3, 14, 9, 30), "has a time of day"),
        ("1899", "year 1899 is outside 1900-2100"),
        ("2101-01-01", "year 2101 is outside 1900-2100"),
    ],
)
def test_parse_rejects(value: str | datetime, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PartialDate.parse(value)


def test_day_month_year_is_rejected_with_an_iso_hint() -> None:
    with pytest.raises(ValueError) as caught:
        PartialDate.parse("14/03/2016")
    text = str(caught.value)
    assert "ambiguous" in text
    assert "2016-03-14" in text
    assert "expected YYYY, YYYY-MM or YYYY-MM-DD" in text


def test_year_first_slashes_suggest_dashes() -> None:
    with pytest.raises(ValueError, match="write 2016-03-14"):
        PartialDate.parse("2016/03/14")


def test_sort_key_orders_by_first_day_then_coarser_first() -> None:
    values = ["2016-01-01", "2015-12", "2016", "2016-01", "2015"]
    ordered = sorted((PartialDate.parse(v) for v in values), key=PartialDate.sort_key)
    assert [d.text for d in ordered] == ["2015", "2015-12", "2016", "2016-01", "2016-01-01"]


def test_overlaps_uses_the_closed_period() -> None:
    year = PartialDate.parse("2016")
    assert year.overlaps(date(2016, 12, 31), date(2017, 6, 1))
    assert year.overlaps(date(2015, 1, 1), date(2016, 1, 1))
    assert not year.overlaps(date(2017, 1, 1), date(2017, 12, 31))
    assert not PartialDate.parse("2016-03").overlaps(date(2016, 4, 1), date(2016, 4, 30))


def test_end_before_start_compares_end_last_with_start_first() -> None:
    def before(start: str, end: str) -> bool:
        return end_before_start(PartialDate.parse(start), PartialDate.parse(end))

    assert before("2016", "2015-03")
    assert before("2016-03-14", "2016-03-13")
    assert not before("2016-03", "2016")  # ended "in 2016": through 2016-12-31
    assert not before("2016", "2016-03")  # started "in 2016": from 2016-01-01
    assert not before("2016-03-14", "2016-03-14")


def test_partial_dates_are_values() -> None:
    assert PartialDate.parse("2016-03") == PartialDate.parse("2016-03")
    assert len({PartialDate.parse("2016"), PartialDate.parse("2016")}) == 1
