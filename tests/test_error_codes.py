"""Every broken rule carries a code: the API answers a single problem with it (a phone tells
"already checked in" from any other refusal), so a ``ValidationError`` made without ``code=``
in the apps listed here fails this test, and so does a code missing from the table of codes in
docs/architecture.md ("Rule codes").

A rule that finds several problems returns them as ``ValidationError``s, each with its code,
and the service raises them together: ``ValidationError(problems)``. That one form, a single
name ``problems`` and no ``code=``, is allowed, because each problem in it carries its own.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "coopcare"
DOCS = ROOT / "docs" / "architecture.md"

# The apps whose errors all carry codes.
APPS = [
    "members",
    "care",
    "visits",
    "work",
    "cooperatives",
    "governance",
    "rostering",
    "documents",
    "imports",
    "risks",
    "respite",
    "medication",
    "billing",
    "bodymap",
    "voice",
    "conversations",
    "push",
    "retention",
    "privacy",
    "childcare",
    "household",
    "timecredits",
    # Not an app: the module of the records kept as written, whose one code every such record
    # raises.
    "kept",
]


def _sources(app: str) -> Iterator[Path]:
    module = SOURCE / f"{app}.py"
    if module.exists():
        yield module
        return
    for path in sorted((SOURCE / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """``ValidationError`` and the apps' own subclasses of it (``kept.Refused``...)."""
    names = {"ValidationError"}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(_name(b) in names for b in node.bases):
                names.add(node.name)
    return names


def _parsed(app: str) -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(), str(path))) for path in _sources(app)]


def _errors_made(app: str) -> Iterator[tuple[Path, ast.Call]]:
    """Each call that makes a ``ValidationError`` (or a subclass) in ``app``."""
    parsed = _parsed(app)
    classes = _error_classes([tree for _path, tree in parsed])
    for path, tree in parsed:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in classes:
                yield path, node


def _code(call: ast.Call) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == "code"), None)


def _wraps_problems(call: ast.Call) -> bool:
    """``ValidationError(problems)``: the rules' problems raised together, each coded."""
    return (
        len(call.args) == 1
        and isinstance(call.args[0], ast.Name)
        and call.args[0].id == "problems"
        and not call.keywords
    )


def _documented_codes() -> dict[str, set[str]]:
    """The table of docs/architecture.md: each code and the apps that raise it."""
    table = {}
    for line in DOCS.read_text().splitlines():
        row = re.match(r"\| `([a-z0-9_]+)` \| ([a-z, ]+) \| .+ \|$", line)
        if row:
            table[row[1]] = {app.strip() for app in row[2].split(",")}
    return table


@pytest.mark.parametrize("app", APPS)
def test_every_validation_error_names_its_failure(app):
    uncoded = [
        f"{path.relative_to(ROOT)}:{call.lineno}"
        for path, call in _errors_made(app)
        if _code(call) is None and not _wraps_problems(call)
    ]
    assert not uncoded, (
        "ValidationError without code= (give it a snake_case code that names the failure, "
        f"and add the code to docs/architecture.md's table): {uncoded}"
    )


@pytest.mark.parametrize("app", APPS)
def test_every_code_is_snake_case_and_in_the_table(app):
    documented = _documented_codes()
    for path, call in _errors_made(app):
        code = _code(call)
        if isinstance(code, ast.Constant):
            where = f"{path.relative_to(ROOT)}:{call.lineno}"
            assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", code.value), where
            assert app in documented.get(code.value, set()), (
                f"{where}: the code {code.value!r} is not in docs/architecture.md's table for {app}"
            )


def test_the_table_lists_no_code_that_is_not_raised():
    """Each code the table gives an app appears in that app's source (codes passed on from
    elsewhere, such as a scale's ``unknown_item``, are string literals there)."""
    documented = _documented_codes()
    assert documented, "the table of rule codes is missing from docs/architecture.md"
    literals = {
        app: {
            node.value
            for _path, tree in _parsed(app)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        for app in APPS
    }
    stale = sorted(
        (code, app)
        for code, apps in documented.items()
        for app in apps
        if app in literals and code not in literals[app]
    )
    assert not stale, f"codes in the table that their app does not raise: {stale}"


def test_the_walk_finds_what_it_should():
    """The check above would pass vacuously if it found no calls: it finds the raise sites of
    check-in, and the wrapped problems of the share rules."""
    made = list(_errors_made("visits"))
    codes = {_code(call).value for _path, call in made if isinstance(_code(call), ast.Constant)}
    assert {"already_checked_in", "upload_id_reused", "check_out_before_check_in"} <= codes
    members = list(_errors_made("members"))
    assert any(_wraps_problems(call) for _path, call in members)
    kept = list(_errors_made("kept"))
    assert [_code(call).value for _path, call in kept] == ["kept_as_written"]  # kept.Refused
