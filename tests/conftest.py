"""Hypothesis profiles (``ci`` by default, ``dev`` for quick local runs) and the ``cli`` fixture."""

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

from dvctt_rules.cli import main

settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=15, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


CliRun = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> CliRun:
    """Run ``dvctt-rules`` in-process: ``cli("units")`` gives (exit status, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse's own exits (--version, --help, usage errors)
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    return run
