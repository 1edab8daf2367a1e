"""One check of a permission: `require` for refusing, `may` for asking.

The memberships are unsaved: a permission is a function of the profession
and the administrator flag alone.
"""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from painrehab.accounts.access import NotPermitted, may, require
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission, Profession
from painrehab.core.refusals import Refused
from painrehab.pathway.states import TransitionRefused

SECRETARY = Membership(profession=Profession.SECRETARY)
PHYSICIAN = Membership(profession=Profession.PHYSICIAN)


def test_require_lets_a_granted_permission_pass():
    require(PHYSICIAN, Permission.TRIAGE)
    require(PHYSICIAN, Permission.TRIAGE, TransitionRefused("Nej."))


def test_require_refuses_with_the_services_refusal_and_its_message():
    with pytest.raises(TransitionRefused) as refused:
        require(SECRETARY, Permission.TRIAGE, TransitionRefused("Bara läkare."))
    assert refused.value.message == "Bara läkare."


def test_without_a_refusal_of_its_own_require_answers_403():
    with pytest.raises(NotPermitted) as refused:
        require(SECRETARY, Permission.TRIAGE)
    assert isinstance(refused.value, PermissionDenied)  # Django's 403
    assert isinstance(refused.value, Refused)  # and a refusal with a message
    assert str(refused.value.message)


def test_several_permissions_mean_any_of_them():
    either = {Permission.TRIAGE, Permission.REGISTER_REFERRAL}
    assert may(SECRETARY, either)  # the secretary registers referrals
    require(SECRETARY, either)
    with pytest.raises(NotPermitted):
        require(SECRETARY, {Permission.TRIAGE, Permission.RECORD_NEW_VISIT})


def test_may_answers_without_refusing():
    assert may(PHYSICIAN, Permission.TRIAGE)
    assert not may(SECRETARY, Permission.TRIAGE)
    assert not may(SECRETARY, frozenset())


def test_the_unit_administrator_may_manage_the_unit():
    admin = Membership(profession=Profession.SECRETARY, is_unit_admin=True)
    assert may(admin, Permission.MANAGE_UNIT)
    assert not may(SECRETARY, Permission.MANAGE_UNIT)


# --- No permission checked by hand -------------------------------------------

PACKAGE = Path(__file__).resolve().parents[2]
# Where a membership's permissions are made and checked.
OWNERS = {PACKAGE / "accounts" / "access.py", PACKAGE / "accounts" / "models.py"}


def _reads_permissions(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "permissions"


def inline_permission_checks(source: str) -> list[int]:
    """Lines that test `… in x.permissions`, `… not in x.permissions` or
    intersect `x.permissions` instead of calling require() or may()."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, ast.In | ast.NotIn) for op in node.ops
        ):
            operands = [node.left, *node.comparators]
            if any(_reads_permissions(o) for o in operands):
                lines.append(node.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
            if _reads_permissions(node.left) or _reads_permissions(node.right):
                lines.append(node.lineno)
    return lines


def test_the_check_finds_each_shape_of_an_inline_check():
    source = (
        "if Permission.TRIAGE not in by.permissions: raise X\n"
        "ok = Permission.TRIAGE in request.membership.permissions\n"
        "some = SEND & by.permissions\n"
        "require(by, Permission.TRIAGE)\n"
        "check_transition(granted=by.permissions)\n"
    )
    assert inline_permission_checks(source) == [1, 2, 3]


def test_no_code_checks_a_permission_by_hand():
    """Every check goes through accounts.access.require or may: one place
    that answers, the refusal the service names."""
    found = [
        f"{path.relative_to(PACKAGE.parent)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and path not in OWNERS
        for line in inline_permission_checks(path.read_text())
    ]
    assert found == []
