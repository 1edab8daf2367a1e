"""No test moves the clock to a literal day.

The suite also runs with the clock moved 1–3 years ahead, and its fixtures are
made at that moved clock: a test that travels to "2027-03-15" goes back to
before its own staff and patients existed, and on the real clock such a day
soon lies in the past. Tests move the clock to days counted from `today`
(conftest.py: `today`, `clock`, `travel`, `working_day`, `nine_tomorrow`).

This walks every test module and flags a `travel(...)` or `move_to(...)`
whose argument holds a literal date: a date string ("2027-03-15", also in an
f-string), `date(2027, …)` or `datetime(2027, …)`, directly or through a
module-level name (START = date(2027, 3, 1); travel(START + …)) or a
parametrized argument. A literal date as data (a birth date, the input of a
pure function that is given its day) is not a clock move and is not flagged.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLOCK_MOVES = {"travel", "move_to"}
DATE_STRING = re.compile(r"^\s*(19|20|21)\d\d-\d\d-\d\d")

# A file that must keep a literal clock move, and why (none at present).
ALLOWED: dict[str, str] = {}


def _name_of(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _module_values(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Each name bound at module level to the expressions assigned to it."""
    values: dict[str, list[ast.expr]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name):
                values.setdefault(target.id, []).append(value)
    return values


def _parametrized(function: ast.AST) -> dict[str, list[ast.expr]]:
    """A test function's parametrized argument names to their value lists."""
    values: dict[str, list[ast.expr]] = {}
    for decorator in getattr(function, "decorator_list", []):
        if not (
            isinstance(decorator, ast.Call)
            and _name_of(decorator.func) == "parametrize"
            and len(decorator.args) >= 2  # noqa: PLR2004
        ):
            continue
        names = decorator.args[0]
        if isinstance(names, ast.Constant) and isinstance(names.value, str):
            argnames = [n.strip() for n in names.value.split(",")]
        elif isinstance(names, ast.List | ast.Tuple):
            argnames = [
                n.value
                for n in names.elts
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
        else:
            continue
        for name in argnames:
            values.setdefault(name, []).append(decorator.args[1])
    return values


def _holds_literal_date(
    node: ast.expr, names: dict[str, list[ast.expr]], seen: set[str]
) -> bool:
    for part in ast.walk(node):
        if (
            isinstance(part, ast.Constant)
            and isinstance(part.value, str)
            and DATE_STRING.match(part.value)
        ):
            return True
        if (
            isinstance(part, ast.Call)
            and _name_of(part.func) in {"date", "datetime"}
            and part.args
            and isinstance(part.args[0], ast.Constant)
            and isinstance(part.args[0].value, int)
        ):
            return True
        if isinstance(part, ast.Name) and part.id in names and part.id not in seen:
            seen.add(part.id)
            if any(_holds_literal_date(v, names, seen) for v in names[part.id]):
                return True
    return False


def literal_clock_moves(source: str) -> list[int]:
    """The line numbers of clock moves to a literal day in a module's source."""
    tree = ast.parse(source)
    module = _module_values(tree)
    found = []

    def visit(node: ast.AST, names: dict[str, list[ast.expr]]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names = {**names, **_parametrized(node)}
        if (
            isinstance(node, ast.Call)
            and _name_of(node.func) in CLOCK_MOVES
            and any(
                _holds_literal_date(arg, names, set())
                for arg in [*node.args, *(k.value for k in node.keywords)]
            )
        ):
            found.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, names)

    visit(tree, module)
    return sorted(found)


def _test_modules() -> list[Path]:
    paths = [ROOT / "conftest.py"]
    for top in ("painrehab", "tests"):
        paths += [
            p
            for p in (ROOT / top).rglob("*.py")
            if "tests" in p.relative_to(ROOT).parts or p.name == "conftest.py"
        ]
    return sorted(p for p in paths if p.resolve() != Path(__file__).resolve())


def test_no_test_moves_the_clock_to_a_literal_day():
    found = {}
    for path in _test_modules():
        name = str(path.relative_to(ROOT))
        lines = literal_clock_moves(path.read_text(encoding="utf-8"))
        if lines and name not in ALLOWED:
            found[name] = lines
    assert found == {}, (
        "Move the clock to a day counted from the today fixture, not to a "
        f"literal date (file: lines): {found}"
    )


def test_each_allowed_file_still_moves_the_clock_to_a_literal_day():
    """An allowance that is no longer needed goes."""
    for name in ALLOWED:
        assert literal_clock_moves((ROOT / name).read_text(encoding="utf-8")), name


# --- the detector itself ----------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        'travel("2027-03-15")',
        'travel("2027-03-15T09:00:00+01:00")',
        'travel(f"2027-03-15T09:00:{n * 2:02d}+01:00")',
        "travel(date(2027, 3, 1))",
        "time_machine.move_to(datetime(2026, 11, 2, 9, tzinfo=UTC))",
        'travel(datetime.fromisoformat("2026-11-02"))',
        "travel(when=date(2027, 3, 1))",
        "START = date(2027, 3, 1)\nDUE = START + timedelta(days=20)\n"
        "def test(travel):\n    travel(DUE + timedelta(days=1))",
        'DAYS = ["2027-02-15", "2026-12-17"]\n'
        '@pytest.mark.parametrize("day", DAYS)\n'
        "def test(travel, day):\n    travel(day)",
    ],
)
def test_a_literal_day_as_the_clock_is_found(source):
    assert literal_clock_moves(source) != []


@pytest.mark.parametrize(
    "source",
    [
        "travel(today + timedelta(days=1))",
        'travel(_at(first_day, "09:00"))',
        "travel(datetime.combine(date(today.year + 1, 1, 1), time(0, 30)))",
        "nine_tomorrow(minutes=1, seconds=1)",
        "assert age_on(date(1985, 2, 28), on=date(2027, 2, 28)) == 42",
        'parse_personnummer("198501012382", today=date(2027, 1, 1))',
        'DAYS = ["2027-02-15"]\n@pytest.mark.parametrize("day", DAYS)\n'
        "def test(travel, day, today):\n    travel(today)",
    ],
)
def test_a_day_counted_from_today_or_a_date_as_data_is_not(source):
    assert literal_clock_moves(source) == []
