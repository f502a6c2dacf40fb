"""The apps' imports point one way (import-linter's contracts in pyproject.toml)."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT

PACKAGES = ["config", "govuk", "jobs", "audit", "autosave", "accounts", "inspections", "letters"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root):
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_project(tmp_path):
    """The portal's packages and pyproject.toml, as they are, in a scratch folder."""
    for package in PACKAGES:
        shutil.copytree(
            PROJECT_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc")
        )
    shutil.copy(PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_import_contracts_hold():
    """lint-imports passes on the project as it is."""
    finished = lint_imports(PROJECT_ROOT)
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_the_contracts_fail_if_inspections_imports_the_letters_app(tmp_path):
    """An import from inspections up into letters breaks the layers contract."""
    root = copy_of_the_project(tmp_path)
    services = root / "inspections" / "services.py"
    services.write_text(services.read_text() + "\nfrom letters import models  # noqa\n")
    finished = lint_imports(root)
    assert finished.returncode != 0
    assert "inspections.services -> letters.models" in finished.stdout


def test_the_contracts_fail_if_weasyprint_is_imported_outside_the_renderer(tmp_path):
    """WeasyPrint is imported by letters.rendering.pdf alone."""
    root = copy_of_the_project(tmp_path)
    views = root / "letters" / "drafting" / "views.py"
    views.write_text(views.read_text() + "\nimport weasyprint  # noqa\n")
    finished = lint_imports(root)
    assert finished.returncode != 0
    assert "letters.drafting.views -> weasyprint" in finished.stdout
