from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from painrehab.accounts import sso
from painrehab.accounts.forms import SwitchUnitForm
from painrehab.accounts.http import UnitRequest
from painrehab.accounts.middleware import CURRENT_UNIT
from painrehab.audit.services import Action, record


@require_POST
@login_required
def switch_unit(request: UnitRequest) -> HttpResponse:
    """Work in another of the user's units; a unit the user is not a member of is ignored."""
    form = SwitchUnitForm(
        request.POST, unit_ids=[m.unit_id for m in request.memberships]
    )
    wanted = form.cleaned_data["unit"] if form.is_valid() else None
    for membership in request.memberships:
        if membership.unit_id == wanted:
            request.session[CURRENT_UNIT] = membership.unit_id
            record(
                by=request.user,
                unit=membership.unit_id,
                action=Action.LOGIN,
                what="switched unit",
            )
    # Back to the start page: the page the user was on belongs to the old unit.
    return redirect("home")


def sso_start(request: HttpRequest) -> HttpResponse:
    """Off to the region's identity provider (404 when single sign-on is off)."""
    if not sso.is_enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


class _SsoCallback(OIDCAuthenticationCallbackView):
    """The provider's answer: logs in and audits, or refuses with a Swedish
    message on the login page and audits the refusal."""

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[sso.SSO_SESSION] = True
        # In the log of the unit the user starts in (the middleware's first).
        unit_id = self.user.memberships.values_list("unit_id", flat=True).first()
        record(
            by=self.user,
            unit=unit_id,
            action=Action.LOGIN,
            what="logged in with SITHS (OIDC)",
        )
        if unit_id is None:
            return redirect("no_unit")
        return response

    def login_failure(self) -> HttpResponse:
        refusal = sso.refusal_of(self.request)
        record(
            by=None,
            action=Action.REFUSED,
            what=f"single sign-on refused: {refusal.reason}",
        )
        messages.error(self.request, refusal.message)
        return redirect("login")


def sso_callback(request: HttpRequest) -> HttpResponse:
    if not sso.is_enabled():
        raise Http404
    try:
        return _SsoCallback.as_view()(request)
    except SuspiciousOperation:
        # A state this browser never sent: a stale tab, or a forged answer.
        setattr(request, sso.REFUSAL, sso.SsoRefused("state not sent by this browser"))
        view = _SsoCallback()
        view.setup(request)
        return view.login_failure()


@login_required
def no_unit(request: UnitRequest) -> HttpResponse:
    """For a user without any membership: nothing to see until one is given."""
    if request.memberships:
        return redirect("home")
    return render(request, "accounts/no_unit.html")


@require_POST
def log_out(request: UnitRequest) -> HttpResponse:
    """Ends the session here, and the provider's too after a single sign-on."""
    provider_url = sso.provider_logout_url(request)
    if request.user.is_authenticated:
        record(
            by=request.user,
            unit=getattr(request.membership, "unit_id", None),
            action=Action.LOGIN,
            what="logged out",
        )
    logout(request)
    return redirect(provider_url or settings.LOGOUT_REDIRECT_URL)
