"""Unit data for the assessment: criteria per programme template, investigation record fields."""

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from painrehab.accounts.access import staff_view
from painrehab.accounts.permissions import Permission, Profession
from painrehab.pathway.models import CriteriaSet
from painrehab.pathway.services.assessment import (
    criteria_for,
    investigation_fields,
    save_criteria_set,
    save_investigation_template,
)
from painrehab.pathway.states import TransitionRefused


def _criteria_list(text: str) -> list:
    """The posted JSON as a list, or ValueError with a message in the user's language."""
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError as problem:
        raise ValueError(
            _("The text is not valid JSON (line %(line)s, column %(column)s).")
            % {"line": problem.lineno, "column": problem.colno}
        ) from problem
    except ValueError as problem:  # a number too long to read, for one
        raise ValueError(_("The text is not valid JSON.")) from problem
    if not isinstance(parsed, list):
        raise ValueError(_("The criteria must be a list."))
    return parsed


@staff_view(Permission.MANAGE_UNIT)
def criteria(request: HttpRequest, template: str) -> HttpResponse:
    """The unit's criteria for a template, edited as data (one JSON object per criterion)."""
    if template not in CriteriaSet.Template.values:
        raise Http404
    version, current = criteria_for(
        unit_id=request.membership.unit_id, template=template
    )
    text = request.POST.get("criteria") if request.method == "POST" else None
    error = ""
    if text is not None:
        try:
            parsed = _criteria_list(text)
            save_criteria_set(by=request.membership, template=template, criteria=parsed)
        except (ValueError, TypeError, TransitionRefused) as problem:
            error = _("The criteria could not be saved: %(problem)s") % {
                "problem": getattr(problem, "message", problem)
            }
        else:
            messages.success(request, _("The criteria are saved as a new version."))
            return redirect("pathway:criteria", template=template)
    return render(
        request,
        "pathway/criteria.html",
        {
            "template": CriteriaSet.Template(template),
            "version": version,
            "criteria": current,
            "error": error,
            "text": text
            if text is not None
            else json.dumps(
                [c.to_dict() for c in current], ensure_ascii=False, indent=2
            ),
        },
        status=400 if error else 200,
    )


@staff_view(Permission.MANAGE_UNIT)
def record_template(request: HttpRequest, profession: str) -> HttpResponse:
    """The fields of one profession's investigation record: one label per line."""
    if profession not in Profession.values:
        raise Http404
    version, fields = investigation_fields(
        unit_id=request.membership.unit_id, profession=profession
    )
    if request.method == "POST":
        labels = request.POST.get("labels", "").splitlines()
        if any(label.strip() for label in labels):
            save_investigation_template(
                by=request.membership, profession=profession, labels=labels
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
            "labels": "\n".join(f["label"] for f in fields),
            "professions": Profession.choices,
        },
    )
