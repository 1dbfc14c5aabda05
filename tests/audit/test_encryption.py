"""EncryptedTextField and key rotation, on a real table in the test database.

No model of our own carries an encrypted field yet, so the tests create one in an isolated app
registry (and its table inside the test transaction)."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from audit import encryption
from audit.checks import field_encryption_keys_check
from audit.encryption import FieldDecryptionError, encrypted_fields_rotate, encrypted_models
from audit.fields import EncryptedTextField

pytestmark = pytest.mark.django_db

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
SECRET = "Mevrouw woont alleen sinds haar man overleed; tel. 06-12345678"


@pytest.fixture
def note_model():
    with isolate_apps("privacy") as registry:

        class Note(models.Model):
            body = EncryptedTextField(blank=True)
            phone = EncryptedTextField(blank=True, null=True, max_length=20)

            class Meta:
                app_label = "privacy"
                db_table = "test_privacy_note"

            def __str__(self) -> str:
                return f"note {self.pk}"

        with connection.schema_editor() as editor:
            editor.create_model(Note)
        Note.registry = registry
        yield Note


def raw_column(table: str, column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_round_trip_and_the_column_holds_ciphertext(note_model):
    note = note_model.objects.create(body=SECRET, phone="0612345678")
    stored = raw_column("test_privacy_note", "body", note.pk)
    assert stored != SECRET and "alleen" not in stored and "06-1234" not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token (version byte 0x80)
    assert "0612345678" not in raw_column("test_privacy_note", "phone", note.pk)
    again = note_model.objects.get(pk=note.pk)
    assert (again.body, again.phone) == (SECRET, "0612345678")


def test_same_plaintext_gives_different_ciphertexts(note_model):
    first = note_model.objects.create(body=SECRET)
    second = note_model.objects.create(body=SECRET)
    assert raw_column("test_privacy_note", "body", first.pk) != raw_column(
        "test_privacy_note", "body", second.pk
    )


def test_empty_and_null_stay_queryable_nothing_else_is(note_model):
    empty = note_model.objects.create(body="", phone=None)
    note_model.objects.create(body=SECRET, phone="06")
    assert raw_column("test_privacy_note", "body", empty.pk) == ""
    assert list(note_model.objects.filter(body="")) == [empty]
    assert list(note_model.objects.filter(phone__isnull=True)) == [empty]
    with pytest.raises(FieldError):
        note_model.objects.filter(body=SECRET).exists()
    with pytest.raises(FieldError):
        note_model.objects.filter(body__icontains="alleen").exists()


def test_max_length_applies_to_the_plaintext(note_model):
    note = note_model(body="x", phone="0" * 21)
    with pytest.raises(ValidationError):
        note.full_clean()


def test_rotation_re_encrypts_so_the_old_key_can_go(note_model, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    notes = [note_model.objects.create(body=f"{SECRET} {n}", phone=f"06{n}") for n in range(5)]
    note_model.objects.create(body="", phone=None)

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert note_model.objects.get(pk=notes[0].pk).body.startswith(SECRET)  # both keys read
    reports = encrypted_fields_rotate(models_=[note_model], batch_size=2)
    assert reports[0].rows_seen == 6
    assert reports[0].values_rotated == 10
    assert encrypted_fields_rotate(models_=[note_model], batch_size=2)[0].values_rotated == 0

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # old key removed
    for n, note in enumerate(notes):
        fresh = note_model.objects.get(pk=note.pk)
        assert (fresh.body, fresh.phone) == (f"{SECRET} {n}", f"06{n}")
        token = raw_column("test_privacy_note", "body", note.pk)
        Fernet(NEW_KEY.encode()).decrypt(token.encode())  # raises if not under the new key


def test_dropping_a_key_before_rotating_fails_loudly(note_model, settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    note = note_model.objects.create(body=SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(FieldDecryptionError) as info:
        note_model.objects.get(pk=note.pk)
    assert "privacy.Note.body" in str(info.value)
    assert SECRET not in str(info.value)
    with pytest.raises(FieldDecryptionError, match=rf"pk {note.pk}"):
        encrypted_fields_rotate(models_=[note_model])


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"]])
def test_missing_or_malformed_keys_fail_loudly(note_model, settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEYS"):
        note_model.objects.create(body=SECRET)
    assert [e.id for e in field_encryption_keys_check()] == ["audit.E001"]


def test_the_deploy_check_passes_with_a_key():
    assert field_encryption_keys_check() == []


def test_models_with_encrypted_fields_are_found(note_model):
    assert encrypted_models(note_model.registry) == [note_model]


def test_the_command_rotates_every_encrypted_model(note_model, settings, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    note = note_model.objects.create(body=SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    monkeypatch.setattr(encryption, "encrypted_models", lambda registry=None: [note_model])
    out = StringIO()
    call_command("rotate_encryption_keys", "--batch-size", "10", stdout=out)
    assert "privacy.Note: 1 rows checked, 1 values re-encrypted" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert note_model.objects.get(pk=note.pk).body == SECRET


def test_the_command_stops_on_an_unreadable_value(note_model, settings, monkeypatch):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    note_model.objects.create(body=SECRET)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    monkeypatch.setattr(encryption, "encrypted_models", lambda registry=None: [note_model])
    with pytest.raises(CommandError) as info:
        call_command("rotate_encryption_keys", stdout=StringIO())
    assert info.value.returncode == 2
    assert SECRET not in str(info.value)
