"""kb's plain check of option values (kb.cli.coercion) gives what Typer's own check
(pydantic) gives, or leaves the value to it: never another value, never a value Typer
refuses. Every parameter of every kb command is tried with its default and with values
of its type written in many ways."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

import pytest
import typer.main
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param, resolve_type_descriptor
from typer.core import _TyperParameter
from typer.models import OptionInfo

import kb.cli
from kb.cli.coercion import _Unsure, plain_value

NUMBERS = ["0", "12", "-3", "007", "+4", "1_000", " 5", "5 ", "1e3", "x", "", "9" * 25, "-0"]
DECIMALS = [
    "1.2.3",
    ".",
    "0.5",
    "1",
    "-2.25",
    ".5",
    "1.",
    "1e-3",
    "nan",
    "inf",
    "0.1234567890123456789",
]
TEXTS = [" abc ", "abc", "", "é à", "a b", "--x", "\udcff"]


def _values(descriptor: Any, default: Any) -> list[Any]:
    annotation = descriptor.annotation
    values = [] if default is None else [default]
    if descriptor.choices is not None:
        for choice in descriptor.choices:
            text = str(choice.value if isinstance(choice, Enum) else choice)
            values += [choice, text, text.upper(), text + "x"]
        return values
    if annotation is int:
        return values + NUMBERS + [5, True]
    if annotation is float:
        return values + NUMBERS + DECIMALS + [5, 2.5]
    if descriptor.is_list:
        return values + [("a", "b"), [], ("x",)]
    return values + TEXTS


def _typers(descriptor: Any, value: Any) -> tuple[bool, Any]:
    try:
        check = build_runtime_param(descriptor)
        return True, check._coerce_value(value, param=None, ctx=None)  # type: ignore[arg-type]
    except BadParameter:
        return False, None


def _plain(descriptor: Any, value: Any) -> tuple[bool, Any] | None:
    try:
        return True, plain_value(descriptor, value)
    except _Unsure:
        return None


def _agree(descriptor: Any, value: Any) -> None:
    plain = _plain(descriptor, value)
    if plain is None:
        return  # Typer's check decides
    accepted, typers = _typers(descriptor, value)
    assert accepted, f"{value!r} is refused by Typer as {descriptor.annotation}"
    assert (typers, type(typers)) == (plain[1], type(plain[1])), value


def _parameters() -> list[Any]:
    found: list[Any] = []

    def walk(command: Any) -> None:
        found.extend(p for p in getattr(command, "params", []) if isinstance(p, _TyperParameter))
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(typer.main.get_command(kb.cli.app))
    return found


def test_every_kb_parameter_gets_what_typers_check_gives() -> None:
    parameters = _parameters()
    assert len(parameters) > 300  # every command's, groups' included
    for param in parameters:
        descriptor = param.type_descriptor
        for value in _values(descriptor, None if callable(param.default) else param.default):
            _agree(descriptor, value)


class Colour(Enum):
    RED = "red"
    GREEN = "Green"


@pytest.mark.parametrize(
    ("annotation", "info"),
    [
        (int, OptionInfo(min=0, max=10)),
        (int, OptionInfo(min=1, clamp=True)),
        (float, OptionInfo(min=0.0, max=1.0)),
        (str, OptionInfo()),
        (Colour, OptionInfo()),
        (Colour, OptionInfo(case_sensitive=False)),
        (Literal["a", "B"], OptionInfo()),
        (list[str], OptionInfo()),
        (list[int], OptionInfo()),
    ],
)
def test_bounds_choices_and_lists_agree_with_typer(annotation: Any, info: Any) -> None:
    descriptor = resolve_type_descriptor(annotation, info)
    values = [*_values(descriptor, None), "11", "-1", "1.5", "red", "GREEN", "a", "b", ("1", "2")]
    for value in values:
        _agree(descriptor, value)


def test_the_plain_check_takes_the_usual_values_itself() -> None:
    # What the commands are given most: without these, every command would load pydantic.
    number = resolve_type_descriptor(int, OptionInfo(min=0))
    assert plain_value(number, "12") == 12
    assert plain_value(resolve_type_descriptor(str, OptionInfo()), "p-kdiallo") == "p-kdiallo"
    assert plain_value(resolve_type_descriptor(float, OptionInfo()), "0.25") == 0.25
    with pytest.raises(_Unsure):
        plain_value(number, "-1")  # out of range: Typer words the error
