from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from painrehab.accounts import login_views, passwords
from painrehab.accounts import views as account_views
from painrehab.core.views import favicon
from painrehab.steps.episodes import views as pathway_views

urlpatterns = [
    path("", pathway_views.worklist, name="home"),
    path("konto/logga-in/", login_views.PasswordLoginView.as_view(), name="login"),
    path("konto/logga-in/kod/", login_views.second_factor, name="second_factor"),
    path(
        "konto/tvastegsverifiering/",
        login_views.second_factor_settings,
        name="second_factor_settings",
    ),
    path(
        "konto/tvastegsverifiering/ny-app/",
        login_views.enrol_second_factor,
        name="enrol_second_factor",
    ),
    path(
        "konto/tvastegsverifiering/nya-reservkoder/",
        login_views.new_recovery_codes,
        name="new_recovery_codes",
    ),
    path(
        "konto/tvastegsverifiering/personal/",
        login_views.staff_second_factor,
        name="staff_second_factor",
    ),
    path(
        "konto/tvastegsverifiering/personal/<int:member_id>/aterstall/",
        login_views.reset_staff_second_factor,
        name="reset_staff_second_factor",
    ),
    path("konto/logga-ut/", account_views.log_out, name="logout"),
    path("konto/siths/", account_views.sso_start, name="sso_start"),
    path("konto/siths/tillbaka/", account_views.sso_callback, name="sso_callback"),
    path("konto/ingen-enhet/", account_views.no_unit, name="no_unit"),
    path("konto/byt-enhet/", account_views.switch_unit, name="switch_unit"),
    path(
        "konto/losenord/", passwords.ChangeOwnPassword.as_view(), name="password_change"
    ),
    path(
        "konto/satt-losenord/<uidb64>/<token>/",
        passwords.SetPasswordByLink.as_view(),
        name="password_set",
    ),
    path("personal/", include("painrehab.accounts.team_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("patienter/", include("painrehab.patients.urls")),
    path("vardforlopp/", include("painrehab.steps.urls")),
    path("logg/", include("painrehab.audit_review.urls")),
    path("brev/", include("painrehab.documents.urls")),
    path("utskick/", include("painrehab.outbox.urls")),
    path("program/", include("painrehab.programmes.urls")),
    path("formular/", include("painrehab.questionnaires.urls")),
    path(
        "f/", include("painrehab.questionnaires.patient_urls")
    ),  # patient link, no account
    path("statistik/", include("painrehab.analytics.urls")),
    path("", include("painrehab.interop.urls")),
    # The admin's own login would skip the second factor: it is this one.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    # Browsers and tools that ask for the icon at the old address.
    path("favicon.ico", favicon, name="favicon"),
]
