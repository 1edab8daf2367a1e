"""Unit data for the assessment: criteria per programme template, investigation record fields."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.permissions import Permission, Profession
from painrehab.pathway.criteria import (
    PARAM_LABELS,
    RULES,
    CriterionKind,
    rule_in_words,
)
from painrehab.pathway.forms import CriteriaForm, RecordTemplateForm
from painrehab.pathway.models import CriteriaSet
from painrehab.pathway.states import DischargeReason, TransitionRefused
from painrehab.steps.conference.services import criteria_for, save_criteria_set
from painrehab.steps.investigation.services import (
    investigation_fields,
    save_investigation_template,
)


@staff_view(Permission.MANAGE_UNIT)
def criteria(request: StaffRequest, template: str) -> HttpResponse:
    """The unit's criteria for a template: read as sentences, changed in a form
    with one row per criterion (or, for a batch, posted as JSON in `criteria`)."""
    if template not in CriteriaSet.Template.values:
        raise Http404
    version, current = criteria_for(
        unit_id=request.membership.unit_id, template=template
    )
    rows = [c.to_dict() for c in current]
    form = CriteriaForm(request.POST) if request.method == "POST" else None
    if form is not None:
        if form.is_valid():
            try:
                save_criteria_set(
                    by=request.membership,
                    template=template,
                    criteria=form.cleaned_data["criteria"],
                )
            except (ValueError, TypeError, TransitionRefused) as problem:
                form.refuse(problem)
            else:
                messages.success(request, _("The criteria are saved as a new version."))
                return redirect("pathway:criteria", template=template)
        if not form.is_batch():  # the form again, as typed
            rows = form.rows_as_typed()
    return render(
        request,
        "pathway/criteria.html",
        {
            "template": CriteriaSet.Template(template),
            "templates": CriteriaSet.Template.choices,
            "version": version,
            "criteria": current,
            "form": form,
            "rows": _form_rows(rows),
            "kinds": CriterionKind.choices,
            "discharge_reasons": DischargeReason.choices,
        },
        status=400 if form is not None else 200,
    )


def _decided_by(rule: str | None, params: dict) -> str:
    if rule in RULES and (
        set(params) != set(RULES[rule].params)
        or not all(isinstance(v, int) for v in params.values())
    ):
        return ""  # values as typed, not yet whole numbers
    return rule_in_words(rule if rule in RULES else None, params)


def _form_rows(rows: list) -> list[dict]:
    """The rows of the form: each criterion as typed with its problems, its
    rule's parameters with their labels, and one empty row for a new criterion.
    The first field with a problem takes the focus (`focus`), so the page
    opens at it however far down the list it is."""
    shown = []
    focus_taken = False
    for row in [r for r in rows if isinstance(r, dict)] + [
        {"checked_at_assessment": True}
    ]:
        rule = row.get("rule")
        given = row.get("params")
        params = given if isinstance(given, dict) else {}
        problems = row.get("problems") or {}
        focus = ""
        if problems and not focus_taken:
            focus = next(f for f in ("text_sv", "kind", "params") if f in problems)
            focus_taken = True
        shown.append(
            {
                **row,
                "problems": problems,
                "focus": focus,
                "param_fields": [
                    (name, PARAM_LABELS.get(name, name), params.get(name, ""))
                    for name in (RULES[rule].params if rule in RULES else ())
                ],
                # An impossible rule is not put in words ("Age 18–10 years").
                "decided_by": "" if "params" in problems else _decided_by(rule, params),
            }
        )
    return shown


@staff_view(Permission.MANAGE_UNIT)
def record_template(request: StaffRequest, profession: str) -> HttpResponse:
    """The fields of one profession's investigation record: one label per line."""
    if profession not in Profession.values:
        raise Http404
    version, fields = investigation_fields(
        unit_id=request.membership.unit_id, profession=profession
    )
    form = RecordTemplateForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            save_investigation_template(
                by=request.membership,
                profession=profession,
                labels=form.cleaned_data["labels"],
            )
            messages.success(
                request, _("The record template is saved as a new version.")
            )
            return redirect("pathway:record_template", profession=profession)
        messages.error(request, _("Give at least one field."))
    return render(
        request,
        "pathway/record_template.html",
        {
            "profession": Profession(profession),
            "version": version,
            # what was typed stays on the page when it could not be saved
            "labels": form.data.get("labels")
            if form.is_bound
            else "\n".join(f["label"] for f in fields),
            "professions": Profession.choices,
        },
    )
