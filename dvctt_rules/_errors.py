"""The library's exceptions: one base, one subclass per kind of mistake a user can make.

Every message says what was expected, what came, and what to do. Details are kept as attributes
so that callers can act on them without parsing text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from ._text import close_matches

__all__ = [
    "AmbiguousUnitError",
    "DataError",
    "DatasetNotFoundError",
    "DvcttRulesError",
    "EvaluationError",
    "HierarchyError",
    "MissingExtraError",
    "PeriodError",
    "PlanError",
    "PluginError",
    "Problem",
    "UnknownNameError",
    "UnknownUnitError",
]


#: Items (ids, candidate units) a message names; the error's attributes keep them all.
LISTED = 10


def listed(items: Sequence[str], separator: str = ", ") -> str:
    """``items`` for a message: all of a few, or the first :data:`LISTED` and how many more.

    >>> listed([f"C{n}" for n in range(12)])
    'C0, C1, C2, C3, C4, C5, C6, C7, C8, C9 and 2 more'
    """
    if len(items) <= LISTED:
        return separator.join(items)
    return f"{separator.join(items[:LISTED])} and {len(items) - LISTED:,} more"


def refuse_text(value: object, name: str, items: str) -> None:
    """Raise ``TypeError`` when ``value``, meant as a collection of ``items``, is one text: a ``str``
    is a sequence of its letters, never what was meant ("IV.1" read as the rules I, V, ., 1).

    >>> refuse_text("IV.1", "rules", "rule ids")
    Traceback (most recent call last):
    ...
    TypeError: rules must be a collection of rule ids, got the string 'IV.1'; pass ['IV.1']
    """
    if isinstance(value, str):
        raise TypeError(f"{name} must be a collection of {items}, got the string {value!r}; pass [{value!r}]")
    if isinstance(value, bytes):  # a bytes is a sequence of small integers
        raise TypeError(f"{name} must be a collection of {items}, got bytes {value!r}; pass texts, not bytes")


# What to do instead, for the inputs of many calls (with refuse_type).
PLAN_HINT = "load one with load_plan(path), or take load_dataset(name).plan"
HIERARCHY_HINT = "read one with read_hierarchy_csv(path), or take load_dataset(name).hierarchy"
OBSERVATIONS_HINT = "load them with load_observations(path, hierarchy), or take load_dataset(name).baseline"


def described(value: object) -> str:
    """``value`` for a message: its type, then its repr (shortened).

    >>> described(None), described(5)
    ('None', 'int 5')
    """
    if value is None:
        return "None"
    text = repr(value)
    text = text if len(text) <= 80 else text[:77] + "..."
    kind = type(value).__name__
    return text if text.startswith(kind) else f"{kind} {text}"  # Unit(...), not Unit Unit(...)


def refuse_type(value: object, expected: type | tuple[type, ...], name: str, what: str, hint: str) -> None:
    """Raise ``TypeError`` when ``value`` is not an instance of ``expected``: ``name`` must be
    ``what``, what came, and ``hint`` (what to do). For a public entry point's object arguments,
    checked once, where the call comes in.

    >>> refuse_type("plan.json", dict, "plan", "a Plan", "load it with load_plan(path)")
    Traceback (most recent call last):
    ...
    TypeError: plan must be a Plan, got str 'plan.json'; load it with load_plan(path)
    """
    if not isinstance(value, expected):
        raise TypeError(f"{name} must be {what}, got {described(value)}; {hint}")


def refuse_non_text(value: object, name: str, what: str, hint: str | None = None) -> None:
    """Raise ``TypeError`` when ``value``, meant as one text (an id, a name), is not a ``str``.

    Without ``hint``, the advice fits what came: an object with a text ``id`` (a unit, a rule) is
    passed by its id, bytes are decoded, a whole number is written as text. Call it where a lookup
    has failed, so that the common case pays nothing.

    >>> refuse_non_text(25774, "query", "a unit id or name")
    Traceback (most recent call last):
    ...
    TypeError: query must be a unit id or name (text), got int 25774; pass '25774'
    """
    if isinstance(value, str):
        return
    if hint is None:
        identifier = getattr(value, "id", None)
        if isinstance(identifier, str):
            hint = f"pass its id, {identifier!r}"
        elif isinstance(value, bytes):
            hint = "decode it first (value.decode())"
        elif isinstance(value, int) and not isinstance(value, bool) and " id" in what:
            hint = f"pass {str(value)!r}"  # an id read as a number
        else:
            hint = "pass a text"
    kind = what if "text" in what else f"{what} (text)"
    raise TypeError(f"{name} must be {kind}, got {described(value)}; {hint}")


LANGUAGES = ("vi", "en")  # the languages of labels and explanations: Vietnamese, English


def check_lang(lang: str) -> None:
    """Refuse a language other than ``vi`` and ``en`` (a misspelt ``"VI"`` would read as English)."""
    if lang not in LANGUAGES:
        refuse_non_text(lang, "lang", "'vi' or 'en'", "pass 'vi' (Vietnamese) or 'en' (English)")
        raise UnknownNameError("language", lang, LANGUAGES, close_matches(lang.lower(), LANGUAGES))


class DvcttRulesError(Exception):
    """Base class of every error raised by dvctt_rules."""


@attrs.frozen
class Problem:
    """One located problem in an input: where it is, what was found, and what to do.

    >>> print(Problem("bad number", source="data.csv", line=4, column="received_online",
    ...               value="12a", hint="write a whole number"))
    data.csv, line 4, column 'received_online': bad number (value '12a'); write a whole number
    """

    message: str
    source: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = [
            part
            for part in (
                self.source,
                None if self.line is None else f"line {self.line}",
                None if self.column is None else f"column {self.column!r}",
            )
            if part
        ]
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.hint:
            text += f"; {self.hint}"
        return text


class DataError(DvcttRulesError, ValueError):
    """An input file or record set has one or more problems; all of them are listed.

    ``problems`` holds every :class:`Problem` found, not just the first; ``summary`` is the
    message's first line ("3 problems in data.csv"), the problems follow it one per line.
    """

    def __init__(self, problems: Iterable[Problem], summary: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        sources = {p.source for p in self.problems}
        where = next(iter(sources)) if len(sources) == 1 and None not in sources else "the input"
        self.summary: str = summary or f"{count:,} problem{'s' if count != 1 else ''} in {where}"
        super().__init__("\n".join([self.summary, *(f"  - {p}" for p in self.problems)]))


class HierarchyError(DataError):
    """The units do not form a valid tree (no root, two roots, a cycle, a missing parent, …).

    ``ids`` names the offending unit ids.
    """

    def __init__(self, problems: Iterable[Problem], ids: Iterable[str] = ()) -> None:
        self.ids: tuple[str, ...] = tuple(ids)
        super().__init__(problems, summary="the units do not form a valid hierarchy")


class UnknownNameError(DvcttRulesError, LookupError):
    """A name (of a measure, indicator, evaluator, level, format, …) is not known.

    ``kind`` says what was looked up, ``name`` what came, ``suggestions`` the closest known names.
    """

    def __init__(self, kind: str, name: str, known: Iterable[str], suggestions: Sequence[str] = ()) -> None:
        self.kind = kind
        self.name = name
        self.known: tuple[str, ...] = tuple(sorted(known))
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        if self.suggestions:
            hint = "did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        else:
            hint = "known: " + ", ".join(self.known) if self.known else "none is registered"
        super().__init__(f"unknown {kind} {name!r}; {hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownUnitError(DvcttRulesError, LookupError):
    """No unit matches an id or name; ``suggestions`` are the closest unit names."""

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query = query
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        message = f"no unit matches {query!r}"
        if self.suggestions:
            message += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            message += "; give a unit id or its name as the hierarchy writes it"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class AmbiguousUnitError(DvcttRulesError, LookupError):
    """Several units match a name; ``candidates`` lists each as ``(id, label)`` (the message names
    the first ten and counts the rest)."""

    def __init__(self, query: str, candidates: Sequence[tuple[str, str]]) -> None:
        self.query = query
        self.candidates: tuple[tuple[str, str], ...] = tuple(candidates)
        labels = listed([label for _, label in self.candidates])
        super().__init__(f"{query!r} is ambiguous: {labels}; give the unit id or the full name")

    def __str__(self) -> str:
        return str(self.args[0])


class DatasetNotFoundError(UnknownNameError):
    """No shipped dataset has this name."""

    def __init__(self, name: str, known: Iterable[str], suggestions: Sequence[str] = ()) -> None:
        super().__init__("dataset", name, known, suggestions)


class PeriodError(DvcttRulesError, ValueError):
    """A period is malformed (expected ``2024``, ``2024-Q1`` or ``2024-03``)."""


class PlanError(DvcttRulesError, ValueError):
    """A plan or plan file is invalid; ``path`` points into the document (``$.rules[2].target``).

    ``problems`` holds every problem found as ``(message, path)``, this one first; the message lists
    the ``others`` after it (the first :data:`LISTED`, then how many more).
    """

    def __init__(
        self, message: str, path: str | None = None, *, others: Sequence[tuple[str, str | None]] = ()
    ) -> None:
        self.path = path
        self.problems: tuple[tuple[str, str | None], ...] = ((message, path), *others)
        text = f"{message} @ {path}" if path else message
        if others:
            each = [f"({n}) {m} @ {p}" if p else f"({n}) {m}" for n, (m, p) in enumerate(others, start=2)]
            text += f" — {len(others) + 1} problems in all; also {listed(each, '; ')}"
        super().__init__(text)


class PluginError(DvcttRulesError):
    """A plugin could not be loaded or does not satisfy its protocol; ``plugin`` names it."""

    def __init__(self, message: str, plugin: str | None = None) -> None:
        self.plugin = plugin
        super().__init__(message)


class EvaluationError(DvcttRulesError):
    """An evaluator failed for a unit, indicator and period, which are kept as attributes."""

    def __init__(
        self,
        message: str,
        *,
        plugin: str | None = None,
        unit: str | None = None,
        indicator: str | None = None,
        period: str | None = None,
    ) -> None:
        self.plugin = plugin
        self.unit = unit
        self.indicator = indicator
        self.period = period
        super().__init__(message)


class MissingExtraError(DvcttRulesError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, feature: str, extra: str, module: str) -> None:
        self.extra = extra
        super().__init__(
            f"{feature} needs the optional package {module!r}; "
            f"install it with: pip install 'dvctt-rules[{extra}]'"
        )
