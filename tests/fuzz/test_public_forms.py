"""Bad input into the views without a staff login: the patient's form by link,
the short-code page, login, logout, language and unit switch.

The patient form is fuzzed on a bound session (the second factor given), so
the answers, the htmx save and the submit all see the bad values.
"""

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import harness


def _fuzz(
    client,
    path: str,
    method: str,
    fields: dict[str, list[str]],
    fuzz_profile,
    failures,
    *,
    label: str,
    extra=None,
) -> None:  # noqa: ANN001, E501
    names = sorted(fields)
    change = st.one_of(harness.bad_input(), st.just(("missing", "")))

    @fuzz_profile
    @given(
        chosen=st.lists(
            st.sampled_from(names), min_size=1, max_size=min(3, len(names)), unique=True
        ),
        changes=st.lists(change, min_size=3, max_size=3),
    )
    def one(chosen, changes) -> None:  # noqa: ANN001
        values = {
            name: (choices[0] if choices else "") for name, choices in fields.items()
        }
        values.update(extra() if extra else {})
        kinds = []
        for name, (kind, value) in zip(chosen, changes, strict=False):
            kinds.append(kind)
            if kind == "missing":
                values.pop(name, None)
            else:
                values[name] = value
        outcome = harness.send(client, method, path, values)
        harness.TRIED[f"public {label}"] += 1
        for kind in kinds:
            harness.TRIED[f"value: {kind}"] += 1
        if outcome.status >= 500:
            failures.append(
                f"{method.upper()} {label} {sorted(kinds)}: {outcome.status} {outcome.error}"
            )
        if shown := harness.unescaped_markup(outcome):
            failures.append(f"{method.upper()} {label}: shows {shown} unescaped")

    one()


def _bound_form(client, coordinator, episode_a):  # noqa: ANN001, ANN202
    """A registry package for episode A, opened with the right birth date."""
    from painrehab.questionnaires.sample_wording import install_sample_wordings
    from painrehab.questionnaires.services import send_package

    install_sample_wordings(unit=episode_a.unit, user=coordinator.user)
    sent = send_package(by=coordinator, episode=episode_a, time_point="registry_before")
    assert client.post(f"/f/{sent.token}/", {"value": "19850101"}).status_code == 302
    return sent


def test_no_patient_form_input_gives_a_server_error(
    client, coordinator, episode_a, fuzz_profile
):
    sent = _bound_form(client, coordinator, episode_a)
    failures: list[str] = []

    def key() -> dict[str, str]:
        return {"form_key": client.session["questionnaire_link"]["key"]}

    for number in range(1, len(sent.request.codes) + 2):
        page = harness.send(client, "get", "/f/svar/", {"sida": str(number)})
        assert page.status == 200, number
        for form in harness.forms_on("/f/svar/", page.content.decode()):
            fields = {n: c for n, c in form.fields.items() if n != "form_key"}
            if form.method != "post" or not fields:
                continue
            path = f"{form.action}?sida={number}"
            if form.action == "/f/svar/":  # the same fields, saved one by one by htmx
                _fuzz(
                    client,
                    f"/f/svar/spara/?sida={number}",
                    "post",
                    fields,
                    fuzz_profile,
                    failures,
                    label="/f/svar/spara/",
                    extra=key,
                )
            _fuzz(
                client,
                path,
                "post",
                fields,
                fuzz_profile,
                failures,
                label=form.action,
                extra=key,
            )
    _fuzz(
        client,
        "/f/svar/",
        "get",
        {"sida": ["1"]},
        fuzz_profile,
        failures,
        label="/f/svar/ ?sida",
    )
    _fuzz(
        client,
        "/f/svar/skicka/",
        "post",
        {"version": ["1"]},
        fuzz_profile,
        failures,
        label="/f/svar/skicka/",
        extra=key,
    )
    assert "\n".join(failures) == ""
    assert harness.TRIED["public /f/svar/"] > 0
    assert harness.TRIED["public /f/svar/spara/"] > 0


def test_no_link_code_or_login_input_gives_a_server_error(
    client, coordinator, episode_a, fuzz_profile
):
    from painrehab.questionnaires.sample_wording import install_sample_wordings
    from painrehab.questionnaires.services import send_package

    install_sample_wordings(unit=episode_a.unit, user=coordinator.user)
    sent = send_package(by=coordinator, episode=episode_a, time_point="registry_before")
    failures: list[str] = []
    _fuzz(
        client,
        f"/f/{sent.token}/",
        "post",
        {"value": ["19850101"]},
        fuzz_profile,
        failures,
        label="/f/<token>/",
    )
    _fuzz(
        client,
        "/f/kod/",
        "post",
        {"code": [sent.short_code], "birth_date": ["19850101"]},
        fuzz_profile,
        failures,
        label="/f/kod/",
    )
    _fuzz(
        client,
        "/konto/logga-in/",
        "post",
        {"username": ["coordinator_a"], "password": ["x"], "next": ["/"]},
        fuzz_profile,
        failures,
        label="login",
    )
    _fuzz(
        client,
        "/i18n/setlang/",
        "post",
        {"language": ["en"], "next": ["/"]},
        fuzz_profile,
        failures,
        label="set_language",
    )
    client.force_login(coordinator.user)
    _fuzz(
        client,
        "/konto/byt-enhet/",
        "post",
        {"unit": [str(coordinator.unit_id)]},
        fuzz_profile,
        failures,
        label="switch_unit",
    )
    _fuzz(
        client,
        "/konto/logga-ut/",
        "post",
        {"next": ["/"]},
        fuzz_profile,
        failures,
        label="logout",
    )
    assert "\n".join(failures) == ""


def test_random_link_tokens_are_not_found(client, db, fuzz_profile):  # noqa: ARG001
    @fuzz_profile
    @given(token=st.from_regex(r"\A[-a-zA-Z0-9_]{1,300}\Z"))
    def one(token: str) -> None:
        outcome = harness.send(client, "get", f"/f/{token}/", {})
        harness.TRIED["public /f/<token>/"] += 1
        assert outcome.status == 404, (token, outcome.error)

    one()
