"""Option values checked without pydantic where Typer's check of them is plain.

Typer (0.29) checks every option and argument value with a pydantic ``TypeAdapter``
(``typer._coercion.build_runtime_param``): the first check of a command imports pydantic
and builds an adapter per option, a sixth of what ``kb why`` takes before its first query.
For kb's usual values the check is plain Python: a text stays the text, ``12`` is the int
12, ``0.5`` the float 0.5, a choice is matched as Typer matches it (its own
``coerce_cli_choice``). `PlainValue` does that and hands every other value (another
spelling of a number, one out of range, an unknown choice, a path, a date, a value with a
parser) to Typer's own check, so that what is accepted, what it becomes, and every error
message stay Typer's. tests/unit/test_coercion.py compares both on the same values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, get_args

from typer import core
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice
from typer._typing import is_literal_type

# Numbers written as Python and pydantic both read them, and no other way: no sign but a
# minus, no leading zero, no underscore, no blank, no exponent (those go to Typer's check).
_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?")
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Unsure(Exception):
    """The value is not one `plain_value` reads as Typer would: Typer's check decides."""


def plain_value(descriptor: TypeDescriptor, value: Any, ctx: Any = None) -> Any:
    """``value`` as Typer's check would give it, for the plain cases.

    Raises:
        _Unsure: any other case.
    """
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if info.parser is not None or descriptor.is_file:
        raise _Unsure
    if isinstance(annotation, type) and issubclass(annotation, Enum) or is_literal_type(annotation):
        choices: tuple[Any, ...] = (
            tuple(annotation)  # type: ignore[arg-type]  # an Enum class: its members
            if isinstance(annotation, type)
            else get_args(annotation)
        )
        try:
            return coerce_cli_choice(
                value, choices=choices, case_sensitive=info.case_sensitive, ctx=ctx
            )
        except ValueError:
            raise _Unsure from None
    if annotation is str:
        return _text(value)
    if descriptor.is_list and get_args(annotation) == (str,):
        if isinstance(value, list | tuple):
            return [_text(item) for item in value]
        raise _Unsure
    if annotation is int and not info.clamp:
        if type(value) is int or isinstance(value, str) and _INT.fullmatch(value):
            return _in_range(int(value), info.min, info.max)
        raise _Unsure
    if annotation is float and not info.clamp:
        if type(value) in (int, float) or isinstance(value, str) and _FLOAT.fullmatch(value):
            return _in_range(float(value), info.min, info.max)
    raise _Unsure


def _text(value: Any) -> str:
    if isinstance(value, str) and not (not value.isascii() and _SURROGATE.search(value)):
        return value
    raise _Unsure


def _in_range(number: Any, low: Any, high: Any) -> Any:
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Unsure  # Typer's check words the error
    return number


@dataclass(frozen=True)
class PlainValue(RuntimeParam):
    """Typer's runtime check of one parameter, plain cases first (`plain_value`)."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        try:
            return plain_value(self.descriptor, value, ctx)
        except _Unsure:
            return typers_check(param)._coerce_value(value, param=param, ctx=ctx)


def typers_check(param: Any) -> RuntimeParam:
    """Typer's own check of ``param`` (pydantic), built once per parameter."""
    built: RuntimeParam | None = param.__dict__.get("_kb_typers_check")
    if built is None:
        built = param.__dict__["_kb_typers_check"] = build_runtime_param(param.type_descriptor)
    return built


def check_plain_values_first() -> None:
    """Make every Typer parameter check its value with `PlainValue`."""

    def get_runtime_param(self: core._TyperParameter) -> RuntimeParam:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            self._runtime_param = PlainValue(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
            )
        return self._runtime_param

    core._TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
