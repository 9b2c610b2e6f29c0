"""The Python shown in the README and in docs/testing.md runs, and gives what its comments say.

A bare expression followed by a comment that starts with a Python literal (``len(h.units("commune"))
# 91``) or a repr (``r  # <AllOf …>``) must evaluate to it; the comment lines after a ``print`` loop
are its output, a line indented further continuing the one before."""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(document: str) -> list[str]:
    return BLOCK.findall((ROOT / document).read_text(encoding="utf-8"))


def _expected(comment: str) -> tuple[bool, Any]:
    """(True, value) when the comment starts with a literal (the rest an aside after ``;`` or a
    parenthesis), (True, text) for a repr in angle brackets, else (False, None)."""
    if comment.startswith("<"):
        return True, comment
    for cut in (len(comment), comment.find(";"), comment.find(" (")):
        if cut > 0:
            with contextlib.suppress(ValueError, SyntaxError):
                return True, ast.literal_eval(comment[:cut].strip())
    return False, None


def _run(source: str, namespace: dict[str, Any]) -> tuple[str, int]:
    """Run ``source`` statement by statement; check each commented expression. Returns the printed
    text and how many expressions were checked."""
    lines = source.splitlines()
    checked = 0
    out = io.StringIO()
    for statement in ast.parse(source).body:
        code = ast.Module(body=[statement], type_ignores=[])
        line = lines[statement.lineno - 1]
        comment = line.partition("  #")[2].strip() if statement.end_lineno == statement.lineno else ""
        if isinstance(statement, ast.Expr) and comment:
            known, value = _expected(comment)
            if known:
                got = eval(compile(ast.Expression(statement.value), "<doc>", "eval"), namespace)
                assert (repr(got) if isinstance(value, str) and comment.startswith("<") else got) == value, (
                    line
                )
                checked += 1
                continue
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<doc>", "exec"), namespace)
    return out.getvalue(), checked


def _printed(source: str) -> list[str]:
    """The output the comments after a ``print`` loop show, continuation lines joined."""
    shown: list[str] = []
    after_print = False
    for line in source.splitlines():
        if "print(" in line:
            after_print = True
        elif after_print and line.startswith("#   "):
            shown[-1] += " " + line[1:].strip()
        elif after_print and line.startswith("# "):
            shown.append(line[2:])
        elif after_print and line.strip():
            after_print = False
    return shown


def test_the_readme_tour_runs_and_shows_what_it_says(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # it reads examples/observations-2024.csv
    tour = _blocks("README.md")[0]
    printed, checked = _run(tour, {})
    assert checked == 3
    assert printed.splitlines() == _printed(tour) != []


def test_the_readme_rules_example_shows_what_it_says() -> None:
    block = next(b for b in _blocks("README.md") if "Threshold(" in b)
    _, checked = _run(block, {})
    assert checked == 3


@pytest.mark.parametrize(
    ("document", "marker"),
    [("README.md", "def test_verdicts_agree_with_the_counts"), ("docs/testing.md", "max_examples=25")],
)
def test_the_property_tests_shown_in_the_docs_pass(document: str, marker: str) -> None:
    block = next(b for b in _blocks(document) if marker in b)
    namespace: dict[str, Any] = {}
    exec(compile(block, document, "exec"), namespace)
    namespace["test_verdicts_agree_with_the_counts"]()  # hypothesis runs its examples
