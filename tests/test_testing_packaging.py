"""dvctt_rules.testing as a package: an optional extra the core never imports, a pinned public API, and a
downstream example that keeps working."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dvctt_rules.testing as testing

ROOT = Path(__file__).parents[1]
DOWNSTREAM = ROOT / "examples" / "downstream"


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )


def test_the_core_never_imports_hypothesis() -> None:
    code = """
import importlib, pkgutil, sys
import dvctt_rules
skip = ("testing", "__main__")  # the optional extra itself; running the CLI
names = sorted(m.name for m in pkgutil.iter_modules(dvctt_rules.__path__) if m.name not in skip)
for name in names:
    importlib.import_module(f"dvctt_rules.{name}")
loaded = sorted(m for m in sys.modules if m == "hypothesis" or m.startswith("hypothesis."))
print(",".join(names))
assert not loaded, loaded
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    imported = result.stdout.strip().split(",")
    assert {"hierarchy", "observations", "plugins", "rules", "datasets", "render", "cli"} <= set(imported)


def test_the_checks_work_without_hypothesis_and_the_strategies_say_what_to_install() -> None:
    code = """
import sys
sys.modules["hypothesis"] = None  # as if the extra were not installed
import dvctt_rules.testing as testing
from dvctt_rules import MissingExtraError
from dvctt_rules.testing import check_ranking
check_ranking([])
try:
    testing.hierarchies
except MissingExtraError as exc:
    print(exc)
else:
    raise SystemExit("no MissingExtraError")
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert "pip install 'dvctt-rules[testing]'" in result.stdout


def test_public_api() -> None:
    assert set(testing.__all__) == {
        "INVALID_KINDS",
        "INVALID_OBSERVATION_KINDS",
        "INVALID_PLAN_KINDS",
        "LAYOUTS",
        "SAMPLE_UNIT_IDS",
        "STATUSES",
        "TRICKY_HIERARCHY",
        "ambiguous_names",
        "cells",
        "check_ranking",
        "check_rollup",
        "check_verdicts",
        "citations",
        "count_values",
        "dates",
        "hierarchies",
        "indicators",
        "invalid_hierarchy_records",
        "invalid_observation_files",
        "invalid_observation_records",
        "invalid_plan_documents",
        "leaf_assignments",
        "notes",
        "observation_records",
        "observations",
        "other_tone_style",
        "period_sets",
        "periods",
        "plans",
        "proportions",
        "rate_values",
        "raw_rules",
        "rules",
        "scoring_schemes",
        "spellings",
        "target_tables",
        "targets",
        "thresholds",
        "unit_names",
        "zero_denominator_groups",
    }
    assert all(hasattr(testing, name) for name in testing.__all__)
    assert all(getattr(testing, name).__doc__ for name in testing.__all__ if callable(getattr(testing, name)))


def test_the_downstream_example_runs(tmp_path: Path) -> None:
    # Run from a scratch directory so that Hypothesis' database and caches stay out of the source tree.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(DOWNSTREAM)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    readme = (DOWNSTREAM / "README.md").read_text(encoding="utf-8")
    assert "pip install 'dvctt-rules[testing]' pytest && pytest examples/downstream" in readme
