"""A real OpenID Provider process for the sign-in tests (tests/oidc/provider_process.py)."""

from collections.abc import Iterator

import pytest

from accounts import oidc
from tests.oidc.provider_process import ProviderProcess, require_provider


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[ProviderProcess]:
    """One provider for the session; tests that restart or stop one use `own_provider`."""
    require_provider()
    provider = ProviderProcess().start()
    yield provider
    provider.stop()


@pytest.fixture
def own_provider() -> Iterator[ProviderProcess]:
    require_provider()
    provider = ProviderProcess().start()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _fresh_discovery() -> Iterator[None]:
    oidc.metadata_forget()
    yield
    oidc.metadata_forget()


@pytest.fixture
def utrecht(settings, oidc_provider):
    settings.OIDC_PROVIDERS = {"utrecht": oidc_provider.config()}
    return oidc_provider
