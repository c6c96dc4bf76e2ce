"""The dependency rule between the project's apps (docs/architecture.md), checked on every module's imports.

    config            may import anything
    applications  ->  conferences  ->  network  ->  core
         \\             \\
          -> reports, imports -> core          (frameworks know no domain app; domain apps plug in)
    accounts, devtools: may import anything; nothing imports them
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["config", "core", "reports", "imports", "network", "conferences", "applications", "api", "accounts", "devtools"]
# What each app may import, besides itself and third-party code.
ALLOWED = {
    "core": set(),
    "reports": {"core"},
    "imports": {"core"},
    "network": {"core", "reports", "imports"},
    "conferences": {"core", "reports", "imports", "network"},
    # Admissions make members: they read and write the network; nothing but config, accounts, devtools imports them.
    "applications": {"core", "reports", "imports", "network", "conferences"},
    "accounts": set(APPS) - {"devtools"},
    "devtools": set(APPS) - {"accounts"},
    # The open-data API composes both domain apps, like config; nothing but config imports it.
    "api": set(APPS) - {"accounts", "devtools", "applications"},
    "config": set(APPS) - {"accounts", "devtools"},
}


def imported_apps(path: Path) -> set[tuple[int, str]]:
    """(line, app) for every import of a project app in the module, however written (top level or in a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {(node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in APPS}
    return found


def forbidden_imports() -> list[str]:
    problems = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            for line, target in sorted(imported_apps(path)):
                if target != app and target not in ALLOWED[app]:
                    problems.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    return problems


def test_every_app_imports_only_what_the_dependency_rule_allows():
    assert forbidden_imports() == []


@pytest.mark.parametrize("app", APPS)
def test_the_rule_sees_every_app(app):
    assert list((ROOT / app).rglob("*.py")), f"{app} has no modules: the rule above checks nothing there"


def test_the_rule_catches_a_forbidden_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from conferences.models import Delegate\nimport network.models\nimport os\n")
    assert imported_apps(module) == {(2, "conferences"), (3, "network")}
