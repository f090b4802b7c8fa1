from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from quarterdeck.cli.app import app

Invoke = Callable[..., Result]


@pytest.fixture
def cli(database_url: str) -> Invoke:
    """Run `quarterdeck --db <fresh database> ARGS...`; the schema is created first."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--db", database_url, *args], input=input)

    assert invoke("init").exit_code == 0
    return invoke
