"""The layers hold: the import-linter contract passes on the tree and fails when broken."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("ioc_app", "layouts", "callbacks", "analytics", "geo", "data_access")
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
LAYERS = "Imports point down: application, pages, services, base, analytics/geo/data_access"
NO_DASH = "analytics, geo, data_access and the services import no Dash"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the project's contract (``.importlinter``) on the packages under ``root``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / ".importlinter"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def copy_tree(target: Path) -> Path:
    """The contract and the six packages, copied to ``target`` (no caches)."""
    shutil.copy(REPO / ".importlinter", target / ".importlinter")
    for package in PACKAGES:
        shutil.copytree(
            REPO / package, target / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return target


def test_the_layers_hold_on_the_tree() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # the base package importing a page
        ("ioc_app/core/ids.py", "import layouts.map", LAYERS),
        # a service importing a page's callbacks
        ("ioc_app/services/plan.py", "import callbacks.plan", LAYERS),
        # the warehouse importing Dash
        ("data_access/db.py", "import dash", NO_DASH),
    ],
)
def test_a_broken_layer_fails_the_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    root = copy_tree(tmp_path)
    path = root / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint_imports(root)
    assert result.returncode != 0
    report = " ".join(result.stdout.split())  # long contract names wrap
    assert f"{contract} BROKEN" in report, result.stdout
