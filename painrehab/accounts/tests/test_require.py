"""One check of a permission: `require` for refusing, `may` for asking.

The memberships are unsaved: a permission is a function of the profession
and the administrator flag alone.
"""

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
