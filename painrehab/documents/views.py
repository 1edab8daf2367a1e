from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission
from painrehab.audit.services import Action, record
from painrehab.core.forms import pressed
from painrehab.core.history import StaleEdit
from painrehab.documents.access import get_letter_for_user
from painrehab.documents.defaults import DEFAULT_TEMPLATES
from painrehab.documents.forms import (
    DispatchForm,
    LetterForm,
    NewLetterForm,
    TemplateForm,
)
from painrehab.documents.models import LetterKind
from painrehab.documents.placeholders import VOCABULARY
from painrehab.documents.services import (
    LetterRefused,
    active_template,
    draft_letter,
    finalise_letter,
    record_dispatch,
    render_pdf,
    save_template,
    update_draft,
)
from painrehab.pathway.access import get_episode_for_user


@staff_view()
def letter(request: StaffRequest, letter_id: int) -> HttpResponse:
    """A letter: the editable draft, or the final letter with its dispatch log."""
    letter = get_letter_for_user(request.membership, letter_id, what="letter")
    form = None
    if not letter.is_final:
        fields = [
            "recipient_name",
            "recipient_address",
            "subject",
            "body",
            "signature",
            "version",
        ]
        initial = {f: getattr(letter, f) for f in fields}
        initial["recipient_address"] = letter.shown_address  # never a protected one
        form = LetterForm(request.POST or None, initial=initial)
        if (
            request.method == "POST"
            and may(request.membership, Permission.WRITE_LETTERS)
            and form.is_valid()
        ):
            data = dict(form.cleaned_data)
            # "Finalise" is a button of the same form: what is on the screen is
            # saved first, then made final.
            finalising = pressed(request, ["finalise"]) == "finalise"
            try:
                update_draft(
                    by=request.membership,
                    letter=letter,
                    expected_version=data.pop("version"),
                    **data,
                )
                if finalising:
                    finalise_letter(by=request.membership, letter=letter)
            except StaleEdit:
                form.add_error(None, StaleEdit.message)
            except LetterRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _("The letter is final.")
                    if finalising
                    else _("The draft is saved."),
                )
                return redirect(letter)
    return render(
        request,
        "documents/letter.html",
        {
            "letter": letter,
            "form": form,
            "dispatch_form": DispatchForm(),
            "dispatches": letter.dispatches.all(),
            "may_write_letters": may(request.membership, Permission.WRITE_LETTERS),
        },
    )


@staff_view()
def letter_pdf(request: StaffRequest, letter_id: int) -> HttpResponse:
    letter = get_letter_for_user(request.membership, letter_id, what="letter PDF")
    if letter.holds_a_protected_address:
        messages.error(
            request,
            _(
                "The letter was finalised before the patient's protected identity "
                "was recorded and its PDF holds the address, so it is not shown. "
                "Write a new letter if it is needed."
            ),
        )
        return redirect(letter)
    record(
        by=request.user,
        unit=request.membership.unit_id,
        action=Action.PRINT,
        patients=[letter.patient_id],
        obj=letter,
        what="letter printed",
    )
    response = HttpResponse(render_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="brev-{letter.pk}.pdf"'
    return response


@staff_view()
def enclosure_pdf(request: StaffRequest, letter_id: int) -> HttpResponse:
    """The document sent with the letter, byte for byte as it was stored."""
    letter = get_letter_for_user(request.membership, letter_id, what="enclosure")
    if not letter.enclosure_sha256 or letter.enclosure_pdf is None:
        raise Http404
    record(
        by=request.user,
        unit=request.membership.unit_id,
        action=Action.PRINT,
        patients=[letter.patient_id],
        obj=letter,
        what="letter enclosure printed",
    )
    response = HttpResponse(bytes(letter.enclosure_pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bilaga-{letter.pk}.pdf"'
    return response


@require_POST
@staff_view(Permission.WRITE_LETTERS)
def finalise(request: StaffRequest, letter_id: int) -> HttpResponse:
    letter = get_letter_for_user(request.membership, letter_id, what="finalise letter")
    try:
        finalise_letter(by=request.membership, letter=letter)
    except (LetterRefused, StaleEdit) as refusal:
        messages.error(request, getattr(refusal, "message", str(refusal)))
    else:
        messages.success(request, _("The letter is final."))
    return redirect(letter)


@require_POST
@staff_view(Permission.WRITE_LETTERS)
def dispatch(request: StaffRequest, letter_id: int) -> HttpResponse:
    letter = get_letter_for_user(request.membership, letter_id, what="send letter")
    form = DispatchForm(request.POST)
    if form.is_valid():
        try:
            record_dispatch(
                by=request.membership,
                letter=letter,
                channel=form.cleaned_data["channel"],
            )
        except LetterRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("The letter is logged as sent."))
    return redirect(letter)


@staff_view(Permission.WRITE_LETTERS)
def new_letter(request: StaffRequest, episode_id: int) -> HttpResponse:
    episode = get_episode_for_user(request.membership, episode_id, what="new letter")
    form = NewLetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            letter = draft_letter(
                by=request.membership,
                episode=episode,
                kind=data["kind"],
                extra={
                    "employer_name": data["employer_name"],
                    "employer_address": data["employer_address"],
                },
            )
        except LetterRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect(letter)
    return render(
        request, "documents/new_letter.html", {"episode": episode, "form": form}
    )


@staff_view(Permission.MANAGE_UNIT)
def templates(request: StaffRequest) -> HttpResponse:
    rows = [
        (kind, active_template(unit_id=request.membership.unit_id, kind=kind))
        for kind in LetterKind
    ]
    return render(request, "documents/templates.html", {"rows": rows})


@staff_view(Permission.MANAGE_UNIT)
def edit_template(request: StaffRequest, kind: str) -> HttpResponse:
    if kind not in DEFAULT_TEMPLATES:
        raise Http404
    current = active_template(unit_id=request.membership.unit_id, kind=kind)
    form = TemplateForm(
        request.POST or None,
        initial={"subject": current["subject"], "body": current["body"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_template(by=request.membership, kind=kind, **form.cleaned_data)
        except LetterRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The letter text is saved as a new version."))
            return redirect("documents:templates")
    return render(
        request,
        "documents/template_form.html",
        {
            "form": form,
            "kind": LetterKind(kind),
            "current": current,
            "vocabulary": VOCABULARY,
        },
    )
