"""The ``dvctt-rules`` command line.

Each command lives in its own module with ``register(subparsers)``; a user error exits 2 with a
one-line message on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from .._errors import DataError, DvcttRulesError
from .._gc import paused_gc
from ..plugins import DuplicatePluginWarning
from ..rules import UnmatchedUnitWarning
from . import _evaluate, _plan, _rank, _rollup, _units, _validate
from ._common import whole_number

__all__ = ["main"]

_COMMANDS = (_units, _validate, _plan, _evaluate, _rollup, _rank)


class _Version(argparse.Action):
    """``--version``: the installed version, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=str(kwargs["help"]))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from .. import __version__

        sys.stdout.write(f"dvctt-rules {__version__}\n")
        parser.exit()


#: Problems of a data error the command line lists before counting the rest (``--problems``).
PROBLEMS = 50


def _data_error(exc: DataError, limit: int) -> str:
    """The error's summary and its problems, one per line: the first ``limit`` (0: all), then how
    many more there are of each kind (column and message), most first."""
    problems = exc.problems
    shown = problems if limit == 0 else problems[:limit]
    lines = [exc.summary, *(f"  - {p}" for p in shown)]
    rest = problems[len(shown) :]
    if rest:
        kinds = Counter((p.column, p.message) for p in rest).most_common()
        lines.append(f"  … and {len(rest):,} more (all of them: dvctt-rules --problems 0 …):")
        for (column, message), count in kinds[:5]:
            lines.append(f"    {count:,} × " + (f"column {column!r}: " if column else "") + message)
        if len(kinds) > 5:
            lines.append(f"    {sum(n for _, n in kinds[5:]):,} × other problems")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="dvctt-rules",
        description="Check, explain and rank a provincial plan for online public services (DVCTT).",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    problems = {
        "type": whole_number(0),
        "metavar": "N",
        "help": f"list at most N problems of an input with errors, then count the rest by kind "
        f"(default {PROBLEMS}; 0: all of them)",
    }
    parser.add_argument("--problems", default=PROBLEMS, **problems)  # type: ignore[arg-type]
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in _COMMANDS:
        module.register(subparsers)
    for command in subparsers.choices.values():  # also after the command; unset there, the default
        command.add_argument("--problems", default=argparse.SUPPRESS, **problems)  # type: ignore[arg-type]
    return parser


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """The library's warnings as one line of the command's own, not Python's file and line."""
    if issubclass(category, (UnmatchedUnitWarning, DuplicatePluginWarning)):
        print(f"dvctt-rules: warning: {' '.join(str(message).split())}", file=file or sys.stderr)
    else:
        print(
            warnings.formatwarning(message, category, filename, lineno, line), end="", file=file or sys.stderr
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed checks, 2 user error)."""
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with paused_gc():  # one command, then the process ends
            status: int = args.run(args)
    except DataError as exc:
        # A data error lists its problems, one per line, after its summary line (--problems of them).
        print(f"dvctt-rules: error: {_data_error(exc, args.problems)}", file=sys.stderr)
        return 2
    except DvcttRulesError as exc:
        message = " ".join(str(exc).split())
        print(f"dvctt-rules: error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # pragma: no cover - e.g. piping into `head`
        return 0
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
