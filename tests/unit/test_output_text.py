"""What kb prints for people: p-values in one format (CLI and report), and no control
character from stored text reaching the terminal."""

from __future__ import annotations

import json

import pytest

from kb.cli.render import csv_cell, message, sanitize, shown, to_json
from kb.presentation.numbers import is_p_value, p_value
from kb.presentation.report import col


@pytest.mark.parametrize(
    ("p", "text"),
    [
        (0.5, "0.5"),
        (0.0177731, "0.01777"),
        (0.0001, "0.0001"),
        (0.00001234, "1.2e-05"),
        (1.2e-16, "< 2.2e-16"),  # below the machine epsilon, as R's format.pval
        (3e-15, "3e-15"),
        (0.0, "< 2.2e-16"),
        (None, ""),
    ],
)
def test_p_values_have_one_format(p: float | None, text: str) -> None:
    assert p_value(p) == text


def test_a_monte_carlo_p_value_of_zero_is_below_one_draw() -> None:
    # 0 of 1000 random draws as extreme: p < 1/1000, not < 2.2e-16
    assert p_value(0.0, draws=1000) == "< 0.001"
    assert p_value(0.002, draws=1000) == "0.002"


def test_the_report_and_the_cli_tables_print_p_values_alike() -> None:
    for key in ("p", "ph_p", "p_greater", "p_less"):
        assert is_p_value(key)
        cell = col(key, key, digits=4).cell({key: 0.0})
        assert cell == "&lt; 2.2e-16" and "0.0000" not in cell
        assert col(key, key, digits=4).cell({key: 0.0177731}) == shown(key, 0.0177731)
    for header in ("p", "PH p", "p>=", "p<="):
        assert shown(header, 0.0) == "< 2.2e-16"
    assert not any(is_p_value(k) for k in ("pairs", "period", "top", "group"))
    assert shown("density", 0.0) == "0"


HOSTILE = "Lou\x1b[31mise\x1b[0m \x07Si\u202emard\u202c \x1b]0;pwned\x07\x9b2J"


def test_control_characters_never_reach_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    clean = sanitize(HOSTILE)
    assert clean == "Louise Simard "
    assert sanitize("line one\n\tline two") == "line one\n\tline two"  # layout kept
    assert csv_cell("a\nb\x1b[1m") == "a b"
    message(f"Added person {HOSTILE}.")
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "Louise Simard" in err
    # JSON keeps the text whole, escaped so that a terminal does not act on it
    text = to_json({"name": HOSTILE})
    assert json.loads(text)["name"] == HOSTILE
    assert not any(c in text for c in "\x1b\x07\u202e\u202c\x9b")
