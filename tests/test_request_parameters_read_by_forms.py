"""Request parameters are read by forms, never straight from the request.

A view that reads `request.GET["x"]`, `request.POST.get("x")` or
`"x" in request.POST` itself skips the form's checks, and every server error
the fuzz run found was of that kind. This walks the code of the package:
`request.GET` / `.POST` / `.FILES` (or `self.request.…`) may only be passed
whole to a form (a class, or a callable named `…_form` / `form_class`), be
tested for being empty (`request.POST or None`), or be named by a variable
that is itself only used so. Which button was pressed: `core.forms.pressed`.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "painrehab"
DICTS = {"GET", "POST", "FILES"}

# (file, function): why it reads the request's values itself.
ALLOWED = {
    ("core/middleware.py", "StripNulMiddleware.__call__"): (
        "request-wide hygiene before any view: drops NUL characters from every "
        "query and form value (no parameter of a page)"
    ),
}


def _is_request_values(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Attribute) and node.attr in DICTS):
        return False
    owner = node.value
    return (isinstance(owner, ast.Name) and owner.id == "request") or (
        isinstance(owner, ast.Attribute) and owner.attr == "request"
    )


def _is_form(call: ast.Call) -> bool:
    func = call.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )
    return name[:1].isupper() or name.endswith("_form") or name == "form_class"


class _Walk:
    def __init__(self, tree: ast.AST) -> None:
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent

    def function_of(self, node: ast.AST) -> str:
        names = []
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.append(node.name)
        return ".".join(reversed(names))

    def use(self, node: ast.AST) -> str | tuple[str, str] | None:
        """None: a use that reads no value; else what the read is, or
        ("alias", name) for a variable naming the values."""
        parent = self.parents.get(node)
        # `request.POST or None`, `request.POST if posted else None`
        while isinstance(parent, ast.BoolOp) or (
            isinstance(parent, ast.IfExp) and parent.test is not node
        ):
            node, parent = parent, self.parents.get(parent)
        if isinstance(parent, ast.If | ast.IfExp | ast.While) and parent.test is node:
            return None  # was anything sent at all
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return None
        if isinstance(parent, ast.Compare):
            if all(isinstance(op, ast.Is | ast.IsNot) for op in parent.ops):
                return None
            return "`in` / comparison"
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return "[…]"
        if isinstance(parent, ast.Attribute):
            return f".{parent.attr}"
        if isinstance(parent, ast.keyword):
            parent = self.parents[parent]
        if isinstance(parent, ast.Call) and parent.func is not node:
            return None if _is_form(parent) else "passed to a function that is no form"
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            return ("alias", parent.targets[0].id)
        return f"used in {type(parent).__name__}"

    def scope_of(self, node: ast.AST) -> ast.AST:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return node


def direct_reads(source: str) -> list[tuple[int, str, str]]:
    """(line, function, what) for each direct read of the request's values."""
    tree = ast.parse(source)
    walk = _Walk(tree)
    found = []
    for node in ast.walk(tree):
        if not (_is_request_values(node) and isinstance(node.ctx, ast.Load)):
            continue
        use = walk.use(node)
        if isinstance(use, tuple):  # every use of the variable must be a form's
            for name in ast.walk(walk.scope_of(node)):
                if (
                    isinstance(name, ast.Name)
                    and name.id == use[1]
                    and isinstance(name.ctx, ast.Load)
                ):
                    alias_use = walk.use(name)
                    if alias_use is not None and not isinstance(alias_use, tuple):
                        found.append((name.lineno, walk.function_of(name), alias_use))
        elif use is not None:
            found.append((node.lineno, walk.function_of(node), use))
    return found


def _package_reads() -> list[tuple[str, int, str, str]]:
    reads = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts):
            continue
        relative = path.relative_to(PACKAGE).as_posix()
        for line, function, what in direct_reads(path.read_text()):
            reads.append((relative, line, function, what))
    return reads


def test_no_view_reads_a_request_parameter_without_a_form():
    unexpected = [
        f"painrehab/{path}:{line} {function}: {what}"
        for path, line, function, what in _package_reads()
        if (path, function) not in ALLOWED
    ]
    assert unexpected == [], (
        "Read these with a small form (core.forms: QueryForm and read_query for "
        "the address, pressed() for which button):\n" + "\n".join(unexpected)
    )


def test_every_allowed_read_is_still_there():
    present = {(path, function) for path, _, function, _ in _package_reads()}
    assert set(ALLOWED) <= present, set(ALLOWED) - present


@pytest.mark.parametrize(
    "line",
    [
        'x = request.GET["page"]',
        'x = request.GET.get("page")',
        'x = request.POST.getlist("letter")',
        'x = "sign" in request.POST',
        'x = "sign" not in self.request.POST',
        "x = request.POST.dict()",
        "x = parse(request.POST)",
        'posted = request.POST\nx = posted.get("a")',
        "for key in request.POST: pass",
        'x = request.FILES["file"]',
    ],
)
def test_the_walk_finds_each_kind_of_direct_read(line):
    source = "def view(request):\n" + "".join(
        f"    {part}\n" for part in line.split("\n")
    )
    assert len(direct_reads(source)) == 1


@pytest.mark.parametrize(
    "line",
    [
        "form = SignForm(request.POST)",
        "form = SignForm(request.POST or None, initial={})",
        "form = _membership_form(m, request.POST or None)",
        "form = form_class(request.GET, **kwargs)",
        "form = Form(data=request.POST if request.method == 'POST' else None)",
        "data = request.POST or request.GET or None\nform = F(data)\nok = data is not None",
        "posted = request.POST if x else None\nform = F(posted)\nb = posted is None",
        "files = WordingFileForm(request.POST or None, request.FILES or None)",
    ],
)
def test_the_walk_lets_a_form_read_the_values(line):
    source = "def view(request):\n" + "".join(
        f"    {part}\n" for part in line.split("\n")
    )
    assert direct_reads(source) == []
