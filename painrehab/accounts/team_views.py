"""The team pages of a unit administrator: thin views over accounts/team.py."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from painrehab.accounts import team
from painrehab.accounts.access import staff_view
from painrehab.accounts.http import StaffRequest
from painrehab.accounts.models import Membership, User
from painrehab.accounts.permissions import Permission
from painrehab.accounts.team_forms import (
    EndForm,
    ExistingUserForm,
    MembershipForm,
    StaffForm,
)

LINK_SESSION_KEY = "painrehab_password_link"


@staff_view(Permission.MANAGE_UNIT)
def team_list(request: StaffRequest) -> HttpResponse:
    today = timezone.localdate()
    members = team.team_of(unit_id=request.membership.unit_id, today=today)
    return render(request, "accounts/team/list.html", {"team": members, "today": today})


@staff_view(Permission.MANAGE_UNIT)
def add_staff(request: StaffRequest) -> HttpResponse:
    form = StaffForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = team.add_staff(
                by=request.user,
                unit=request.membership.unit,
                first_name=data["first_name"],
                last_name=data["last_name"],
                username=data["username"],
                email=data["email"],
                profession=data["profession"],
                is_unit_admin=data["is_unit_admin"],
                period=form.period,
            )
        except team.TeamError as error:
            form.add_error(None, str(error))
        else:
            return _show_link(request, membership, team.new_user_token(membership.user))
    return render(request, "accounts/team/add_staff.html", {"form": form})


@staff_view(Permission.MANAGE_UNIT)
def give_membership(request: StaffRequest) -> HttpResponse:
    form = ExistingUserForm(
        request.POST or None, initial={"valid_from": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(username__iexact=data["username"]).first()
        if user is None:
            form.add_error("username", _("No staff member has that user name."))
        else:
            try:
                team.give_membership(
                    by=request.user,
                    unit=request.membership.unit,
                    user=user,
                    profession=data["profession"],
                    is_unit_admin=data["is_unit_admin"],
                    period=form.period,
                )
            except team.TeamError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("%(name)s has access to the unit.") % {"name": user}
                )
                return redirect("team:list")
    return render(request, "accounts/team/give.html", {"form": form})


@staff_view(Permission.MANAGE_UNIT)
def membership_detail(request: StaffRequest, membership_id: int) -> HttpResponse:
    membership = team.get_membership_for_admin(request.membership, membership_id)
    form = _membership_form(membership, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team.change_membership(
                by=request.user,
                membership=membership,
                profession=form.cleaned_data["profession"],
                is_unit_admin=form.cleaned_data["is_unit_admin"],
                period=form.period,
            )
        except team.TeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The access is changed."))
            return redirect("team:list")
    return _render_detail(request, membership, form=form)


@require_POST
@staff_view(Permission.MANAGE_UNIT)
def end_membership(request: StaffRequest, membership_id: int) -> HttpResponse:
    membership = team.get_membership_for_admin(request.membership, membership_id)
    end_form = EndForm(request.POST)
    if end_form.is_valid():
        try:
            team.end_membership(
                by=request.user,
                membership=membership,
                last_day=end_form.cleaned_data["last_day"],
            )
        except team.TeamError as error:
            end_form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The access of %(name)s ends after %(day)s.")
                % {
                    "name": membership.user,
                    "day": end_form.cleaned_data["last_day"].isoformat(),
                },
            )
            return redirect("team:list")
    return _render_detail(request, membership, end_form=end_form, status=400)


@require_POST
@staff_view(Permission.MANAGE_UNIT)
def reset_password(request: StaffRequest, membership_id: int) -> HttpResponse:
    membership = team.get_membership_for_admin(request.membership, membership_id)
    try:
        token = team.reset_password(by=request.user, membership=membership)
    except team.TeamError as error:
        messages.error(request, str(error))
        return redirect("team:membership", membership_id=membership.pk)
    return _show_link(request, membership, token)


@staff_view(Permission.MANAGE_UNIT)
def password_link(request: StaffRequest, membership_id: int) -> HttpResponse:
    """Shows a new set-password link once; a reload shows that it was shown."""
    membership = team.get_membership_for_admin(request.membership, membership_id)
    links = request.session.get(LINK_SESSION_KEY, {})
    link = links.pop(str(membership.pk), None)
    request.session[LINK_SESSION_KEY] = links
    response = render(
        request,
        "accounts/team/link.html",
        {"member": membership, "link": link, "days": team.link_days()},
    )
    response["Cache-Control"] = "no-store"
    return response


def _show_link(
    request: HttpRequest, membership: Membership, token: str
) -> HttpResponse:
    """Keeps the link in the session for one showing and redirects to it, so
    the token is never in a URL of this browser's history."""
    path = reverse(
        "password_set", kwargs=team.password_link_parts(membership.user, token)
    )
    links = request.session.get(LINK_SESSION_KEY, {})
    links[str(membership.pk)] = request.build_absolute_uri(path)
    request.session[LINK_SESSION_KEY] = links
    return redirect("team:link", membership_id=membership.pk)


def _membership_form(membership: Membership, data: object = None) -> MembershipForm:
    today = timezone.localdate()
    begun = team.begun_on(membership, today)
    return MembershipForm(
        data,
        begun=begun is not None,
        initial={
            "profession": membership.profession,
            "is_unit_admin": membership.is_unit_admin,
            "valid_from": begun or membership.valid_from,
            "valid_until": membership.valid_until,
        },
    )


def _render_detail(
    request: StaffRequest,
    membership: Membership,
    *,
    form: MembershipForm | None = None,
    end_form: EndForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    try:
        team.check_may_reset_password(by=request.user, membership=membership)
        reset_refused = ""
    except team.TeamError as error:
        reset_refused = str(error)
    ended = membership.valid_until is not None and membership.valid_until < today
    return render(
        request,
        "accounts/team/membership.html",
        {
            "member": membership,
            "form": form or _membership_form(membership),
            "end_form": end_form or EndForm(initial={"last_day": today}),
            "ended": ended,
            "reset_refused": reset_refused,
        },
        status=status,
    )
