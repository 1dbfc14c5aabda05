"""Entries not verified for INITIATIVE_VERIFY_AFTER_DAYS are flagged to admins: the admin's
list filter and `manage.py check --database default` (initiatives.W001)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from initiatives.checks import stale_initiatives
from initiatives.selectors import initiatives_stale
from tests.initiatives.factories import make_initiative

pytestmark = pytest.mark.django_db


def test_entries_older_than_the_setting_are_stale(settings) -> None:
    settings.INITIATIVE_VERIFY_AFTER_DAYS = 30
    today = timezone.localdate()
    old = make_initiative(name="Oud", last_verified_on=today - timedelta(days=31))
    make_initiative(name="Vers", last_verified_on=today - timedelta(days=30))
    make_initiative(
        name="Oud maar dicht", is_active=False, last_verified_on=today.replace(year=2020)
    )
    assert list(initiatives_stale()) == [old]
    [warning] = stale_initiatives(databases=["default"])
    assert warning.id == "initiatives.W001" and "Oud" in warning.msg and "Vers" not in warning.msg


def test_the_default_is_180_days() -> None:
    from django.conf import settings

    assert settings.INITIATIVE_VERIFY_AFTER_DAYS == 180


def test_the_stale_filter_queryset() -> None:
    from initiatives.admin import VerificationFilter
    from initiatives.models import Initiative

    today = timezone.localdate()
    make_initiative(name="Oud", last_verified_on=today - timedelta(days=400))
    make_initiative(name="Vers", last_verified_on=today)
    flt = VerificationFilter(None, {"verification": ["stale"]}, Initiative, None)
    assert [i.name for i in flt.queryset(None, Initiative.objects.all())] == ["Oud"]


def test_check_command_runs_without_a_database_flag() -> None:
    call_command("check")
