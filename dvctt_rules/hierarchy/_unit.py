"""Administrative units and level layouts."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from itertools import pairwise, repeat

import attrs

from .._errors import DataError, Problem, described, refuse_non_text
from .._text import nfc

__all__ = ["DEFAULT_LEVELS", "TWO_TIER_LEVELS", "Unit"]

#: The 2023 layout, highest first: provincial agencies and district-level units both sit under the
#: province; communes under districts.
DEFAULT_LEVELS: tuple[str, ...] = ("province", "department", "district", "commune")

#: The layout after the 1/7/2025 reform: no district level.
TWO_TIER_LEVELS: tuple[str, ...] = ("province", "department", "commune")


#: The fields a hierarchy's records and CSV columns already hold: not attribute keys (an attribute
#: ``parent`` or ``code`` would overwrite the real field when the hierarchy is written).
_RESERVED_ATTRIBUTES = frozenset(("id", "name", "level", "parent", "code"))


def _to_attributes(
    value: Mapping[str, str] | Iterable[tuple[str, str]] | None,
) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, str | bytes):
        raise TypeError(
            f"Unit.attributes must be a mapping of key → text, got {described(value)}; "
            "write {'key': 'value'}"
        )
    try:
        items = list(value.items() if isinstance(value, Mapping) else value)
    except TypeError:  # not iterable: 5
        raise TypeError(f"Unit.attributes must be a mapping of key → text, got {described(value)}") from None
    unknown = [k for k, v in items if v is None]
    if unknown:  # "None" as text would be a guess; a CSV file leaves the cell blank (no attribute)
        raise TypeError(f"Unit.attributes values are texts; {unknown[0]!r} is None: leave the key out")
    return tuple(sorted((nfc(str(k)), nfc(str(v))) for k, v in items))  # in NFC, as names are


def _valid_attributes(instance: Unit, attribute: object, pairs: tuple[tuple[str, str], ...]) -> None:
    if not pairs:
        return
    problems: list[Problem] = []
    keys = [key for key, _ in pairs]
    for key in sorted(_RESERVED_ATTRIBUTES.intersection(keys)):
        field = f"pass it as Unit(..., {key}=...)" if key != "parent" else "give the parent to the hierarchy"
        problems.append(
            Problem(
                f"the attribute {key!r} is a unit field, not an extra attribute",
                hint=f"{field}, or give the attribute another name",
            )
        )
    for key in sorted({key for key, after in pairwise(keys) if key == after}):
        values = ", ".join(repr(value) for k, value in pairs if k == key)
        problems.append(
            Problem(f"the attribute {key!r} is given more than once ({values})", hint="give it once")
        )
    if any(not key.strip() for key in keys):
        problems.append(Problem("an attribute name is blank", hint="name every attribute"))
    if problems:
        count = len(problems)
        raise DataError(
            problems,
            summary=f"unit {instance.id!r}: {count} problem{'s' if count != 1 else ''} in its attributes",
        )


def _name(value: str) -> str:
    try:
        return nfc(value)
    except TypeError:
        refuse_non_text(value, "Unit.name", "a name")
        raise


def _nonempty(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str):
        refuse_non_text(value, f"Unit.{attribute.name}", "an id" if attribute.name == "id" else "a level")
    if not value.strip():
        raise ValueError(f"Unit.{attribute.name} must not be empty")


def _optional_code(instance: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and not isinstance(value, str):  # a GSO code read as a number loses its zeros
        refuse_non_text(value, "Unit.code", "an official code or None", f"pass {str(value)!r}")


def id_of(unit: Unit | str, name: str = "unit") -> str:
    """The id of ``unit``, a :class:`Unit` or its id; ``TypeError`` naming ``name`` for anything
    else. Internal."""
    if isinstance(unit, Unit):
        return unit.id
    refuse_non_text(unit, name, "a Unit or a unit id")  # returns for a text only
    assert isinstance(unit, str)
    return unit


@attrs.frozen
class Unit:
    """One administrative unit or agency: a value, hashable and equal by value.

    The name is kept in NFC exactly as given (no other change), ``code`` is an official code
    (GSO) where there is one, ``attributes`` any extra string attributes, kept sorted and in NFC. An attribute
    may not be called like a field (``id``, ``name``, ``level``, ``parent``, ``code``: writing the
    hierarchy would overwrite the field), nor be given twice: both raise :class:`~dvctt_rules.DataError`.

    >>> Unit("25774", "Phường Chánh Mỹ", "commune", code="25774")
    Unit(id='25774', name='Phường Chánh Mỹ', level='commune', code='25774', attributes=())
    """

    id: str = attrs.field(validator=_nonempty)
    name: str = attrs.field(converter=_name, validator=_nonempty)
    level: str = attrs.field(validator=_nonempty)
    code: str | None = attrs.field(default=None, validator=_optional_code)
    attributes: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_to_attributes, validator=_valid_attributes
    )

    @classmethod
    def _trusted(
        cls, id: str, name: str, level: str, code: str | None, attributes: tuple[tuple[str, str], ...]
    ) -> Unit:
        """A unit from fields already checked (non-blank id, name in NFC, level; attributes sorted),
        without the converters: for readers that check every cell themselves. Internal."""
        unit = object.__new__(cls)
        setter = object.__setattr__
        setter(unit, "id", id)
        setter(unit, "name", name)
        setter(unit, "level", level)
        setter(unit, "code", code)
        setter(unit, "attributes", attributes)
        return unit

    @classmethod
    def _trusted_columns(
        cls, ids: list[str], names: list[str], levels: list[str], codes: Iterable[str | None]
    ) -> list[Unit]:
        """Units without attributes from columns of fields checked as :meth:`_trusted` asks, each
        field set by its slot's own setter over the whole column: no Python step per unit. Internal."""
        units: list[Unit] = list(map(object.__new__, repeat(cls, len(ids))))
        for field, column in (
            ("id", ids),
            ("name", names),
            ("level", levels),
            ("code", codes),
            ("attributes", repeat((), len(ids))),
        ):
            deque(map(getattr(cls, field).__set__, units, column), maxlen=0)
        return units

    def attribute(self, key: str, default: str | None = None) -> str | None:
        """The extra attribute ``key``, or ``default``."""
        return dict(self.attributes).get(key, default)
