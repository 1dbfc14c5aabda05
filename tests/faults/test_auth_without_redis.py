"""Logging in and refreshing a token while Redis (cache and broker) is down or full: a field
worker must still be able to get a token and submit."""

import pytest
import requests

from tests.faults.population import PASSWORD, field_worker_email
from tests.faults.scenario import SWEEPS
from tests.faults.servers import FILLABLE

pytestmark = pytest.mark.faults


def _login(scenario) -> requests.Response:
    return requests.post(
        f"{scenario.stack.base_url}/api/v1/auth/login",
        json={"email": field_worker_email(0), "password": PASSWORD},
        timeout=15,
    )


@pytest.mark.parametrize("fault", ["down", "full"])
def test_login_and_token_refresh_work_without_redis(scenario, fault):
    scenario.start(settings=SWEEPS, redis_options=FILLABLE)
    refresh = _login(scenario).json()["refresh"]
    if fault == "down":
        scenario.redis.kill()
    else:
        scenario.redis.fill()
    scenario.fault()
    login = _login(scenario)
    refreshed = requests.post(
        f"{scenario.stack.base_url}/api/v1/auth/refresh", json={"refresh": refresh}, timeout=15
    )
    scenario.finish(scenario.load(), recovery=None, login=login.status_code,
                    refresh=refreshed.status_code)  # fmt: skip
    assert login.status_code == 200, login.text[:300]
    assert "access" in login.json()
    assert refreshed.status_code == 200, refreshed.text[:300]
