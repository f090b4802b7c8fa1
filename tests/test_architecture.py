"""The layering in DESIGN.md is enforced: import-linter checks the contracts in pyproject.toml."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def contracts() -> list[dict[str, Any]]:
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return list(config["tool"]["importlinter"]["contracts"])


def own_modules_named_in(contract: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for key in ("source_modules", "forbidden_modules", "modules", "containers"):
        names.update(contract.get(key, []))
    for layer in contract.get("layers", []):
        # "a | b" puts siblings in one layer; "(a)" marks an optional layer.
        names.update(part.strip().strip("()") for part in layer.split("|"))
    return {name for name in names if name == "quarterdeck" or name.startswith("quarterdeck.")}


def test_pyproject_declares_the_layering_contracts() -> None:
    declared = contracts()
    names = [contract["name"] for contract in declared]
    assert len(declared) >= 4
    assert all(contract.get("type") for contract in declared)
    assert len(set(names)) == len(names), "contract names must be unique"


@pytest.mark.parametrize("contract", contracts(), ids=lambda contract: contract["name"])
def test_every_module_a_contract_names_exists(contract: dict[str, Any]) -> None:
    # A contract over a module that does not exist guards nothing, and makes lint-imports fail.
    missing = []
    for name in sorted(own_modules_named_in(contract)):
        spec = importlib.util.find_spec(name)
        # A directory without __init__.py is a namespace package, which import-linter ignores.
        if spec is None or spec.origin is None:
            missing.append(name)
    assert not missing, f"no such package (or no __init__.py): {', '.join(missing)}"


def test_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache", str(PYPROJECT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    declared = contracts()
    assert f"Contracts: {len(declared)} kept, 0 broken." in output, output
    for contract in declared:
        assert f"{contract['name']} KEPT" in output, output
