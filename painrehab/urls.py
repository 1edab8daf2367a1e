from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from painrehab.accounts import passwords
from painrehab.accounts import views as account_views
from painrehab.accounts.forms import LoginForm
from painrehab.pathway.views import episodes as pathway_views

urlpatterns = [
    path("", pathway_views.worklist, name="home"),
    path(
        "konto/logga-in/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("konto/logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("vardforlopp/", include("painrehab.pathway.urls")),
    path("logg/", include("painrehab.audit.urls")),
    path("brev/", include("painrehab.documents.urls")),
    path("program/", include("painrehab.programmes.urls")),
    path("formular/", include("painrehab.questionnaires.urls")),
    path(
        "f/", include("painrehab.questionnaires.patient_urls")
    ),  # patient link, no account
    path("statistik/", include("painrehab.analytics.urls")),
    path("", include("painrehab.interop.urls")),
    path("admin/", admin.site.urls),
]
