"""Nothing exists that no capability manifest declares: pages, routes, tables, demo parts, audit
actions (each with a label in both languages)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from sqlalchemy import inspect

from portal.kit import catalogs
from services import domains, schema
from services.core import migrate

ROOT = Path(__file__).resolve().parents[2]
SHELL_ROUTES = {
    "/healthz",
    "/staff/login",
    "/staff/logout",
    "/api/v1/openapi.json",  # the document of every declared endpoint (services/shared/openapi.py)
    "/api/{rest:path}",  # the catch-alls: a 404 in the API format (portal/server.py)
    "/open311/{rest:path}",
    "/feeds/{rest:path}",
}


def declared(attribute: str) -> list[str]:
    return [item for m in domains.domains() for item in getattr(m, attribute)]


def test_capability_names_are_unique_and_are_packages_in_services():
    names = [m.name for m in domains.domains()]
    assert len(names) == len(set(names))
    for name in names:
        assert importlib.util.find_spec(f"services.{name}") is not None


def test_every_page_file_is_declared_once_and_every_declared_page_exists():
    files = [page.file for page in domains.pages()]
    assert len(files) == len(set(files))
    on_disk = {str(p.relative_to(ROOT / "pages")) for p in (ROOT / "pages").rglob("*.py")}
    assert set(files) == on_disk


def test_page_urls_are_unique_and_there_is_one_home():
    pages = domains.pages()
    assert len({p.url_path for p in pages}) == len(pages)
    assert [p.file for p in pages if p.default] == ["home/home.py"]


def test_every_page_lives_in_its_capabilitys_folder():
    for manifest in domains.domains():
        for page in manifest.pages:
            assert page.file.split("/")[0] == manifest.name


def test_the_server_serves_exactly_the_declared_routes():
    from portal import server

    served = [route.path for route in server.routes if route.path not in SHELL_ROUTES]
    assert len(served) == len(set(served))
    assert set(served) == set(declared("routes"))


def test_each_capability_serves_its_own_routes():
    for manifest in domains.domains():
        if manifest.routes:
            module = importlib.import_module(f"{manifest.portal_package}.routes")
            assert [route.path for route in module.routes] == list(manifest.routes)


def test_every_table_is_declared_once_and_every_declared_table_exists():
    tables = declared("tables")
    assert len(tables) == len(set(tables))
    assert set(schema.metadata.tables) == set(tables)


def test_the_migrations_create_exactly_the_declared_tables(engine):
    migrate.upgrade(engine)
    created = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert created == schema.declared_tables()


def test_every_capability_with_a_demo_module_declares_its_demo_parts():
    parts = {(p.generate.__module__, p.name) for p in domains.demo_parts()}
    names = [name for _module, name in parts]
    assert len(names) == len(set(names))
    for manifest in domains.domains():
        module = f"services.{manifest.name}.demo"
        if importlib.util.find_spec(module) is not None:
            assert any(m.startswith(module) for m, _name in parts), module


def test_every_home_tile_has_a_renderer_in_its_portal_package():
    for manifest, _tile in domains.home_tiles():
        assert callable(importlib.import_module(f"{manifest.portal_package}.tile").render)


def audit_actions_in_code() -> set[str]:
    """Every `action=` given to audit.record in services/ and portal/, read from the source.

    An f-string action (`f"complaint.{action}"` inside a helper) is expanded with the strings the
    module passes to that helper as `action`, directly or through a local variable.
    """
    found: set[str] = set()
    for path in [*(ROOT / "services").rglob("*.py"), *(ROOT / "portal").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for node in ast.walk(function):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "record":
                    for keyword in node.keywords:
                        if keyword.arg == "action":
                            found |= _values(keyword.value, tree, function, path)
    return found


def _values(node: ast.expr, tree: ast.Module, function: ast.FunctionDef, path: Path) -> set[str]:
    if isinstance(node, ast.Constant):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _values(node.body, tree, function, path) | _values(node.orelse, tree, function, path)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        prefix = node.values[0].value
        return {prefix + value for value in _passed_as_action(tree, function)}
    if isinstance(node, ast.Name) and node.id in [a.arg for a in function.args.args]:
        return set()  # passed through from the caller, whose literal is found where it is written
    raise AssertionError(f"an audit action in {path} that this test cannot read: {ast.dump(node)}")


def _passed_as_action(tree: ast.Module, helper: ast.FunctionDef) -> set[str]:
    """The strings each call of `helper` in the module passes for its `action` parameter."""
    position = [a.arg for a in helper.args.args].index("action")
    values: set[str] = set()
    for caller in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        for call in ast.walk(caller):
            if isinstance(call, ast.Call) and getattr(call.func, "id", "") == helper.name:
                argument = call.args[position]
                if isinstance(argument, ast.Name):  # a local variable: its assigned strings
                    for assign in ast.walk(caller):
                        if isinstance(assign, ast.Assign) and any(
                            getattr(t, "id", "") == argument.id for t in assign.targets
                        ):
                            values |= _values(assign.value, tree, caller, Path(helper.name))
                else:
                    values |= _values(argument, tree, caller, Path(helper.name))
    return values


def test_every_audit_action_in_the_code_is_declared_with_a_label():
    missing = audit_actions_in_code() - set(domains.audit_labels())
    assert missing == set()


def test_the_action_scan_finds_actions_of_every_capability():
    found = audit_actions_in_code()
    for action in ("login.failed", "air.import", "water.import", "complaint.accept",
                   "complaint.identity_opened"):  # fmt: skip
        assert action in found


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_audit_label_is_translated(lang):
    catalog = catalogs.load(catalogs.po_path(lang))
    for action, label in domains.audit_labels().items():
        message = catalog.get(label)
        assert message is not None and message.string, (action, label)
        if lang == "zh_CN":
            assert message.string != label, (action, label)


def test_no_label_is_declared_for_an_action_the_code_never_records():
    assert set(domains.audit_labels()) - audit_actions_in_code() == set()
