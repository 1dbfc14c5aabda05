"""Signing in with an organisation's OpenID Provider (docs/adr/0046): who a verified subject is,
and what the login opens. The provider proves who someone is; roles and team memberships stay
here, and a provider login never creates an account or any access.

Matching: an account is found by its link (issuer, subject). Without a link, the first login
links the one active account whose e-mail address the provider states *and* marks verified,
in one of the provider's configured domains, when that account has no link to this issuer
yet. Anything else is refused and logged."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from accounts.account_log import (
    RULE_OWN_ACCOUNT,
    access_log_login_failed,
    account_change_record,
)
from accounts.emails import normalise_email
from accounts.mfa import MfaChallenge, login_challenge
from accounts.models import OidcIdentity, User
from accounts.oidc import ProviderConfig, claims_from_code, provider_named, second_factor_shown
from accounts.services.login import login_complete
from accounts.services.sessions import TokenPair
from audit.context import AccessContext
from audit.models import Action
from backend.errors import DomainError

METHOD_OIDC = "oidc"
METHOD_OIDC_MFA = "oidc_mfa"


def _refuse(*, request: HttpRequest, claims: dict[str, Any], reason: str) -> DomainError:
    attempted = str(claims.get("email") or f"{claims.get('iss')}#{claims.get('sub')}")
    access_log_login_failed(
        context=AccessContext.from_request(request, user=AnonymousUser()),
        attempted_login=attempted,
        reason=reason,
    )
    return DomainError("oidc_account_unknown")


def _email_verified(claims: dict[str, Any]) -> bool:
    # Some providers send the JSON boolean as a string.
    return claims.get("email_verified") in (True, "true")


def oidc_identity_match(
    *, request: HttpRequest, provider: ProviderConfig, claims: dict[str, Any]
) -> OidcIdentity:
    """The link of a verified ID token's subject: found, or made on the first login by the
    rules in the module docstring.

    Side effects: a new OidcIdentity and an access log row (credential_change, `oidc_link`) on
    a first link; on a refusal an access log row (login_failed) and `oidc_account_unknown`."""
    issuer, subject = str(claims["iss"]), str(claims["sub"])
    found = OidcIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject)
    identity = found.first()
    if identity is not None:
        if not identity.user.is_active:
            raise _refuse(request=request, claims=claims, reason="oidc_account_inactive")
        return identity
    email = normalise_email(str(claims.get("email") or ""))
    if not email or not _email_verified(claims):
        raise _refuse(request=request, claims=claims, reason="oidc_email_not_verified")
    if email.rpartition("@")[2] not in provider.domains:
        raise _refuse(request=request, claims=claims, reason="oidc_email_domain")
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        raise _refuse(request=request, claims=claims, reason="oidc_no_account")
    if OidcIdentity.objects.filter(user=user, issuer=issuer).exists():
        raise _refuse(request=request, claims=claims, reason="oidc_already_linked")
    try:
        with transaction.atomic():
            identity = OidcIdentity.objects.create(
                user=user,
                name=provider.label[:64],
                confirmed=True,
                issuer=issuer,
                subject=subject,
                provider=provider.name,
            )
            account_change_record(
                context=AccessContext.from_request(request, user=user),
                action=Action.CREDENTIAL_CHANGE,
                target=user,
                authorisation_rule=RULE_OWN_ACCOUNT,
                details={"change": "oidc_link", "provider": provider.name},
            )
    except IntegrityError:  # a simultaneous first login linked it
        raise _refuse(request=request, claims=claims, reason="oidc_already_linked") from None
    return identity


def oidc_login(
    *,
    request: HttpRequest,
    provider: str,
    code: str,
    code_verifier: str,
    redirect_uri: str,
    nonce: str,
    client_id: str = "",
) -> TokenPair | MfaChallenge:
    """The app's exchange: a verified ID token becomes our login session, as POST /auth/login
    does. A second factor shown by the provider counts; otherwise a role that needs one gets
    the local TOTP challenge.

    Side effects: as oidc_identity_match; then as login_complete (a LoginSession, a login row
    with method `oidc` or `oidc_mfa`)."""
    config = provider_named(provider)
    claims = claims_from_code(
        provider=config,
        code=code,
        code_verifier=code_verifier,
        redirect_uri=redirect_uri,
        nonce=nonce,
        client_id=client_id,
    )
    user = oidc_identity_match(request=request, provider=config, claims=claims).user
    if second_factor_shown(provider=config, claims=claims):
        return login_complete(request=request, user=user, method=METHOD_OIDC_MFA)
    challenge = login_challenge(user=user)
    if challenge is not None:
        return challenge
    return login_complete(request=request, user=user, method=METHOD_OIDC)
