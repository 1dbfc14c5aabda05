"""The workspace under /werkruimte/ (Dutch paths: the teams' language)."""

from django.urls import path
from django.views.i18n import set_language

from workspace import (
    views_initiatives,
    views_login,
    views_privacy,
    views_privacy_requests,
    views_signals,
    views_team,
)

app_name = "workspace"

urlpatterns = [
    path("", views_team.home_view, name="home"),
    path("inloggen/", views_login.login_view, name="login"),
    path("inloggen/organisatie/", views_login.login_oidc_start_view, name="login-oidc"),
    path(
        "inloggen/organisatie/terug/",
        views_login.login_oidc_callback_view,
        name="login-oidc-callback",
    ),
    path("inloggen/code/", views_login.login_code_view, name="login-code"),
    path("inloggen/koppelen/", views_login.login_enrol_view, name="login-enrol"),
    path("uitloggen/", views_login.logout_view, name="logout"),
    path("taal/", set_language, name="language"),
    path("wachtrij/", views_signals.queue_view, name="queue"),
    path("signalen/<uuid:signal_id>/", views_signals.signal_view, name="signal"),
    path(
        "signalen/<uuid:signal_id>/status/", views_signals.transition_view, name="signal-transition"
    ),
    path("signalen/<uuid:signal_id>/toewijzen/", views_signals.assign_view, name="signal-assign"),
    path(
        "signalen/<uuid:signal_id>/doorsturen/", views_signals.forward_view, name="signal-forward"
    ),
    path("signalen/<uuid:signal_id>/notities/", views_signals.note_view, name="signal-note"),
    path(
        "signalen/<uuid:signal_id>/toestemming-intrekken/",
        views_signals.withdraw_view,
        name="signal-withdraw",
    ),
    path(
        "signalen/<uuid:signal_id>/initiatieven/",
        views_initiatives.initiatives_view,
        name="signal-initiatives",
    ),
    path(
        "signalen/<uuid:signal_id>/initiatieven/voorstellen/",
        views_initiatives.propose_view,
        name="signal-referral-propose",
    ),
    path(
        "signalen/<uuid:signal_id>/initiatieven/stap/",
        views_initiatives.step_view,
        name="signal-referral-step",
    ),
    path("noodinzage/", views_signals.break_glass_view, name="break-glass"),
    path("coordinatie/", views_team.coordinator_view, name="coordinator"),
    path(
        "coordinatie/teamrollen/<uuid:membership_request_id>/",
        views_team.membership_request_decide_view,
        name="membership-request-decide",
    ),
    path("instellingen/", views_team.preferences_view, name="preferences"),
    path("privacy/toegangslog/", views_privacy.access_log_view, name="privacy-access-log"),
    path("privacy/noodinzage/", views_privacy.break_glass_review_view, name="privacy-break-glass"),
    path(
        "privacy/noodinzage/<uuid:access_id>/beoordelen/",
        views_privacy.break_glass_review_record_view,
        name="privacy-break-glass-review",
    ),
    path("privacy/verzoeken/", views_privacy.subject_requests_view, name="privacy-requests"),
    path(
        "privacy/verzoeken/nieuw/",
        views_privacy_requests.request_register_view,
        name="privacy-request-new",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/",
        views_privacy_requests.request_view,
        name="privacy-request",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/afhandelen/",
        views_privacy_requests.request_handle_view,
        name="privacy-request-handle",
    ),
    path(
        "privacy/verzoeken/<uuid:request_id>/inzage/",
        views_privacy_requests.request_export_view,
        name="privacy-request-export",
    ),
    path("privacy/registers/", views_privacy.registers_view, name="privacy-registers"),
    path("privacy/toestemmingen/", views_privacy.consent_gaps_view, name="privacy-consent-gaps"),
    path("privacy/betrokkene/", views_privacy.subject_lookup_view, name="privacy-lookup"),
]
