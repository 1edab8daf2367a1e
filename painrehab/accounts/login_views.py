"""The password login and its second step (the code, or setting up the
authenticator), the staff member's own second-factor page and the unit
administrator's reset.

Between the password and the code nobody is logged in: the session only holds
whose password was right, for a few minutes, so every other page still sees
an anonymous visitor.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.models import Device

from painrehab.accounts.access import may, staff_view
from painrehab.accounts.forms import (
    ACCOUNT_DELAYED,
    CodeForm,
    LoginForm,
)
from painrehab.accounts.http import LoggedInRequest, StaffRequest
from painrehab.accounts.lockout import (
    AccountDelayed,
    begin_attempt,
    clear_login_failures,
    note_address_lock,
    note_refused_login,
)
from painrehab.accounts.models import Membership, RecoveryCodeDevice, User
from painrehab.accounts.permissions import Permission
from painrehab.accounts.second_factor import (
    authenticator_to_confirm,
    confirm_authenticator,
    has_authenticator,
    issue_recovery_codes,
    manual_key,
    qr_code_data_uri,
    recovery_codes_left,
    reset_second_factor,
    second_factor_required,
    verify_second_factor,
)
from painrehab.audit.services import Action, record

PENDING = "painrehab_password_ok"


class PasswordLoginView(LoginView):
    """The password; then either the login, or the second step."""

    authentication_form = LoginForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if not second_factor_required(user):
            _complete_login(self.request, user, backend=user.backend, how="password")
            return redirect(self.get_success_url())
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": timezone.now().timestamp(),
            "next": self.get_success_url(),
        }
        if has_authenticator(user):
            return redirect("second_factor")
        return redirect("enrol_second_factor")

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error("__all__", ACCOUNT_DELAYED):
            response.status_code = 429
        return response


def _pending(request: HttpRequest) -> tuple[User, dict] | None:
    """Whose password was right in this session, if it was recent enough."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    age = timezone.now().timestamp() - pending["at"]
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None or not 0 <= age <= settings.PAINREHAB_2FA_STEP_SECONDS:
        del request.session[PENDING]
        return None
    return user, pending


def _complete_login(
    request: HttpRequest,
    user: User,
    *,
    backend: str,
    how: str,
    device: Device | None = None,
) -> None:
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    clear_login_failures(user.get_username())
    record(by=user, action=Action.LOGIN, what=f"logged in: {how}")


def _refusal(request: HttpRequest, user: User) -> str | None:
    """Why no code may be tried now (the lock of the name at this address, or
    the account's delay); else None, and the try is counted as a failure until
    a login clears the account's count."""
    if AxesProxyHandler.is_locked(request, credentials={"username": user.username}):
        note_address_lock(user.get_username(), user=user, now_locked=False)
        return _(
            "Too many failed logins from this address. Wait a quarter of an hour and try again."
        )
    try:
        begin_attempt(user.get_username())
    except AccountDelayed as delayed:
        note_refused_login(user.get_username(), user=user, until=delayed.until)
        return str(delayed.message)
    return None


def _count_wrong_code_at_address(request: HttpRequest, user: User) -> None:
    """A wrong code counts towards axes' lock of the user name at this address."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )
    if getattr(request, "axes_locked_out", False):
        note_address_lock(user.get_username(), user=user, now_locked=True)


def second_factor(request: HttpRequest) -> HttpResponse:
    """The code step after a right password."""
    found = _pending(request)
    if found is None:
        return redirect("login")
    user, pending = found
    if not has_authenticator(user):
        return redirect("enrol_second_factor")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        refusal = _refusal(request, user)
        if refusal:
            form.add_error(None, refusal)
            status = 429
        else:
            device = verify_second_factor(user=user, code=form.cleaned_data["code"])
            if device is not None:
                how = "password and " + (
                    "recovery code"
                    if isinstance(device, RecoveryCodeDevice)
                    else "authenticator code"
                )
                _complete_login(
                    request, user, backend=pending["backend"], how=how, device=device
                )
                if isinstance(device, RecoveryCodeDevice):
                    messages.warning(
                        request,
                        _(
                            "You logged in with a recovery code; %(count)s are left. "
                            "Make new ones under Login security."
                        )
                        % {"count": recovery_codes_left(user)},
                    )
                return redirect(pending["next"])
            _count_wrong_code_at_address(request, user)
            form.add_error("code", _("The code is not right. Try again."))
    return render(request, "accounts/second_factor.html", {"form": form}, status=status)


def enrol_second_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: right after the password for a user who
    must have one, or from the user's own page. Confirmed by one code."""
    found = _pending(request)
    if found is not None:
        user, pending = found
    elif request.user.is_authenticated:
        user, pending = request.user, None
    else:
        return redirect("login")
    if has_authenticator(user):
        # A second authenticator is never added with the password alone.
        return redirect("second_factor" if pending else "second_factor_settings")
    device = authenticator_to_confirm(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        refusal = _refusal(request, user) if pending else None
        if refusal:
            form.add_error(None, refusal)
            status = 429
        else:
            codes = confirm_authenticator(
                user=user, device=device, code=form.cleaned_data["code"]
            )
            if codes is not None:
                if pending:
                    _complete_login(
                        request,
                        user,
                        backend=pending["backend"],
                        how="password and a new authenticator",
                        device=device,
                    )
                else:
                    otp_login(request, device)
                next_url = pending["next"] if pending else None
                return _show_recovery_codes(request, codes, next_url)
            if pending:
                _count_wrong_code_at_address(request, user)
            form.add_error("code", _("The code is not right. Try again."))
    context = {
        "form": form,
        "qr_code": qr_code_data_uri(device),
        "key": manual_key(device),
    }
    return render(request, "accounts/enrol.html", context, status=status)


def _show_recovery_codes(
    request: HttpRequest,
    codes: list[str],
    next_url: str | None,
    *,
    renewed: bool = False,
) -> HttpResponse:
    context = {
        "codes": codes,
        "next_url": next_url or settings.LOGIN_REDIRECT_URL,
        "renewed": renewed,
    }
    return render(request, "accounts/recovery_codes.html", context)


@login_required
def second_factor_settings(request: LoggedInRequest) -> HttpResponse:
    """The staff member's own page: is a second factor set up, how many
    recovery codes are left."""
    user = request.user
    membership: Membership | None = getattr(request, "membership", None)
    context = {
        "has_authenticator": has_authenticator(user),
        "codes_left": recovery_codes_left(user),
        "form": Form(),
        # The link to the unit's overview of everyone's second factor.
        "may_manage_unit": membership is not None
        and may(membership, Permission.MANAGE_UNIT),
    }
    return render(request, "accounts/second_factor_settings.html", context)


@require_POST
@login_required
def new_recovery_codes(request: LoggedInRequest) -> HttpResponse:
    """Ten new recovery codes, shown once; the old ones stop working."""
    if not has_authenticator(request.user):
        return redirect("second_factor_settings")
    codes = issue_recovery_codes(user=request.user)
    return _show_recovery_codes(request, codes, None, renewed=True)


@staff_view(Permission.MANAGE_UNIT)
def staff_second_factor(request: StaffRequest) -> HttpResponse:
    """The unit administrator's list of the unit's staff and their second factor."""
    memberships = (
        Membership.objects.filter(unit_id=request.membership.unit_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )
    rows = [(m, has_authenticator(m.user)) for m in memberships]
    return render(request, "accounts/staff_second_factor.html", {"rows": rows})


@require_POST
@staff_view(Permission.MANAGE_UNIT)
def reset_staff_second_factor(request: StaffRequest, member_id: int) -> HttpResponse:
    """Remove a staff member's authenticator and recovery codes (audited)."""
    unit_id = request.membership.unit_id
    membership = get_object_or_404(
        Membership.objects.select_related("user"), unit_id=unit_id, pk=member_id
    )
    if membership.user_id == request.user.pk:
        raise Http404  # one's own factor is reset by another administrator
    reset_second_factor(user=membership.user, by=request.user, unit_id=unit_id)
    messages.success(
        request,
        _(
            "The second factor of %(name)s was reset. They set up a new one at their next login."
        )
        % {"name": membership.user},
    )
    return redirect("staff_second_factor")
