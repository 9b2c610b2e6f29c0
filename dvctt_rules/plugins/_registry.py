"""A registry of named plugins, filled by built-ins and, lazily, by an entry-point group."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Generic, NoReturn, TypeVar

import attrs

from .._errors import PluginError, UnknownNameError, refuse_non_text
from .._text import close_matches

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

__all__ = ["DuplicatePluginWarning", "Registry"]

T = TypeVar("T")


class DuplicatePluginWarning(UserWarning):
    """A plugin's name is already taken; the first one registered is kept."""


@attrs.frozen
class _Broken:
    """An entry point that failed to load or to pass the check, and where it came from."""

    error: PluginError
    origin: str


def _entry_points(group: str) -> Iterable[EntryPoint]:
    # importlib.metadata is imported when plugins are first looked for, not with the library.
    from importlib.metadata import entry_points

    return entry_points(group=group)


class Registry(Generic[T]):
    """Named plugins of one kind, checked against a protocol.

    Built-ins are registered directly with :meth:`register`; third-party plugins are discovered
    lazily from the entry-point ``group`` the first time a name is not found or the names are
    listed. A duplicate name keeps the first plugin and warns. Discovery loads every entry point it
    can: one that fails to load or does not satisfy the protocol is kept aside, and asking for it
    (:meth:`get`, ``in``) or listing the names raises :class:`~dvctt_rules.PluginError` naming it,
    every time; the other plugins stay available.

    ``check`` returns the plugin (possibly after instantiating a class) or raises ``TypeError``
    with the reason.
    """

    def __init__(
        self,
        kind: str,
        group: str,
        check: Callable[[object], T],
        *,
        entry_points_source: Callable[[str], Iterable[EntryPoint]] | None = None,
    ) -> None:
        self.kind = kind
        self.group = group
        self._check = check
        self._plugins: dict[str, T] = {}
        self._origins: dict[str, str] = {}
        self._broken: dict[str, _Broken] = {}
        self._discovered = False
        self._entry_points = entry_points_source or _entry_points

    def register(self, plugin: object, *, name: str | None = None, origin: str = "direct") -> T:
        """Check and add ``plugin`` under ``name`` (default: its ``name`` attribute); returns it."""
        try:
            checked = self._check(plugin)
        except TypeError as exc:
            label = name or getattr(plugin, "name", None) or repr(plugin)
            raise PluginError(
                f"{self.kind} plugin {label!r} ({origin}) is not valid: {exc}", plugin=label
            ) from None
        key = name or str(getattr(checked, "name", ""))
        if not key:
            raise PluginError(f"{self.kind} plugin {plugin!r} ({origin}) has no name", plugin=repr(plugin))
        if key in self._plugins:
            warnings.warn(
                f"{self.kind} plugin {key!r} from {origin} is ignored: the name is already taken by "
                f"{self._origins[key]}",
                DuplicatePluginWarning,
                stacklevel=2,
            )
            return self._plugins[key]
        self._plugins[key] = checked
        self._origins[key] = origin
        return checked

    def unregister(self, name: str) -> None:
        """Remove a plugin, or forget one that failed to load (tests use this to restore a registry);
        a name not registered is nothing to remove."""
        refuse_non_text(name, "name", f"the name of a registered {self.kind}")
        self._plugins.pop(name, None)
        self._origins.pop(name, None)
        self._broken.pop(name, None)

    def discover(self) -> None:
        """Load every plugin of the entry-point group now (done at most once, lazily).

        An entry point that fails to load or to pass the protocol check does not stop the others:
        its error is kept and raised whenever that plugin is asked for.
        """
        if self._discovered:
            return
        self._discovered = True
        for entry in sorted(self._entry_points(self.group), key=lambda ep: ep.name):
            origin = f"entry point {entry.name!r} = {entry.value!r}"
            if entry.name in self._plugins or entry.name in self._broken:
                taken = self._origins.get(entry.name) or self._broken[entry.name].origin
                warnings.warn(
                    f"{self.kind} plugin {entry.name!r} from {origin} is ignored: the name is already taken "
                    f"by {taken}",
                    DuplicatePluginWarning,
                    stacklevel=2,
                )
                continue
            try:
                loaded = entry.load()
            except Exception as exc:  # any failure of third-party code is reported as the plugin's
                error = PluginError(
                    f"{self.kind} plugin {entry.name!r} could not be loaded from {entry.value!r}: {exc}; "
                    f"fix or uninstall the package that provides it",
                    plugin=entry.name,
                )
                error.__cause__ = exc
                self._broken[entry.name] = _Broken(error, origin)
                continue
            try:
                self.register(loaded, name=entry.name, origin=origin)
            except PluginError as error:
                self._broken[entry.name] = _Broken(error, origin)

    def _raise_broken(self, name: str) -> NoReturn:
        broken = self._broken[name]
        # A fresh exception each time: re-raising the same object would chain its old tracebacks.
        error = PluginError(str(broken.error), plugin=name)
        raise error from broken.error.__cause__

    def get(self, name: str) -> T:
        """The plugin called ``name``; unknown names get did-you-mean suggestions.

        A plugin whose entry point failed to load raises :class:`~dvctt_rules.PluginError` with
        the reason, at each call.
        """
        try:
            return self._plugins[name]
        except KeyError:
            pass
        except TypeError:  # unhashable: refused just below
            pass
        refuse_non_text(name, "name", f"the name of a registered {self.kind}")
        self.discover()
        if name in self._plugins:
            return self._plugins[name]
        if name in self._broken:
            self._raise_broken(name)
        known = [*self._plugins, *self._broken]
        raise UnknownNameError(self.kind, name, known, close_matches(name, known)) from None

    def names(self) -> tuple[str, ...]:
        """Every registered name, sorted (entry points included).

        Raises :class:`~dvctt_rules.PluginError` naming every plugin whose entry point failed to
        load, rather than leaving them out of the list; :meth:`get` still gives the others.
        """
        self.discover()
        if self._broken:
            if len(self._broken) == 1:
                self._raise_broken(next(iter(self._broken)))
            broken = sorted(self._broken)
            reasons = "\n".join(f"  - {self._broken[name].error}" for name in broken)
            raise PluginError(
                f"{len(broken)} {self.kind} plugins could not be loaded ({', '.join(map(repr, broken))}); "
                f"fix or uninstall the packages that provide them:\n{reasons}",
                plugin=broken[0],
            )
        return tuple(sorted(self._plugins))

    def origin(self, name: str) -> str:
        """Where the plugin came from: ``"built-in"``, ``"direct"`` or its entry point."""
        self.get(name)
        return self._origins[name]

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        if name in self._plugins:
            return True
        self.discover()
        if name in self._broken:
            self._raise_broken(name)
        return name in self._plugins
