"""The patient's form by link: no account, no staff navigation.

A GET of the link only shows a page (mail scanners open links). The POST with
the second factor binds the request to the session and redirects to `/f/svar/`,
a URL without the token. Every response says `Referrer-Policy: no-referrer`
and is not cached. Nothing stored about the patient is shown.

Under `no-referrer` browsers send `Origin: null` with every POST, which
Django's CSRF middleware rejects (and on HTTPS it then wants a Referer there
is none of). So these views are exempt from it and guard themselves: the
session cookie is SameSite=Lax (a cross-site POST arrives without it, so
without a bound form), and every POST to a bound form must carry the random
form key stored in the session when it was bound. The link and code pages
need no such key: a forged POST there would have to know the token or code.
"""

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_stubs_ext import StrOrPromise

from painrehab.audit.services import Action, record
from painrehab.core.forms import pressed
from painrehab.questionnaires import eid, links, selectors, services
from painrehab.questionnaires.forms import (
    AnswersForm,
    EidAnswerForm,
    FactorForm,
    FormKeyForm,
    PageNumberForm,
    ShortCodeForm,
    SubmitForm,
)
from painrehab.questionnaires.models import QuestionnaireRequest, SecondFactor
from painrehab.questionnaires.wording import Wording

SESSION_KEY = "questionnaire_link"
Status = QuestionnaireRequest.Status


def patient_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Headers of every patient page: no referrer (no cache, as every page:
    core.middleware.NoStoreMiddleware)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    vars(wrapped)["patient_link_view"] = True  # an attribute of the view function
    return csrf_exempt(wrapped)


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _closed_page(
    request: HttpRequest, found: QuestionnaireRequest
) -> HttpResponse | None:
    """The kind page for a request that takes no answers, or None if it does."""
    if found.status == Status.SUBMITTED:
        return render(request, "questionnaires/patient/received.html")
    if not found.is_answerable(timezone.localdate()):
        closed = found.status == Status.CLOSED  # the care episode has ended
        return render(
            request,
            "questionnaires/patient/expired.html",
            {"closed": closed},
            status=410,
        )
    return None


def _bind(request: HttpRequest, found: QuestionnaireRequest) -> HttpResponse:
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "id": found.pk,
        "link": found.token_hash,
        "key": secrets.token_urlsafe(24),
    }
    return redirect("patient_form:form")


def _eid_return_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("patient_form:eid_return"))


def _begin_eid(
    request: HttpRequest, found: QuestionnaireRequest
) -> HttpResponse | None:
    """Off to the e-ID broker; None when e-ID is not configured here."""
    if not eid.is_available():
        return None
    return redirect(
        eid.begin(
            session=request.session, found=found, redirect_uri=_eid_return_url(request)
        )
    )


def _eid_unavailable(request: HttpRequest, found: QuestionnaireRequest) -> HttpResponse:
    """The unit asks for e-ID, but no broker is configured on this server."""
    return render(
        request,
        "questionnaires/patient/start.html",
        {
            "form": FactorForm(links.factor_for(found)),
            "factor": SecondFactor.EID,
            "eid_unavailable": True,
        },
        status=503,
    )


def form_key(request: HttpRequest) -> str:
    return (request.session.get(SESSION_KEY) or {}).get("key", "")


def _key_matches(request: HttpRequest) -> bool:
    """The POST carries the form key of this session (field or htmx header)."""
    posted = FormKeyForm(request.POST)
    sent = posted.cleaned_data["form_key"] if posted.is_valid() else ""
    sent = sent or request.headers.get("X-Form-Key", "")
    expected = form_key(request)
    # As bytes: compare_digest refuses strings with letters outside ASCII.
    return bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


@require_http_methods(["GET", "POST"])
@patient_page
def start(request: HttpRequest, token: str) -> HttpResponse:
    found = services.find_by_token(token)
    if found is None:
        return render(request, "questionnaires/patient/not_found.html", status=404)
    closed = _closed_page(request, found)
    if closed is not None:
        return closed
    factor = links.factor_for(found)
    form = FactorForm(factor, request.POST or None)
    if request.method == "POST" and factor.leaves_the_page:
        return _begin_eid(request, found) or _eid_unavailable(request, found)
    if request.method == "POST" and form.is_valid():
        try:
            if services.verify_second_factor(
                questionnaire_request=found,
                value=form.cleaned_data["value"],
                address=_address(request),
            ):
                return _bind(request, found)
            form.add_error(
                "value", _("That does not match. Check what you wrote and try again.")
            )
        except services.TooManyAttempts as refusal:
            form.add_error(None, refusal.message)
    return render(
        request,
        "questionnaires/patient/start.html",
        {"form": form, "factor": factor.key},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
@patient_page
def eid_return(request: HttpRequest) -> HttpResponse:
    """The e-ID broker's answer: the form opens if the personnummer it proved
    is the link's patient's; otherwise a refusal that names nobody."""
    try:
        found, identity = eid.finish(
            session=request.session,
            params=EidAnswerForm(request.GET).params(),
            redirect_uri=_eid_return_url(request),
        )
    except eid.EidRefused as refusal:
        eid.record_refusal(found=refusal.found, reason=refusal.reason)
        return render(request, "questionnaires/patient/eid_failed.html", status=403)
    closed = _closed_page(request, found)
    if closed is not None:
        return closed
    try:
        if services.verify_second_factor(
            questionnaire_request=found,
            value=identity,
            address=_address(request),
            factor=links.FACTORS[SecondFactor.EID],
        ):
            return _bind(request, found)
    except services.TooManyAttempts as refusal:
        return render(
            request,
            "questionnaires/patient/eid_failed.html",
            {"message": refusal.message},
            status=429,
        )
    eid.record_refusal(found=found, reason="personnummer is not the link's patient")
    return render(
        request,
        "questionnaires/patient/eid_failed.html",
        {"someone_else": True},
        status=403,
    )


@require_http_methods(["GET", "POST"])
@patient_page
def enter_code(request: HttpRequest) -> HttpResponse:
    form = ShortCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = services.find_by_short_code(
                code=form.cleaned_data["code"], address=_address(request)
            )
            if found is None:
                form.add_error(
                    "code",
                    _(
                        "No form has this code. Check the code on the letter and try again."
                    ),
                )
            else:
                closed = _closed_page(request, found)
                if closed is not None:
                    return closed
                if links.factor_for(found).leaves_the_page:
                    # The code found the link; the unit wants e-ID to prove who answers.
                    return _begin_eid(request, found) or _eid_unavailable(
                        request, found
                    )
                if services.verify_second_factor(
                    questionnaire_request=found,
                    value=form.cleaned_data["birth_date"],
                    address=_address(request),
                    factor=links.FACTORS["birth_date"],
                ):
                    return _bind(request, found)
                form.add_error(
                    "birth_date",
                    _("That does not match. Check what you wrote and try again."),
                )
        except services.TooManyAttempts as refusal:
            form.add_error(None, refusal.message)
    return render(
        request,
        "questionnaires/patient/enter_code.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _bound_request(request: HttpRequest) -> QuestionnaireRequest | None:
    """The request this session was bound to, if its link is still the same."""
    bound = request.session.get(SESSION_KEY)
    if not bound:
        return None
    if request.method == "POST" and not _key_matches(request):
        return None
    return services.find_bound(request_id=bound["id"], token_hash=bound["link"])


@dataclass
class _Form:
    """A bound request laid out as pages, with what is saved so far."""

    found: QuestionnaireRequest
    pages: list[selectors.FormPage]
    wordings: dict[str, Wording]
    answers: dict[str, dict[int, Any]]

    @property
    def send_page(self) -> int:
        return len(self.pages) + 1

    def page(self, number: int) -> selectors.FormPage | None:
        return self.pages[number - 1] if number <= len(self.pages) else None

    def instrument_page(self, number: int) -> selectors.InstrumentPage | None:
        page = self.page(number)
        if page is None:
            return None
        return selectors.instrument_page(
            code=page.code,
            values=self.answers.get(page.code, {}),
            worded=self.wordings.get(page.code),
            page=page,
        )


def _layout(found: QuestionnaireRequest) -> _Form:
    wordings = selectors.request_wordings(questionnaire_request=found)
    return _Form(
        found=found,
        pages=selectors.form_pages(codes=found.codes, wordings=wordings),
        wordings=wordings,
        answers=selectors.stored_answers(questionnaire_request=found),
    )


def _page_number(request: HttpRequest, form: _Form) -> int:
    """The page asked for; without one, the first page with a question not
    yet answered (the patient resumes where they stopped)."""
    number = _sida(request)
    if number is None:
        return selectors.first_unanswered_page(form.pages, form.answers)
    return min(max(number, 1), form.send_page)


def _sida(request: HttpRequest) -> int | None:
    """`?sida=` as a whole number, else None."""
    query = PageNumberForm(request.GET)
    return query.cleaned_data["sida"] if query.is_valid() else None


def _page_url(number: int) -> str:
    return f"{reverse('patient_form:form')}?sida={number}"


def _render_page(
    request: HttpRequest,
    form: _Form,
    number: int,
    *,
    page: selectors.InstrumentPage | None = None,
    missing: list[int] | None = None,
    message: StrOrPromise = "",
    status: int = 200,
) -> HttpResponse:
    found = form.found
    progress = selectors.form_progress(questionnaire_request=found)
    codes = found.codes
    if page is None:
        page = form.instrument_page(number)
    position = form.page(number)
    record(
        by=services.PATIENT_BY_LINK,
        unit=found.unit_id,
        action=Action.VIEW,
        patients=[found.episode.patient_id],
        obj=found,
        what="patient form page",
    )
    first_pages: dict[str, int] = {}
    for page_number, each in enumerate(form.pages, start=1):
        first_pages.setdefault(each.code, page_number)
    return render(
        request,
        "questionnaires/patient/form.html",
        {
            "qrequest": found,
            "form_key": form_key(request),
            "page": page,
            "number": number,
            "index": position.index if position else len(codes) + 1,
            "count": len(codes),
            "last_page": len(form.pages),
            "progress": progress,
            "missing": missing or [],
            "message": message,
            "unanswered": progress.items_all - progress.answered_all,
            "summary": [
                (
                    selectors.definition(code).name_sv,
                    progress.answered[code],
                    progress.total[code],
                    first_pages[code],
                )
                for code in codes
            ]
            if page is None
            else [],
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@patient_page
def form(request: HttpRequest) -> HttpResponse:
    found = _bound_request(request)
    if found is None:
        return render(request, "questionnaires/patient/session_ended.html", status=403)
    closed = _closed_page(request, found)
    if closed is not None:
        return closed
    layout = _layout(found)
    number = _page_number(request, layout)
    position = layout.page(number)
    if request.method == "GET" or position is None:
        return _render_page(request, layout, number)
    page = layout.instrument_page(number)
    assert page is not None  # noqa: S101 - position is not None
    posted = AnswersForm(request.POST, code=position.code)
    posted.show_on(page.items)
    answers = {n: v for n, v in posted.answers().items() if n in position.numbers}
    try:
        services.save_answers(
            questionnaire_request=found, code=position.code, answers=answers
        )
    except services.FormClosed:
        return redirect("patient_form:form")
    if posted.problems():
        return _render_page(
            request,
            layout,
            number,
            page=page,
            message=_(
                "Some answers could not be saved. See the questions marked below."
            ),
            status=400,
        )
    go = pressed(request, ["back", "next", "skip"], name="go", default="next")
    if go == "back":
        return redirect(_page_url(number - 1))
    unanswered = [
        item.number for item in page.items if item.value == "" and item.widget != "text"
    ]
    if unanswered and go != "skip":
        return _render_page(request, layout, number, page=page, missing=unanswered)
    return redirect(_page_url(number + 1))


@require_POST
@patient_page
def save(request: HttpRequest) -> HttpResponse:
    """htmx: save the answer(s) posted for the current page; returns the status line."""
    found = _bound_request(request)
    if found is None:
        return render(
            request, "questionnaires/patient/_saved.html", {"expired_session": True}
        )
    wordings = selectors.request_wordings(questionnaire_request=found)
    pages = selectors.form_pages(codes=found.codes, wordings=wordings)
    number = _sida(request) or 0
    if not 1 <= number <= len(pages):
        return HttpResponse(status=204)
    position = pages[number - 1]
    posted = AnswersForm(request.POST, code=position.code)
    answers = posted.answers()
    try:
        services.save_answers(
            questionnaire_request=found, code=position.code, answers=answers
        )
    except services.FormClosed:
        return render(request, "questionnaires/patient/_saved.html", {"closed": True})
    return render(
        request,
        "questionnaires/patient/_saved.html",
        {
            "errors": list(posted.problems().values()),
            "saved": bool(answers),
            "progress": selectors.form_progress(questionnaire_request=found),
            "number": number,
            "index": position.index,
            "count": len(found.codes),
        },
    )


@require_POST
@patient_page
def submit(request: HttpRequest) -> HttpResponse:
    found = _bound_request(request)
    if found is None:
        return render(request, "questionnaires/patient/session_ended.html", status=403)
    posted = SubmitForm(request.POST)
    # no version, or one that no request can have: the submit is refused as stale
    expected = posted.cleaned_data["version"] if posted.is_valid() else -1
    progress = selectors.form_progress(questionnaire_request=found)
    # The box's own value: only a ticked box sends it.
    ticked = pressed(request, ["on"], name="confirm_unanswered") == "on"
    if 0 < progress.answered_all < progress.items_all and not ticked:
        layout = _layout(found)
        return _render_page(
            request,
            layout,
            layout.send_page,
            message=_(
                "Some questions are not answered. Answer them, or tick the box to send the answers you have given."
            ),
            status=400,
        )
    try:
        sent = services.submit_request(
            questionnaire_request=found, expected_version=expected
        )
    except services.NothingAnswered as refusal:
        layout = _layout(found)
        return _render_page(
            request, layout, layout.send_page, message=refusal.message, status=400
        )
    if sent:
        return redirect("patient_form:form")
    found.refresh_from_db()
    closed = _closed_page(request, found)
    if closed is not None:
        return closed  # a second press of the button: "already received"
    layout = _layout(found)
    return _render_page(
        request,
        layout,
        layout.send_page,
        message=_("The answers changed in another window. Check them and send again."),
        status=409,
    )
