"""Layering rules import-linter cannot see (pages/ is a folder of scripts, not a package)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "services").rglob("*.py")), ids=str)
def test_services_never_import_the_ui(path):
    assert imported_modules(path) & {"streamlit", "portal", "pages"} == set()


PAGE_FILES = sorted((ROOT / "pages").rglob("*.py"))


def test_every_capability_has_its_pages_in_a_folder_of_its_own():
    assert PAGE_FILES and all(path.parent.parent == ROOT / "pages" for path in PAGE_FILES)


@pytest.mark.parametrize("path", PAGE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pages_stay_thin(path):
    assert (
        imported_modules(path) & {"sqlalchemy", "sqlmodel", "httpx", "sqlite3", "psycopg"} == set()
    )
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 150


def test_no_pages_folder_beside_the_entrypoint():
    # Streamlit's legacy multipage mode would serve every file in it, bypassing navigation.
    assert not (ROOT / "portal" / "pages").exists()
