from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

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
    path("konto/logga-ut/", account_views.log_out, name="logout"),
    path("konto/siths/", account_views.sso_start, name="sso_start"),
    path("konto/siths/tillbaka/", account_views.sso_callback, name="sso_callback"),
    path("konto/ingen-enhet/", account_views.no_unit, name="no_unit"),
    path("konto/byt-enhet/", account_views.switch_unit, name="switch_unit"),
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
