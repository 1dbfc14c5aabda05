"""signal_create called directly with an IntakeInput: the rules of intake live in the service."""

import dataclasses
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.errors import DomainError
from signals import services
from signals.models import ConsentPurpose, Signal
from tests.factories import UserFactory
from tests.initiatives.factories import make_initiative
from tests.signals.factories import intake_input

pytestmark = pytest.mark.django_db

SHARING = frozenset({ConsentPurpose.TEAM_CONTACT, ConsentPurpose.SHARE_WITH_INITIATIVE})


@pytest.fixture
def signaller():
    return UserFactory(field_worker=True)


def refusal(signaller, intake) -> DomainError:
    with pytest.raises(DomainError) as refused:
        services.signal_create(actor=signaller, intake=intake)
    assert not Signal.objects.exists()
    return refused.value


def field_code(error: DomainError, *path: str) -> str:
    errors = error.details["fields"]
    for key in path:
        errors = errors[key]
    return errors[0]["code"]


def test_the_recipients_are_derived_from_the_purposes(signaller):
    join_us, oopoeh = make_initiative(name="Join Us"), make_initiative(name="Oopoeh")
    named = (str(join_us.pk), str(oopoeh.pk), str(join_us.pk))
    intake = intake_input(consent={"purposes": SHARING, "initiatives": named})
    consent = services.signal_create(actor=signaller, intake=intake).signal.consent
    assert consent.recipients == [
        "neighbourhood_team",
        f"initiative:{join_us.pk}",
        f"initiative:{oopoeh.pk}",
    ]
    assert consent.purposes == {
        "team_contact": True,
        "share_with_initiative": True,
        "measure_outcome": False,
    }


def test_consent_without_team_contact_is_refused(signaller):
    intake = intake_input(consent={"purposes": frozenset()})
    assert refusal(signaller, intake).code == "consent_required"


@pytest.mark.parametrize(
    ("age", "code"), [(timedelta(minutes=-11), "future"), (timedelta(days=31), "too_old")]
)
def test_consent_given_in_the_future_or_too_long_ago_is_refused(signaller, age, code):
    intake = intake_input(consent={"given_at": timezone.now() - age})
    error = refusal(signaller, intake)
    assert (error.code, field_code(error, "consent", "given_at")) == ("validation_error", code)


def test_a_representative_must_say_how_they_relate_to_the_resident(signaller):
    error = refusal(signaller, intake_input(consent={"given_by": "representative"}))
    assert field_code(error, "consent", "representative_relation") == "required"


def test_sharing_with_initiatives_must_name_them(signaller):
    error = refusal(signaller, intake_input(consent={"purposes": SHARING}))
    assert field_code(error, "consent", "initiatives") == "required"


def test_the_same_client_uuid_with_another_body_is_a_conflict(signaller):
    first = intake_input()
    services.signal_create(actor=signaller, intake=first)
    with pytest.raises(DomainError) as refused:
        services.signal_create(
            actor=signaller, intake=dataclasses.replace(first, observation="Iets anders.")
        )
    assert refused.value.code == "client_uuid_conflict"
    assert Signal.objects.count() == 1


def test_a_team_member_without_the_signaller_role_cannot_submit():
    from tests.factories import TeamFactory, member_of

    with pytest.raises(DomainError) as refused:
        services.signal_create(actor=member_of(TeamFactory()), intake=intake_input())
    assert refused.value.code == "permission_denied"
