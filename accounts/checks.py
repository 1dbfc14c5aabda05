"""Start-up checks of accounts: the organisations' OpenID Providers and the roles whose local
password is switched off (docs/adr/0046). A mistake here would otherwise surface as a failed
sign-in at the first login."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from accounts.roles import Role

REQUIRED = ("issuer", "client_id")


@register(Tags.security)
def oidc_providers_check(**_: Any) -> list[Error]:
    from accounts.oidc import providers

    errors = []
    if not isinstance(settings.OIDC_PROVIDERS, dict):
        return [
            Error("OIDC_PROVIDERS must be a JSON object: name -> settings.", id="accounts.E010")
        ]
    for name, raw in settings.OIDC_PROVIDERS.items():
        missing = [key for key in REQUIRED if not (isinstance(raw, dict) and raw.get(key))]
        if missing:
            errors.append(
                Error(f"OIDC_PROVIDERS[{name!r}] lacks {', '.join(missing)}.", id="accounts.E011")
            )
    if errors:
        return errors
    try:
        configured = providers()
    except TypeError as exc:  # an unknown key
        return [Error(f"OIDC_PROVIDERS: {exc}", id="accounts.E012")]
    seen: dict[str, str] = {}
    for provider in configured:
        for domain in provider.domains:
            if domain in seen:
                errors.append(
                    Error(
                        f"The e-mail domain {domain!r} is given to both {seen[domain]!r} and "
                        f"{provider.name!r}.",
                        id="accounts.E013",
                    )
                )
            seen[domain] = provider.name
    unknown = sorted(set(settings.LOCAL_PASSWORD_DISABLED_ROLES) - set(Role.values))
    if unknown:
        errors.append(
            Error(
                f"LOCAL_PASSWORD_DISABLED_ROLES names unknown roles: {', '.join(unknown)}.",
                hint=f"Roles: {', '.join(Role.values)}.",
                id="accounts.E014",
            )
        )
    return errors
