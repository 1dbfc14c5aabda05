"""The start-up check of the providers' settings (docs/adr/0046)."""

from accounts.checks import oidc_providers_check


def ids(settings, providers, roles=()) -> list[str]:
    settings.OIDC_PROVIDERS = providers
    settings.LOCAL_PASSWORD_DISABLED_ROLES = list(roles)
    return [error.id for error in oidc_providers_check()]


def test_a_good_configuration_passes(settings):
    good = {"a": {"issuer": "https://a.example", "client_id": "x", "domains": ["a.example"]}}
    assert ids(settings, good, ["team_member"]) == []


def test_mistakes_are_named(settings):
    assert ids(settings, {"a": {"client_id": "x"}}) == ["accounts.E011"]
    assert ids(settings, {"a": {"issuer": "https://a", "client_id": "x", "secret": "s"}}) == [
        "accounts.E012"
    ]
    twice = {
        "a": {"issuer": "https://a", "client_id": "x", "domains": ["same.example"]},
        "b": {"issuer": "https://b", "client_id": "y", "domains": ["Same.example"]},
    }
    assert ids(settings, twice) == ["accounts.E013"]
    assert ids(settings, {}, ["teamlid"]) == ["accounts.E014"]
