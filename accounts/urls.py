from django.urls import path

from accounts import api, credentials_api, membership_requests_api, mfa_api, teams_api

urlpatterns = [
    path("auth/login", api.LoginApi.as_view(), name="auth-login"),
    path("auth/oidc/exchange", api.OidcExchangeApi.as_view(), name="auth-oidc-exchange"),
    path("auth/refresh", api.RefreshApi.as_view(), name="auth-refresh"),
    path("auth/logout", api.LogoutApi.as_view(), name="auth-logout"),
    path("auth/mfa/verify", mfa_api.MfaVerifyApi.as_view(), name="auth-mfa-verify"),
    path("auth/mfa/totp", mfa_api.TotpEnrolmentBeginApi.as_view(), name="auth-mfa-totp"),
    path(
        "auth/mfa/totp/confirm",
        mfa_api.TotpEnrolmentConfirmApi.as_view(),
        name="auth-mfa-totp-confirm",
    ),
    path(
        "auth/credentials/set",
        credentials_api.CredentialsSetApi.as_view(),
        name="auth-credentials-set",
    ),
    path("me", api.MeApi.as_view(), name="me"),
    path("teams", teams_api.TeamListApi.as_view(), name="team-list"),
    path(
        "teams/<uuid:team_id>/members",
        teams_api.TeamMemberListApi.as_view(),
        name="team-members",
    ),
    path(
        "membership-requests",
        membership_requests_api.MembershipRequestListApi.as_view(),
        name="membership-request-list",
    ),
    path(
        "membership-requests/<uuid:membership_request_id>/approve",
        membership_requests_api.MembershipRequestApproveApi.as_view(),
        name="membership-request-approve",
    ),
    path(
        "membership-requests/<uuid:membership_request_id>/refuse",
        membership_requests_api.MembershipRequestRefuseApi.as_view(),
        name="membership-request-refuse",
    ),
]
