"""The import-linter contracts in pyproject.toml hold, and really fail on a wrong-way import."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ["ssoportal", "core", "access", "mfa", "schools", "officers", "priorities", "safeguarding", "searches"]
PACKAGES += ["reminders", "api", "notifications", "invitations", "retention", "workspace", "desk", "statements"]
PACKAGES += ["casework"]


def _lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "static"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_every_app_is_named_in_the_layer_contract():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")} | {"ssoportal"}
    assert set(config["root_packages"]) == apps == set(PACKAGES)


def test_the_code_keeps_every_contract(copy_of_the_code):
    result = _lint_imports(copy_of_the_code)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "wrong_way_import"),
    [
        ("core/wrong_way.py", "import schools.models"),
        ("access/wrong_way.py", "from officers.models import Officer"),
        ("schools/wrong_way.py", "import officers.models"),
        ("safeguarding/wrong_way.py", "import api.models"),
        ("ssoportal/wrong_way.py", "import safeguarding.models"),
    ],
)
def test_a_wrong_way_import_breaks_the_contracts(copy_of_the_code, module, wrong_way_import):
    (copy_of_the_code / module).write_text(wrong_way_import + "\n")
    result = _lint_imports(copy_of_the_code)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout


def test_an_import_cycle_inside_an_app_breaks_the_contracts(copy_of_the_code):
    (copy_of_the_code / "core" / "cycle_a.py").write_text("from core import cycle_b\n")
    (copy_of_the_code / "core" / "cycle_b.py").write_text("from core import cycle_a\n")
    result = _lint_imports(copy_of_the_code)
    assert result.returncode != 0
    assert "No cycles are allowed in core" in result.stdout
