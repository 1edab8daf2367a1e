"""Staff pages: send a package, print the link, enter paper forms and staff
ratings, read results, see what is outstanding, configure the unit."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_stubs_ext import StrOrPromise

from painrehab.accounts.access import may, require, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.pathway.access import get_episode_for_user
from painrehab.questionnaires import catalogue, links, selectors, services, wording
from painrehab.questionnaires.access import get_request_for_user, get_result_for_user
from painrehab.questionnaires.definitions.schema import Definition
from painrehab.questionnaires.forms import (
    AnswersForm,
    FormSettingsForm,
    InstrumentQuery,
    PackagesForm,
    SendPackageForm,
    StaffEntryForm,
    StaffRatingForm,
    WordingFileForm,
)
from painrehab.questionnaires.models import (
    TIME_POINT_ORDER,
    LicensedWording,
    Package,
    Result,
)
from painrehab.questionnaires.scoring import CODES, definition


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
def send(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(
        request.membership, episode_id, what="send questionnaires"
    )
    require(request.membership, catalogue.SEND_PERMISSIONS)
    services.ensure_packages(unit=episode.unit)
    packages = Package.objects.filter(unit=request.membership.unit_id).exclude(codes=[])
    time_points = [
        (
            p.time_point,
            f"{p.get_time_point_display()}: "
            + "; ".join(definition(code).title for code in p.codes),
        )
        for p in sorted(packages, key=lambda p: TIME_POINT_ORDER.index(p.time_point))
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
            for code in services.missing_wordings(
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
def renew(request: StaffRequest, request_id: int) -> HttpResponse:
    found = get_request_for_user(request.membership, request_id, what="renew link")
    require(request.membership, catalogue.SEND_PERMISSIONS)
    try:
        sent = services.renew_link(by=request.membership, questionnaire_request=found)
    except services.QuestionnaireRefused as refusal:
        messages.error(request, refusal.message)
        return redirect("questionnaires:request", request_id=found.pk)
    return _letter_sheet(request, sent)


@staff_view()
def request_detail(request: StaffRequest, request_id: int) -> HttpResponse:
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
            "may_send": may(request.membership, catalogue.SEND_PERMISSIONS),
        },
    )


def _entry_page(
    request: StaffRequest, *, code: str, values: dict, wording_id: int | None = None
) -> selectors.InstrumentPage:
    """Every question of an instrument for staff, in the given wording version
    (the one a request was sent with) or the unit's version in use."""
    row = (
        LicensedWording.objects.filter(
            unit=request.membership.unit_id, pk=wording_id
        ).first()
        if wording_id
        else selectors.active_wording(unit_id=request.membership.unit_id, code=code)
    )
    return selectors.instrument_page(
        code=code, values=values, worded=row.as_wording() if row else None
    )


@staff_view()
def paper_entry(request: StaffRequest, request_id: int) -> HttpResponse:
    found = get_request_for_user(
        request.membership, request_id, what="paper form entry"
    )
    query = InstrumentQuery(request.GET, codes=found.codes)
    if not query.is_valid():
        raise Http404
    code = query.cleaned_data["instrument"]
    require(request.membership, catalogue.SEND_PERMISSIONS)
    values = selectors.stored_answers(questionnaire_request=found).get(code, {})
    page = _entry_page(
        request, code=code, values=values, wording_id=found.wordings.get(code)
    )
    form = StaffEntryForm(request.POST or None)
    if request.method == "POST":
        posted = AnswersForm(request.POST, code=code)
        posted.show_on(page.items)
        if form.is_valid() and posted.is_valid():
            try:
                services.enter_paper_form(
                    by=request.membership,
                    questionnaire_request=found,
                    code=code,
                    answers=posted.answers(),
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
def staff_rating(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="staff rating")
    query = InstrumentQuery(request.GET, codes=catalogue.STAFF_RATED)
    if not query.is_valid():
        raise Http404
    code = query.cleaned_data["instrument"]
    require(request.membership, catalogue.STAFF_RATED[code])
    page = _entry_page(request, code=code, values={})
    form = StaffRatingForm(request.POST or None)
    if request.method == "POST":
        posted = AnswersForm(request.POST, code=code)
        posted.show_on(page.items)
        if form.is_valid() and posted.is_valid():
            try:
                services.record_staff_rating(
                    by=request.membership,
                    episode=episode,
                    time_point=form.cleaned_data["time_point"],
                    code=code,
                    answers=posted.answers(),
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
def result_detail(request: StaffRequest, result_id: int) -> HttpResponse:
    result = get_result_for_user(
        request.membership, result_id, what="questionnaire result"
    )
    instrument = definition(result.code)
    values = {int(n): v for n, v in result.answers.items()}
    page = _entry_page(
        request, code=result.code, values=values, wording_id=result.wording_id
    )
    return render(
        request,
        "questionnaires/result_detail.html",
        {
            "result": result,
            "wording_text": _wording_in_words(result),
            "row": selectors.result_row(instrument, result),
            "page": page,
            "episode": result.episode,
        },
    )


@staff_view()
def outstanding(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.outstanding_requests(membership=request.membership, today=today)
    context = {
        "rows": rows,
        "today": today,
        "may_manage_unit": may(request.membership, Permission.MANAGE_UNIT),
    }
    return render(request, "questionnaires/outstanding.html", context)


@staff_view(Permission.MANAGE_UNIT)
def unit_settings(request: StaffRequest) -> HttpResponse:
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
        LicensedWording.objects.filter(
            unit=membership.unit_id, status=LicensedWording.Status.ACTIVE
        ).values_list("code", flat=True)
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


def _wording_in_words(result: Result) -> str:
    """Which wording the patient answered, as staff read it."""
    if result.wording is not None:
        row = result.wording
        return _("%(label)s (the unit's version %(number)s, imported %(day)s)") % {
            "label": row.label,
            "number": row.number,
            "day": formats.date_format(timezone.localtime(row.loaded_at), "j F Y"),
        }
    if definition(result.code).licensed_text:
        return _("No licensed wording was recorded for these answers.")
    return _("The wording that comes with the system.")


def _licensed_instrument(code: str) -> Definition:
    if code not in CODES or not definition(code).licensed_text:
        raise Http404
    return definition(code)


@staff_view(Permission.MANAGE_UNIT)
def licensed_text(request: StaffRequest, code: str) -> HttpResponse:
    """The instrument's wording versions, and the import of a new one."""
    instrument = _licensed_instrument(code)
    form = WordingFileForm(request.POST or None, request.FILES or None)
    problems: list[StrOrPromise] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(wording.MAX_FILE_BYTES + 1)
        try:
            row = services.import_wording(by=request.membership, code=code, data=data)
        except wording.WordingRefused as refusal:
            problems = list(refusal.messages)
        except services.QuestionnaireRefused as refusal:
            problems = [refusal.message]
        else:
            return redirect("questionnaires:wording_preview", wording_id=row.pk)
    versions = LicensedWording.objects.filter(
        unit=request.membership.unit_id, code=code
    ).select_related("loaded_by", "activated_by")
    return render(
        request,
        "questionnaires/licensed_text.html",
        {
            "form": form,
            "problems": problems,
            "instrument": instrument,
            "licence_note": catalogue.licence_note(code),
            "versions": versions,
            "item_count": len(instrument.items),
        },
        status=400 if problems or form.errors else 200,
    )


@staff_view(Permission.MANAGE_UNIT)
def wording_template(request: StaffRequest, code: str) -> HttpResponse:
    """A file to fill in: every question and answer value in place."""
    instrument = _licensed_instrument(code)
    response = HttpResponse(
        wording.template_yaml(instrument), content_type="text/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-wording.yaml"'
    return response


@staff_view(Permission.MANAGE_UNIT)
def wording_preview(request: StaffRequest, wording_id: int) -> HttpResponse:
    """The version as the patient will see it, page by page; activate it here."""
    row = get_object_or_404(
        LicensedWording, unit=request.membership.unit_id, pk=wording_id
    )
    code = row.code
    instrument = _licensed_instrument(code)
    if request.method == "POST":
        try:
            services.activate_wording(by=request.membership, licensed_wording=row)
        except services.QuestionnaireRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("The wording is in use: forms sent from now on show it."),
            )
            return redirect("questionnaires:licensed_text", code=code)
    worded = row.as_wording()
    layout = selectors.form_pages(codes=[code], wordings={code: worded})
    pages = [
        selectors.instrument_page(code=code, values={}, worded=worded, page=page)
        for page in layout
    ]
    return render(
        request,
        "questionnaires/wording_preview.html",
        {"instrument": instrument, "row": row, "pages": pages},
    )
