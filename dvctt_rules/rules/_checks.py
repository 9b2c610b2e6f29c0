"""Shared validation helpers for the rules layer: relative paths, exact numbers, text fields.

Constructors raise :class:`PlanError` with a path relative to the object being built
(``$.target``); whoever knows where the object sits in a document prefixes it with
:func:`join_path` (``$.rules[2].rule`` + ``$.target`` → ``$.rules[2].rule.target``).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

import attrs

from .._errors import PlanError, refuse_text

__all__ = [
    "join_path",
    "optional_text",
    "prefixed",
    "proportion",
    "required_text",
    "str_tuple",
    "to_fraction",
]


def join_path(prefix: str, path: str | None) -> str:
    """Append a relative path (``$.a[1]``) to a prefix (``$.rules[2]``).

    >>> join_path("$.rules[2].rule", "$.target")
    '$.rules[2].rule.target'
    >>> join_path("$.targets", "$[3]")
    '$.targets[3]'
    """
    if not path or path == "$":
        return prefix
    return prefix + path[1:]


def prefixed(error: PlanError, prefix: str) -> PlanError:
    """A copy of ``error`` whose path is moved under ``prefix``."""
    message = str(error.args[0])
    if error.path is not None:
        message = message.removesuffix(f" @ {error.path}")
    return PlanError(message, join_path(prefix, error.path))


def str_tuple(values: Iterable[str], name: str = "the value") -> tuple[str, ...]:
    """Any iterable of strings as a tuple; a lone string (or bytes) is refused with ``TypeError``
    naming the field, ``name`` (``"PlanRule.levels"``). As an attrs converter, wrap it in a named
    function per field: the attrs mypy plugin takes named functions only."""
    refuse_text(values, name, "texts")
    return tuple(values)


def to_fraction(value: Fraction | int) -> Fraction:
    """Convert an exact number to ``Fraction``; floats (inexact) and bools are refused.

    >>> to_fraction(1)
    Fraction(1, 1)
    """
    if isinstance(value, bool) or not isinstance(value, Fraction | int):
        raise TypeError(
            f"expected an exact number (fractions.Fraction or int), got {type(value).__name__} {value!r};"
            " write Fraction(9, 10) for 90 %"
        )
    return Fraction(value)


def proportion(_instance: object, attribute: attrs.Attribute[Any], value: Fraction | None) -> None:
    """attrs validator: ``None`` or a proportion between 0 and 1 (90 % is ``Fraction(9, 10)``)."""
    if value is not None and not 0 <= value <= 1:
        raise PlanError(
            f"{attribute.name} must be a proportion between 0 and 1, got {value}"
            f" (= {value * 100} %); write Fraction(9, 10) for 90 %",
            f"$.{attribute.name}",
        )


def required_text(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """attrs validator: a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise PlanError(f"{attribute.name} must be non-blank text, got {value!r}", f"$.{attribute.name}")


def optional_text(_instance: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """attrs validator: ``None`` or a non-blank string."""
    if value is not None:
        required_text(_instance, attribute, value)
