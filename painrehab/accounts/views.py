from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from painrehab.accounts.middleware import CURRENT_UNIT
from painrehab.audit.services import Action, record


@require_POST
@login_required
def switch_unit(request: HttpRequest) -> HttpResponse:
    """Work in another of the user's units; a unit the user is not a member of is ignored."""
    wanted = request.POST.get("unit", "")
    for membership in request.memberships:
        if str(membership.unit_id) == wanted:
            request.session[CURRENT_UNIT] = membership.unit_id
            record(
                by=request.user,
                unit=membership.unit_id,
                action=Action.LOGIN,
                what="switched unit",
            )
    # Back to the start page: the page the user was on belongs to the old unit.
    return redirect("home")
