"""Staff pages: send a package, print the link, enter paper forms and staff
ratings, read results, see what is outstanding, configure the unit."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import get_episode_for_user, staff_view
from painrehab.accounts.permissions import Permission
from painrehab.questionnaires import catalogue, links, selectors, services
from painrehab.questionnaires.access import get_request_for_user, get_result_for_user
from painrehab.questionnaires.forms import (
    FormSettingsForm,
    LicensedTextForm,
    PackagesForm,
    SendPackageForm,
    StaffEntryForm,
    StaffRatingForm,
    read_item_answers,
)
from painrehab.questionnaires.models import LicensedText, Package, TimePoint
from painrehab.questionnaires.scoring import CODES, definition


def _may(request: HttpRequest, permissions: frozenset[Permission]) -> bool:
    return bool(permissions & request.membership.permissions)


def _letter_sheet(request: HttpRequest, sent: services.SentLink) -> HttpResponse:
    """The one page that shows the link and code in clear text, for the letter."""
    url = request.build_absolute_uri(
        reverse("patient_form:start", kwargs={"token": sent.token})
    )
    response = render(
        request,
        "questionnaires/letter_sheet.html",
        {
            "qrequest": sent.request,
            "patient": sent.request.episode.patient,
            "link": url,
            "code_url": request.build_absolute_uri(reverse("patient_form:code")),
            "short_code": sent.short_code,
            "qr": links.qr_svg(url),
            "names": [definition(code).title for code in sent.request.codes],
        },
    )
    add_never_cache_headers(response)
    return response


@staff_view()
def send(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="send questionnaires"
    )
    if not _may(request, catalogue.SEND_PERMISSIONS):
        return HttpResponse(status=403)
    services.ensure_packages(unit=episode.unit)
    packages = Package.objects.filter(unit=request.membership.unit_id).exclude(codes=[])
    time_points = [
        (
            p.time_point,
            f"{p.get_time_point_display()}: "
            + "; ".join(definition(code).title for code in p.codes),
        )
        for p in sorted(packages, key=lambda p: list(TimePoint).index(p.time_point))
    ]
    form = SendPackageForm(request.POST or None, time_points=time_points)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.send_package(
                by=request.membership,
                episode=episode,
                time_point=form.cleaned_data["time_point"],
            )
        except services.QuestionnaireRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            return _letter_sheet(request, sent)
    placeholders = {
        p.time_point: [
            definition(code).title
            for code in selectors.without_licensed_text(
                unit_id=request.membership.unit_id, codes=p.codes
            )
        ]
        for p in packages
    }
    return render(
        request,
        "questionnaires/send.html",
        {
            "episode": episode,
            "form": form,
            "placeholders": sorted(
                {n for names in placeholders.values() for n in names}
            ),
        },
    )


@require_POST
@staff_view()
def renew(request: HttpRequest, request_id: int) -> HttpResponse:
    found = get_request_for_user(request.membership, request_id, what="renew link")
    if not _may(request, catalogue.SEND_PERMISSIONS):
        return HttpResponse(status=403)
    try:
        sent = services.renew_link(by=request.membership, questionnaire_request=found)
    except services.QuestionnaireRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("questionnaires:request", request_id=found.pk)
    return _letter_sheet(request, sent)


@staff_view()
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    found = get_request_for_user(
        request.membership, request_id, what="questionnaire request"
    )
    progress = selectors.form_progress(questionnaire_request=found)
    results = {r.code: r for r in found.results.all()}
    rows = [
        {
            "code": code,
            "name": definition(code).title,
            "answered": progress.answered[code],
            "total": progress.total[code],
            "result": results.get(code),
        }
        for code in found.codes
    ]
    return render(
        request,
        "questionnaires/request_detail.html",
        {
            "qrequest": found,
            "episode": found.episode,
            "rows": rows,
            "today": timezone.localdate(),
            "may_send": _may(request, catalogue.SEND_PERMISSIONS),
        },
    )


def _entry_page(
    request: HttpRequest, *, code: str, values: dict
) -> selectors.InstrumentPage:  # type: ignore[type-arg]
    return selectors.instrument_page(
        code=code, unit_id=request.membership.unit_id, values=values
    )


@staff_view()
def paper_entry(request: HttpRequest, request_id: int) -> HttpResponse:
    found = get_request_for_user(
        request.membership, request_id, what="paper form entry"
    )
    code = request.GET.get("instrument", "")
    if code not in found.codes:
        raise Http404
    if not _may(request, catalogue.SEND_PERMISSIONS):
        return HttpResponse(status=403)
    values = selectors.stored_answers(questionnaire_request=found).get(code, {})
    page = _entry_page(request, code=code, values=values)
    form = StaffEntryForm(request.POST or None)
    if request.method == "POST":
        answers, errors = read_item_answers(code, request.POST, page.items)
        if form.is_valid() and not errors:
            try:
                services.enter_paper_form(
                    by=request.membership,
                    questionnaire_request=found,
                    code=code,
                    answers=answers,
                    answered_on=form.cleaned_data["answered_on"],
                )
            except services.QuestionnaireRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The paper form is entered."))
                return redirect("questionnaires:request", request_id=found.pk)
    return render(
        request,
        "questionnaires/staff_entry.html",
        {
            "page": page,
            "form": form,
            "episode": found.episode,
            "heading": _("Enter paper form"),
            "back": reverse("questionnaires:request", kwargs={"request_id": found.pk}),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view()
def staff_rating(request: HttpRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="staff rating")
    code = request.GET.get("instrument", "")
    if code not in catalogue.STAFF_RATED:
        raise Http404
    if not _may(request, catalogue.STAFF_RATED[code]):
        return HttpResponse(status=403)
    page = _entry_page(request, code=code, values={})
    form = StaffRatingForm(request.POST or None)
    if request.method == "POST":
        answers, errors = read_item_answers(code, request.POST, page.items)
        if form.is_valid() and not errors:
            try:
                services.record_staff_rating(
                    by=request.membership,
                    episode=episode,
                    time_point=form.cleaned_data["time_point"],
                    code=code,
                    answers=answers,
                    rated_on=form.cleaned_data["answered_on"],
                )
            except services.QuestionnaireRefused as refusal:
                form.add_error(refusal.field, refusal.message)
            else:
                messages.success(request, _("The rating is saved."))
                return redirect(episode)
    return render(
        request,
        "questionnaires/staff_entry.html",
        {
            "page": page,
            "form": form,
            "episode": episode,
            "heading": _("Staff rating"),
            "back": episode.get_absolute_url(),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_view()
def result_detail(request: HttpRequest, result_id: int) -> HttpResponse:
    result = get_result_for_user(
        request.membership, result_id, what="questionnaire result"
    )
    instrument = definition(result.code)
    values = {int(n): v for n, v in result.answers.items()}
    page = _entry_page(request, code=result.code, values=values)
    return render(
        request,
        "questionnaires/result_detail.html",
        {
            "result": result,
            "row": selectors.result_row(instrument, result),
            "page": page,
            "episode": result.episode,
        },
    )


@staff_view()
def outstanding(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.outstanding_requests(membership=request.membership, today=today)
    return render(
        request, "questionnaires/outstanding.html", {"rows": rows, "today": today}
    )


@staff_view(Permission.MANAGE_UNIT)
def unit_settings(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    services.ensure_packages(unit=membership.unit)
    packages = {
        p.time_point: p.codes for p in Package.objects.filter(unit=membership.unit_id)
    }
    current = services.form_settings(unit=membership.unit_id)
    posted = request.POST if request.method == "POST" else None
    settings_form = FormSettingsForm(posted, instance=current)
    packages_form = PackagesForm(posted, packages=packages)
    if posted is not None and settings_form.is_valid() and packages_form.is_valid():
        services.save_form_settings(
            by=membership,
            second_factor=settings_form.cleaned_data["second_factor"],
            expiry_days=settings_form.cleaned_data["expiry_days"],
        )
        for time_point, codes in packages_form.cleaned_data.items():
            if codes != packages.get(time_point, []):
                services.save_package(by=membership, time_point=time_point, codes=codes)
        messages.success(request, _("The questionnaire settings are saved."))
        return redirect("questionnaires:settings")
    loaded = set(
        LicensedText.objects.filter(unit=membership.unit_id).values_list(
            "code", flat=True
        )
    )
    licensed = [
        (code, definition(code).title, code in loaded)
        for code in CODES
        if definition(code).licensed_text
    ]
    return render(
        request,
        "questionnaires/settings.html",
        {
            "settings_form": settings_form,
            "packages_form": packages_form,
            "licensed": licensed,
        },
    )


@staff_view(Permission.MANAGE_UNIT)
def licensed_text(request: HttpRequest, code: str) -> HttpResponse:
    if code not in CODES or not definition(code).licensed_text:
        raise Http404
    existing = LicensedText.objects.filter(
        unit=request.membership.unit_id, code=code
    ).first()
    form = LicensedTextForm(
        request.POST or None,
        code=code,
        initial_texts=existing.item_texts if existing else {},
        initial={"copyright_line": existing.copyright_line if existing else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.load_licensed_text(
                by=request.membership,
                code=code,
                item_texts=form.item_texts(),
                copyright_line=form.cleaned_data["copyright_line"],
            )
        except services.QuestionnaireRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The licensed text is saved."))
            return redirect("questionnaires:settings")
    return render(
        request,
        "questionnaires/licensed_text.html",
        {"form": form, "instrument": definition(code)},
    )
