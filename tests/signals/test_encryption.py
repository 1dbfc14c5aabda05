"""Resident contact details and free text are encrypted at rest in the signals tables; erasure
still leaves "" behind; key rotation covers every one of them; plaintext written before the
migration is encrypted by it."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from audit.encryption import encrypted_fields, encrypted_models
from signals import services
from signals.models import BreakGlassAccess, ConsentWithdrawal, Signal, SignalNote, Status
from tests.factories import member_of
from tests.signals.factories import make_signal, team_with_coverage

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
RESIDENT = {"first_name": "Geertruida", "phone": "+31 6 55501234", "email": "geer@example.test"}
ADDRESS = {"postcode": "3511AB", "house_number": 7, "addition": "bis"}
OBSERVATION = "Praat over haar overleden broer en komt de deur niet meer uit."
NOTE = "Dochter woont in Groningen, komt eens per maand."
ENCRYPTED_SIGNAL_COLUMNS = [
    "resident_first_name",
    "contact_phone",
    "contact_email",
    "postcode",
    "house_number_addition",
    "observation",
]


def raw(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@pytest.fixture
def worker():
    return member_of(team_with_coverage())


@pytest.fixture
def signal(worker):
    signal = make_signal(
        state=Status.ACKNOWLEDGED,
        worker=worker,
        resident=RESIDENT,
        address=ADDRESS,
        observation=OBSERVATION,
    )
    services.signal_note_add(signal_id=signal.pk, actor=worker, body=NOTE)
    return signal


def test_the_encrypted_fields_are_exactly_the_personal_text(signal):
    names = {f.name for f in encrypted_fields(Signal)}
    assert names == set(ENCRYPTED_SIGNAL_COLUMNS)
    assert {f.name for f in encrypted_fields(SignalNote)} == {"body"}
    assert {f.name for f in encrypted_fields(ConsentWithdrawal)} == {"reason"}
    assert {Signal, SignalNote, ConsentWithdrawal, BreakGlassAccess} <= set(encrypted_models())


def test_columns_hold_ciphertext_and_read_back_as_plaintext(signal):
    plain = {
        "resident_first_name": RESIDENT["first_name"],
        "contact_phone": RESIDENT["phone"],
        "contact_email": RESIDENT["email"],
        "postcode": ADDRESS["postcode"],
        "house_number_addition": ADDRESS["addition"],
        "observation": OBSERVATION,
    }
    for column, value in plain.items():
        stored = raw("signals_signal", column, signal.pk)
        assert stored.startswith("gAAAAA"), column
        assert value not in stored
    note = SignalNote.objects.get(signal=signal)
    assert NOTE not in raw("signals_signalnote", "body", note.pk)
    fresh = Signal.objects.get(pk=signal.pk)
    assert {column: getattr(fresh, column) for column in plain} == plain
    assert SignalNote.objects.get(pk=note.pk).body == NOTE


def test_routing_reads_the_postcode_from_the_instance(worker):
    signal = make_signal(state=Status.ROUTED, address=ADDRESS)
    assert signal.team == worker.teams.get()


def test_nothing_can_filter_on_a_value_but_empty_still_works(signal, worker):
    with pytest.raises(FieldError):
        Signal.objects.filter(postcode="3511AB").exists()
    with pytest.raises(FieldError):
        Signal.objects.filter(contact_email__icontains="geer").exists()
    assert not Signal.objects.filter(pk=signal.pk, resident_first_name="").exists()

    services.consent_withdraw(signal_id=signal.pk, actor=worker, reason="Belde zelf af.")

    assert Signal.objects.filter(pk=signal.pk, resident_first_name="", observation="").exists()
    for column in ENCRYPTED_SIGNAL_COLUMNS:
        assert raw("signals_signal", column, signal.pk) == ""
    note = SignalNote.objects.get(signal=signal)
    assert raw("signals_signalnote", "body", note.pk) == ""
    withdrawal = ConsentWithdrawal.objects.get(consent__signal=signal)
    assert "Belde" not in raw("signals_consentwithdrawal", "reason", withdrawal.pk)
    assert ConsentWithdrawal.objects.get(pk=withdrawal.pk).reason == "Belde zelf af."


def test_rotation_re_encrypts_every_signals_value_so_the_old_key_can_go(settings, worker):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    signal = make_signal(
        state=Status.ACKNOWLEDGED,
        worker=worker,
        resident=RESIDENT,
        address=ADDRESS,
        observation=OBSERVATION,
    )
    note = services.signal_note_add(signal_id=signal.pk, actor=worker, body=NOTE)
    other = make_signal(state=Status.ROUTED)
    services.consent_withdraw(signal_id=other.pk, actor=worker, reason="Wil geen contact.")

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "signals.Signal: 2 rows checked, 6 values re-encrypted" in out.getvalue()
    assert "signals.SignalNote: 1 rows checked, 1 values re-encrypted" in out.getvalue()
    assert "signals.ConsentWithdrawal: 1 rows checked, 1 values re-encrypted" in out.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    fresh = Signal.objects.get(pk=signal.pk)
    assert (fresh.resident_first_name, fresh.contact_email, fresh.observation) == (
        RESIDENT["first_name"],
        RESIDENT["email"],
        OBSERVATION,
    )
    assert SignalNote.objects.get(pk=note.pk).body == NOTE
    assert ConsentWithdrawal.objects.get(consent__signal=other).reason == "Wil geen contact."
    Fernet(NEW_KEY.encode()).decrypt(raw("signals_signal", "postcode", signal.pk).encode())


def test_the_migration_encrypts_plaintext_written_before_it(signal):
    from importlib import import_module

    migration = import_module("signals.migrations.0005_encrypt_personal_fields")
    note = SignalNote.objects.get(signal=signal)
    with connection.cursor() as cursor:  # as the columns held them before migration 0005
        cursor.execute(
            "UPDATE signals_signal SET resident_first_name = %s, postcode = %s WHERE id = %s",
            ["Geertruida", "3511AB", signal.pk],
        )
        cursor.execute("UPDATE signals_signalnote SET body = %s WHERE id = %s", [NOTE, note.pk])
    kept = raw("signals_signal", "contact_email", signal.pk)

    migration.encrypt_existing(apps, None)

    assert raw("signals_signal", "resident_first_name", signal.pk).startswith("gAAAAA")
    assert raw("signals_signal", "contact_email", signal.pk) == kept  # already a token: as is
    fresh = Signal.objects.get(pk=signal.pk)
    assert (fresh.resident_first_name, fresh.postcode) == ("Geertruida", "3511AB")
    assert SignalNote.objects.get(pk=note.pk).body == NOTE

    migration.decrypt_existing(apps, None)
    assert raw("signals_signal", "postcode", signal.pk) == "3511AB"
    assert raw("signals_signalnote", "body", note.pk) == NOTE


def test_an_intake_retry_is_still_recognised(worker):
    """The idempotency fingerprint hashes the service input, not the stored columns."""
    from tests.factories import UserFactory
    from tests.signals.factories import intake_input

    signaller = UserFactory(field_worker=True)
    intake = intake_input(resident=RESIDENT)
    first = services.signal_create(actor=signaller, intake=intake)
    again = services.signal_create(actor=signaller, intake=intake)
    assert (first.created, again.created, again.signal.pk) == (True, False, first.signal.pk)
