"""The cattrs converter for plans: a JSON-ready, primitives-only wire form and its strict reader.

Wire conventions: proportions (targets, grade band minimums, the top quota) are written as
percent strings (``"90"``, ``"87.5"``, ``"100/3"`` when not a finite decimal); other exact numbers
(weights) as fraction strings (``"1"``, ``"1/3"``); dates in ISO form; tuples as lists; rule
nodes as objects tagged by ``"type"`` (:data:`RULE_TAGS`). Loading never executes code:
evaluators are referred to by their registered name only. Unknown keys are errors, and every
error names the path in the document (``… @ $.rules[2].rule.target``).
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .._errors import PLAN_HINT, DataError, PlanError, refuse_type
from .._io import read_text
from .._text import close_matches, parse_decimal
from ._checks import join_path
from ._plan import GradeBand, Plan, ScoringScheme
from ._rules import AllOf, AnyOf, Not, Rule, Threshold
from ._targets import Target, TargetTable

__all__ = [
    "RULE_TAGS",
    "configure_converter",
    "dump_plan_json",
    "load_plan",
    "load_plan_json",
    "make_converter",
]

RULE_TAGS: Mapping[type, str] = {Threshold: "threshold", AllOf: "all_of", AnyOf: "any_of", Not: "not"}
"""The stable ``"type"`` tag of each rule class in the wire form."""
_TAG_TO_CLASS = {tag: cls for cls, tag in RULE_TAGS.items()}
_PERCENT_FIELDS: Mapping[type, str] = {
    Target: "value",
    Threshold: "target",
    GradeBand: "min_score",
    ScoringScheme: "top_quota",
}
_TARGETS: Any = tuple[Target, ...]
#: How deep a rule tree of a plan document may nest (``not`` of ``all_of`` of … counts one level
#: per rule). Real plans use a few levels; the limit keeps reading far from Python's recursion limit.
_MAX_RULE_DEPTH = 50
_TOO_DEEP = "the plan nests too deeply"
_FRACTION = re.compile(r"\s*([+-]?\d+)\s*/\s*(\d+)\s*")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return (
        "a list" if isinstance(value, list | tuple) else "an object" if isinstance(value, dict) else "a value"
    )


def _number(value: object) -> Fraction:
    """An exact number from an int, a float (read from its shortest decimal form) or a string."""
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {_json_type(value)}")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float) and value == value and abs(value) != float("inf"):
        return Fraction(Decimal(repr(value)))
    if isinstance(value, str):
        match = _FRACTION.fullmatch(value)
        if match and int(match.group(2)) != 0:
            return Fraction(int(match.group(1)), int(match.group(2)))
        try:
            number = parse_decimal(value)
        except ValueError:
            number = None
        if number is not None:
            return number
    raise ValueError(f'expected a number such as "90", "87.5" or "1/3", got {value!r}')


def _fraction_text(value: Fraction) -> str:
    return str(value)


def _percent_text(value: Fraction | None) -> str | None:
    if value is None:
        return None
    percent = value * 100
    denominator = percent.denominator
    for factor in (2, 5):
        while denominator % factor == 0:
            denominator //= factor
    if denominator != 1:
        return str(percent)
    text = format(Decimal(percent.numerator) / Decimal(percent.denominator), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _structure_percent(value: object, _: Any) -> Fraction | None:
    if value is None:
        return None
    return _structure_required_percent(value, _)


def _structure_required_percent(value: object, _: Any) -> Fraction:
    if value is None:
        raise TypeError('expected a percentage such as "70" or "87.5", got null')
    number = _number(value.strip().removesuffix("%") if isinstance(value, str) else value)
    if not 0 <= number <= 100:
        raise ValueError(f"expected a percentage between 0 and 100, got {value!r}")
    return number / 100


def _structure_fraction(value: object, _: Any) -> Fraction:
    return _number(value)


def _structure_str(value: object, _: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {_json_type(value)}")
    return value


def _structure_bool(value: object, _: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {_json_type(value)}")
    return value


def _structure_date(value: object, _: Any) -> datetime.date:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f'expected an ISO date such as "2023-09-07", got {value!r}')


def _is_literal(type_: Any) -> bool:
    return get_origin(type_) is Literal


def _structure_literal(value: object, type_: Any) -> object:
    allowed = get_args(type_)
    if value not in allowed or isinstance(value, bool) != any(isinstance(a, bool) for a in allowed):
        listed = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"expected one of {listed}, got {value!r}")
    return value


def _is_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hooks(conv: cattrs.Converter) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def structure_factory(type_: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
        item_type = get_args(type_)[0]

        def structure(value: object, _: Any) -> tuple[Any, ...]:
            if not isinstance(value, list):
                raise TypeError(f"expected a list, got {_json_type(value)}")
            items, errors = [], []
            for index, item in enumerate(value):
                try:
                    items.append(conv.structure(item, item_type))
                except Exception as exc:
                    exc.__notes__ = [
                        *getattr(exc, "__notes__", []),
                        IterableValidationNote(f"Structuring {type_} @ index {index}", index, item_type),
                    ]
                    errors.append(exc)
            if errors:
                raise IterableValidationError(f"While structuring {type_}", errors, type_)
            return tuple(items)

        return structure

    def unstructure_factory(type_: Any) -> Callable[[tuple[Any, ...]], list[Any]]:
        item_type = get_args(type_)[0]
        return lambda value: [conv.unstructure(item, item_type) for item in value]

    return structure_factory, unstructure_factory


def _attrs_hooks(conv: cattrs.Converter) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    def overrides(cls: type, *, structure: bool) -> dict[str, Any]:
        field = _PERCENT_FIELDS.get(cls)
        if field is None:
            return {}
        if not structure:
            return {field: override(unstruct_hook=_percent_text)}
        optional = attrs.fields_dict(cls)[field].default is None  # null: no value (a rule's target)
        return {field: override(struct_hook=_structure_percent if optional else _structure_required_percent)}

    def structure_factory(cls: type) -> Callable[[Any, Any], Any]:
        base: Callable[[Any, Any], Any] = make_dict_structure_fn(cls, conv, **overrides(cls, structure=True))
        tag = RULE_TAGS.get(cls)

        def structure(value: object, _: Any) -> Any:
            if not isinstance(value, dict):
                raise TypeError(f"expected an object, got {_json_type(value)}")
            if tag is not None and "type" in value:
                if value["type"] != tag:
                    raise PlanError(f"expected a rule of type {tag!r}, got {value['type']!r}", "$.type")
                value = {key: item for key, item in value.items() if key != "type"}
            return base(value, cls)

        return structure

    def unstructure_factory(cls: type) -> Callable[[Any], dict[str, Any]]:
        base: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
            cls, conv, _cattrs_omit_if_default=conv.omit_if_default, **overrides(cls, structure=False)
        )
        tag = RULE_TAGS.get(cls)
        return base if tag is None else (lambda value: {"type": tag, **base(value)})

    return structure_factory, unstructure_factory


def _structure_rule(conv: cattrs.Converter) -> Callable[[Any, Any], Rule]:
    def structure(value: object, _: Any) -> Rule:
        if not isinstance(value, dict):
            raise TypeError(f"expected a rule object, got {_json_type(value)}")
        tags = ", ".join(repr(t) for t in sorted(_TAG_TO_CLASS))
        if "type" not in value:
            raise PlanError(f"a rule needs a 'type' key, one of {tags}", "$")
        cls = _TAG_TO_CLASS.get(value["type"]) if isinstance(value["type"], str) else None
        if cls is None:
            hint = close_matches(str(value["type"]), _TAG_TO_CLASS)
            again = (
                f"did you mean {' or '.join(repr(h) for h in hint)}?" if hint else f"expected one of {tags}"
            )
            raise PlanError(f"unknown rule type {value['type']!r}; {again}", "$.type")
        rule: Rule = conv.structure(value, cls)
        return rule

    return structure


def configure_converter(conv: cattrs.Converter) -> None:
    """Install the plan wire format on ``conv`` (see the module docstring).

    For strict loading, ``conv`` should have ``forbid_extra_keys`` and ``detailed_validation``
    set, as :func:`make_converter` does; ``omit_if_default`` makes dumps compact.
    """
    refuse_type(conv, cattrs.BaseConverter, "conv", "a cattrs converter", "pass cattrs.Converter(...)")
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_func(_is_literal, _structure_literal)
    conv.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    conv.register_structure_hook(datetime.date, _structure_date)
    conv.register_unstructure_hook(Fraction, _fraction_text)
    conv.register_structure_hook(Fraction, _structure_fraction)
    tuple_structure, tuple_unstructure = _tuple_hooks(conv)
    conv.register_structure_hook_factory(_is_tuple, tuple_structure)
    conv.register_unstructure_hook_factory(_is_tuple, tuple_unstructure)
    attrs_structure, attrs_unstructure = _attrs_hooks(conv)
    conv.register_structure_hook_factory(attrs.has, attrs_structure)
    conv.register_unstructure_hook_factory(attrs.has, attrs_unstructure)
    conv.register_unstructure_hook(
        TargetTable, lambda table: [conv.unstructure(t, Target) for t in table.targets]
    )
    conv.register_structure_hook(TargetTable, lambda value, _: TargetTable(conv.structure(value, _TARGETS)))
    conv.register_structure_hook_func(lambda type_: type_ == Rule, _structure_rule(conv))
    conv.register_unstructure_hook_func(lambda type_: type_ == Rule, lambda rule: conv.unstructure(rule))


@functools.cache
def _default_converter() -> cattrs.Converter:
    # Shared by the load/dump helpers only; make_converter() always returns a fresh one.
    return make_converter()


def make_converter() -> cattrs.Converter:
    """A converter for plans, rules, targets, indicators and citations (strict, compact).

    >>> conv = make_converter()
    >>> conv.unstructure(Threshold("online_dossier_rate", Fraction(7, 8)), Rule)
    {'type': 'threshold', 'indicator': 'online_dossier_rate', 'target': '87.5'}
    """
    conv = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True, detailed_validation=True)
    configure_converter(conv)
    return conv


def _too_deep(data: dict[str, Any]) -> PlanError | None:
    """The error for a rule tree of ``data`` (a parsed plan document) nested deeper than
    ``_MAX_RULE_DEPTH``, found without recursion; ``None`` when every tree is shallow enough."""
    rules = data.get("rules")
    if not isinstance(rules, list):
        return None
    for index, entry in enumerate(rules):
        if not isinstance(entry, dict):
            continue
        pending: list[tuple[object, int]] = [(entry.get("rule"), 1)]
        while pending:
            node, depth = pending.pop()
            if not isinstance(node, dict):
                continue
            if depth > _MAX_RULE_DEPTH:
                return PlanError(
                    f"{_TOO_DEEP}: its rule tree is more than {_MAX_RULE_DEPTH} rules deep; write the"
                    " condition with fewer levels (all_of and any_of take many rules each, and not of not"
                    " cancels out)",
                    f"$.rules[{index}].rule",
                )
            pending.append((node.get("rule"), depth + 1))
            children = node.get("rules")
            if isinstance(children, list):
                pending.extend((child, depth + 1) for child in children)
    return None


def _describe(exc: BaseException, type_: Any) -> tuple[str, str | None]:
    """A message for one leaf error, and the error's own relative path if it has one."""
    if isinstance(exc, RecursionError):  # a backstop: load_plan_json refuses deep trees before
        return f"{_TOO_DEEP} to be read; write the condition with fewer levels", None
    if isinstance(exc, PlanError):  # its first problem (_expanded gives the others)
        return exc.problems[0]
    if isinstance(exc, ForbiddenExtraKeysError):
        extra = sorted(exc.extra_fields)
        keys = ", ".join(repr(k) for k in extra)
        # The keys a document may hold: the fields given when the object is made (not those it
        # computes itself, such as a plan's index of its rules).
        fields = [a.name for a in attrs.fields(exc.cl) if a.init] if attrs.has(exc.cl) else []
        close = [match for key in extra for match in close_matches(key, fields)]
        hint = f" (did you mean {' or '.join(map(repr, dict.fromkeys(close)))}?)" if close else ""
        known = ", ".join(fields)
        return f"unknown key{'s' if len(extra) > 1 else ''} {keys}{hint}; expected only: {known}", None
    if isinstance(exc, KeyError):
        return "a required key is missing", None
    if isinstance(exc, DataError):  # a measure or relation of the plan's own, refused as data would be
        return "; ".join(p.message + (f" ({p.hint})" if p.hint else "") for p in exc.problems), None
    if isinstance(exc, TypeError | ValueError):
        return str(exc), None
    return cattrs.transform_error(exc)[0].removesuffix(" @ $"), None


def _walk(exc: BaseException, path: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if isinstance(exc, ClassValidationError | IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for sub, note in with_notes:
            if isinstance(note, AttributeValidationNote):
                where = f"{path}.{note.name}"
            else:
                where = f"{path}[{note.index!r}]" if isinstance(note.index, int) else f"{path}.{note.index}"
            found.extend(
                _walk(sub, where)
                if isinstance(sub, ClassValidationError | IterableValidationError)
                else _expanded(sub, note.type, where)
            )
        for sub in without:
            found.extend(_expanded(sub, None, path))
    else:
        found.extend(_expanded(exc, None, path))
    return found


def _expanded(exc: BaseException, type_: Any, path: str) -> list[tuple[str, str]]:
    """The problems of one leaf error: a :class:`PlanError` of a plan's own checks may have several."""
    first = _located(exc, type_, path)
    if not isinstance(exc, PlanError):
        return [first]
    return [first, *((message, join_path(path, where)) for message, where in exc.problems[1:])]


def _located(exc: BaseException, type_: Any, path: str) -> tuple[str, str]:
    message, relative = _describe(exc, type_)
    if isinstance(exc, KeyError) and "." in path:  # the path ends with the key
        message = f"the required key {path.rpartition('.')[2]!r} is missing"
    return message, join_path(path, relative)


def _paired(problems: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``problems`` with an unknown key that has no suggestion of its own pointed at the required
    keys missing from the same object (``"min"`` for ``"min_score"``: too far apart to be matched
    by spelling); an unknown key first, as it also explains the missing one."""
    missing: dict[str, list[str]] = {}
    for message, path in problems:
        if message.startswith("the required key "):
            where, _, key = path.rpartition(".")
            missing.setdefault(where, []).append(key)
    paired = []
    for message, path in problems:
        if message.startswith("unknown key") and "did you mean" not in message and path in missing:
            meant = " or ".join(map(repr, missing[path]))
            message = message.replace("; expected only", f" (did you mean {meant}?); expected only", 1)
        paired.append((message, path))
    return sorted(paired, key=lambda problem: not problem[0].startswith("unknown key"))


def dump_plan_json(plan: Plan, conv: cattrs.Converter | None = None) -> str:
    """The plan as JSON text (UTF-8 friendly, indented, ending with a newline)."""
    refuse_type(plan, Plan, "plan", "a Plan", PLAN_HINT)
    data = (conv or _default_converter()).unstructure(plan, Plan)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def load_plan_json(
    text: str | bytes | bytearray, source: str | None = None, conv: cattrs.Converter | None = None
) -> Plan:
    """Read a plan from JSON text; any problem is a :class:`PlanError` with the path in the document
    (every problem found, in :attr:`PlanError.problems`). Bytes are read as UTF-8.

    >>> load_plan_json('{"id": "p", "name": "P", "citation": null, "issued": null, "levels": [],'
    ...                ' "rules": [{"id": "r", "rule": {"type": "treshold", "indicator": "on_time_rate"}}],'
    ...                ' "targets": []}')
    Traceback (most recent call last):
    ...
    dvctt_rules._errors.PlanError: unknown rule type 'treshold'; did you mean 'threshold'? \
@ $.rules[0].rule.type
    """
    refuse_type(
        text,
        (str, bytes, bytearray),
        "text",
        "the plan's JSON text",
        "to read a plan file, call load_plan(path)"
        if isinstance(text, os.PathLike)
        else "pass the JSON as a str",
    )
    prefix = f"{source}: " if source else ""
    if not isinstance(text, str):
        try:
            text, _ = read_text(bytes(text), source or "<bytes>", json=True)
        except DataError as exc:  # not UTF-8, or a workbook
            (problem,) = exc.problems
            where = "" if problem.line is None else f"line {problem.line}: "
            raise PlanError(f"{prefix}{where}{problem.message}; {problem.hint}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        named = text.strip()
        if "\n" not in named and named[:1] not in ("{", "[") and named.lower().endswith(".json"):
            raise PlanError(
                f"{prefix}not valid JSON: {named!r} looks like a file's name, not a plan's JSON text; "
                "to read a plan file, call load_plan(path)"
            ) from None
        raise PlanError(
            f"{prefix}not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}); a plan file "
            "is a JSON document: `dvctt-rules plan --dump` writes one to start from"
        ) from None
    except RecursionError:
        raise PlanError(
            f"{prefix}{_TOO_DEEP} to be read: its JSON nests objects and lists hundreds of levels deep;"
            " write the rules with fewer levels"
        ) from None
    if not isinstance(data, dict):
        raise PlanError(f"{prefix}a plan is a JSON object, got {_json_type(data)}", "$")
    deep = _too_deep(data)
    if deep is not None:
        raise _with_source(deep, prefix)
    try:
        plan: Plan = (conv or _default_converter()).structure(data, Plan)
    except (ClassValidationError, IterableValidationError) as exc:
        problems = _paired(_walk(exc, "$"))
        message, path = problems[0]
        raise PlanError(f"{prefix}{message}", path, others=problems[1:]) from None
    except (PlanError, RecursionError) as exc:
        (message, relative), *others = _expanded(exc, None, "$")
        raise PlanError(f"{prefix}{message}", relative or "$", others=others) from None
    return plan


def _with_source(error: PlanError, prefix: str) -> PlanError:
    """``error`` with ``prefix`` (the source's name) before its message. Internal."""
    if not prefix:
        return error
    message = str(error.args[0]).removesuffix(f" @ {error.path}") if error.path else str(error.args[0])
    return PlanError(f"{prefix}{message}", error.path)


def _path_argument(path: object) -> Path:
    refuse_type(path, (str, os.PathLike), "path", "a file's path", "pass a str or a pathlib.Path")
    return Path(path)  # type: ignore[arg-type]  # checked just above


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a plan from a JSON file (UTF-8); errors name the file and the path in the document (a
    file that cannot be read, or is not UTF-8: :class:`~dvctt_rules.DataError`)."""
    text, display = read_text(_path_argument(path), json=True)
    return load_plan_json(text, source=display)
