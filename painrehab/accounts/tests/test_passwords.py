"""The password policy and the page where staff change their own password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from painrehab.accounts.passwords import GUESSABLE_WORDS, is_guessable
from painrehab.audit.models import AuditEvent


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "lakare123456",
        "Läkare-2024!!",
        "psykolog20242024",
        "Fysioterapeut1",
        "111111222222",
        "zzzzzz999999",
    ],
)
def test_the_policy_refuses_role_words_with_digits_and_repeats(password, physician):
    with pytest.raises(ValidationError):
        validate_password(password, user=physician.user)


def test_the_unit_name_followed_by_digits_is_refused(physician):
    with pytest.raises(ValidationError, match="kollegor skulle gissa"):
        validate_password("Specialistteamet2027", user=physician.user)


@pytest.mark.parametrize(
    "password", ["gräddfil-ångbåt-kompass", "kuratorn gillar blåbär", "Tistel7Moln+Kaj"]
)
def test_the_policy_accepts_a_few_unrelated_words(password, physician):
    validate_password(password, user=physician.user)


def test_is_guessable_is_a_rule_over_plain_values():
    assert is_guessable("lakare123456", words=GUESSABLE_WORDS) is True
    assert is_guessable("lakaresommar12", words=GUESSABLE_WORDS) is False
    assert is_guessable("smedjan2024", words={"smedjan"}) is True
    assert is_guessable("smedjan2024", words=set()) is False
    assert is_guessable("abababababab", words=set()) is False  # no run of one character


def test_a_long_password_is_checked_quickly():
    assert is_guessable("1" * 100_000 + "x", words=GUESSABLE_WORDS) is False


def test_staff_change_their_own_password_and_stay_logged_in(client_for, physician):
    client = client_for(physician)
    page = client.get("/")
    assert 'href="/konto/losenord/"' in page.content.decode()
    response = client.post(
        "/konto/losenord/",
        {
            "old_password": "test-password-123",
            "new_password1": "tistel-moln-kaj-17",
            "new_password2": "tistel-moln-kaj-17",
        },
    )
    assert response.status_code == 302
    physician.user.refresh_from_db()
    assert physician.user.check_password("tistel-moln-kaj-17") is True
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.get(what="team:password_changed|physician_a")
    assert (event.actor_id, event.unit_id) == (physician.user_id, physician.unit_id)


def test_a_weak_new_password_is_refused_in_swedish(client_for, physician):
    response = client_for(physician).post(
        "/konto/losenord/",
        {
            "old_password": "test-password-123",
            "new_password1": "lakare123456",
            "new_password2": "lakare123456",
        },
    )
    assert response.status_code == 200
    assert "kollegor skulle gissa" in response.content.decode()
    physician.user.refresh_from_db()
    assert physician.user.check_password("test-password-123") is True
    assert not AuditEvent.objects.filter(what__startswith="team:password").exists()


def test_the_change_password_page_is_for_logged_in_staff_only(client):
    response = client.get("/konto/losenord/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_a_set_password_link_never_reaches_a_log_line():
    from painrehab.core.logging import scrub

    line = '"GET /konto/satt-losenord/MTI/cj4k2x-0a1b2c3d4e5f6a7b8c9d/ HTTP/1.1" 302 0'
    assert scrub(line) == '"GET /konto/satt-losenord/[token]/ HTTP/1.1" 302 0'
