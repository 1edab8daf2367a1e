"""Staff see the outbox: per day and per patient, what went, what failed and
why; they stop or resend a message and record how the patient may be told."""

import hmac

from django.conf import settings
from django.contrib import messages as notices
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.forms import pressed, read_query
from painrehab.outbox import printing, selectors, services
from painrehab.outbox.access import get_message_for_user
from painrehab.outbox.forms import (
    BackForm,
    ContactPreferenceForm,
    DayForm,
    DayQuery,
    DeliveryReportForm,
    PrintedForm,
)
from painrehab.outbox.models import Message
from painrehab.patients.access import get_patient_for_user


@staff_view()
def day(request: StaffRequest) -> HttpResponse:
    membership = request.membership
    query = read_query(request, DayQuery)
    chosen, state = query["day"], query["state"]
    form = DayForm(initial=query)  # the filter shows the day the list shows
    rows = list(
        selectors.messages_of_day(unit_id=membership.unit_id, day=chosen, state=state)
    )
    record(
        by=request.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=[m.patient_id for m in rows],
        what="outbox day",
    )
    return render(
        request,
        "outbox/day.html",
        {
            "form": form,
            "day": chosen,
            "rows": rows,
            "may_write_letters": may(membership, Permission.WRITE_LETTERS),
        },
    )


@staff_view()
def patient(request: StaffRequest, patient_id: int) -> HttpResponse:
    membership = request.membership
    found = get_patient_for_user(membership, patient_id, what="outbox of a patient")
    preference = selectors.contact_preference_of(found)
    form = ContactPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST":
        if not may(membership, Permission.WRITE_LETTERS):
            raise Http404
        if form.is_valid():
            services.save_contact_preference(
                by=membership, patient=found, **form.cleaned_data
            )
            notices.success(request, _("How the patient may be told is saved."))
            return redirect("outbox:patient", patient_id=found.pk)
    return render(
        request,
        "outbox/patient.html",
        {
            "patient": found,
            "form": form,
            "rows": selectors.messages_of_patient(
                unit_id=membership.unit_id, patient_id=found.pk
            ),
            "may_write_letters": may(membership, Permission.WRITE_LETTERS),
        },
    )


@require_POST
@staff_view(Permission.WRITE_LETTERS)
def cancel(request: StaffRequest, message_id: int) -> HttpResponse:
    message = get_message_for_user(
        request.membership, message_id, what="outbox message"
    )
    try:
        services.cancel(by=request.membership, message=message)
    except services.OutboxRefused as refusal:
        notices.error(request, refusal.message)
    else:
        notices.success(request, _("The message is stopped."))
    return _back(request, message)


@require_POST
@staff_view(Permission.WRITE_LETTERS)
def resend(request: StaffRequest, message_id: int) -> HttpResponse:
    message = get_message_for_user(
        request.membership, message_id, what="outbox message"
    )
    try:
        services.resend(by=request.membership, message=message)
    except services.OutboxRefused as refusal:
        notices.error(request, refusal.message)
    else:
        notices.success(request, _("The message is queued again."))
    return _back(request, message)


def _back(request: StaffRequest, message: Message) -> HttpResponse:
    """Back to the page the button was on (`next`, this site only), else
    the patient's outbox."""
    form = BackForm(request.POST, host=request.get_host(), https=request.is_secure())
    back = form.cleaned_data["next"] if form.is_valid() else ""
    if back:
        return HttpResponseRedirect(back)  # a path, never read as a view's name
    return redirect("outbox:patient", patient_id=message.patient_id)


@staff_view(Permission.WRITE_LETTERS)
def print_batch(request: StaffRequest) -> HttpResponse:
    """The letters to post: the list; the batch as one PDF (POST `make`),
    each patient's questionnaire sheet with a fresh code beside their
    letter; and the confirmation that it was printed (POST, with the ids of
    the batch shown)."""
    membership = request.membership
    printing.drop_letters_not_due(unit_id=membership.unit_id)
    letters = list(printing.letters_to_post(unit_id=membership.unit_id))
    if request.method == "POST" and pressed(request, ["make"]) and letters:
        record(
            by=request.user,
            unit=membership.unit_id,
            action=Action.PRINT,
            patients=sorted({letter.patient_id for letter in letters}),
            what="print batch",
        )
        sheets = printing.make_sheets(by=membership, letters=letters)
        response = HttpResponse(
            printing.print_batch(
                letters, sheets=sheets, public_url=settings.PAINREHAB_PUBLIC_URL
            ),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = (
            f'inline; filename="utskrift-{timezone.localdate().isoformat()}.pdf"'
        )
        return response
    if request.method == "POST":
        form = PrintedForm(request.POST)
        if not form.is_valid():
            notices.error(
                request,
                _(
                    "The batch could not be confirmed. Open the page again and "
                    "confirm the letters it shows."
                ),
            )
            return redirect("outbox:print_batch")
        count = printing.confirm_printed(
            by=membership, letter_ids=form.cleaned_data["letter"]
        )
        notices.success(
            request,
            _("%(count)s letters are marked as sent by post.") % {"count": count},
        )
        return redirect("outbox:print_batch")
    record(
        by=request.user,
        unit=membership.unit_id,
        action=Action.VIEW,
        patients=sorted({letter.patient_id for letter in letters}),
        what="print batch",
    )
    return render(request, "outbox/print_batch.html", {"letters": letters})


@csrf_exempt
@require_POST
def sms_delivered(request: HttpRequest, secret: str) -> HttpResponse:
    """The SMS provider's delivery report (46elks `whendelivered`: form fields
    `id` and `status`). No login: the secret in the path, compared in
    constant time, is the proof; anything else is 404 without detail."""
    expected = settings.PAINREHAB_SMS.get("CALLBACK_SECRET", "")
    if not expected or not hmac.compare_digest(secret.encode(), expected.encode()):
        raise Http404
    report = DeliveryReportForm(request.POST)
    if not report.is_valid():
        raise Http404
    data = report.cleaned_data
    if (
        services.record_delivery_report(provider_id=data["id"], status=data["status"])
        is None
    ):
        raise Http404
    return HttpResponse(status=204)
