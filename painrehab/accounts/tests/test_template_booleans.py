"""Templates ask `may_…` booleans, never a permission by its string: the view
(or, for the menus on every page, the context processor) decides with
accounts.access.may, so a renamed permission cannot silently hide a button."""

import re
from pathlib import Path

from painrehab.accounts.context_processors import navigation
from painrehab.accounts.models import Membership
from painrehab.accounts.permissions import Permission, Profession

PACKAGE = Path(__file__).resolve().parents[2]
TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
PERMISSION_CHECK = re.compile(
    r"\bpermissions\b"  # the set itself, or membership.permissions
    r"|\bperms\."  # Django's own permission proxy
    r"|[\"'](?:" + "|".join(p.value for p in Permission) + r")[\"']\s+(?:not\s+)?in\b"
)


def permission_checks(text: str) -> list[str]:
    """The template tags that test a permission by its string."""
    return [tag for tag in TAG.findall(text) if PERMISSION_CHECK.search(tag)]


def test_the_check_finds_a_permission_string():
    assert permission_checks('{% if "write_letters" in permissions %}x{% endif %}')
    assert permission_checks("{% if 'triage' not in membership.permissions %}")
    assert permission_checks("{% if perms.pathway.change_episode %}")
    assert not permission_checks("{% if may_write_letters %}{% endif %}")
    # The same words in the page's text are no check.
    assert not permission_checks('<p>"triage" in permissions</p>')


def test_no_template_checks_a_permission_string():
    found = {
        str(path.relative_to(PACKAGE)): checks
        for path in sorted(PACKAGE.rglob("templates/**/*.html"))
        if (checks := permission_checks(path.read_text()))
    }
    assert found == {}


def test_the_menus_show_what_the_member_may_open():
    secretary = navigation(Membership(profession=Profession.SECRETARY))
    assert secretary["may_open_outbox"]
    assert not secretary["may_review_access_log"]
    assert not secretary["may_manage_staff"]
    admin = navigation(Membership(profession=Profession.PHYSICIAN, is_unit_admin=True))
    assert admin["may_review_access_log"]
    assert admin["may_manage_staff"]
    assert admin["may_set_up_programmes"]
    assert not any(navigation(None).values())  # no unit: no such links
