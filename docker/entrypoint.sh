#!/bin/sh
# Without DJANGO_SECRET_KEY in the environment, the stack makes one random key on first start and
# keeps it in a shared volume: no secret is baked into the image or the compose file.
set -eu
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  key_file=/var/lib/buurtsignaal/secret_key
  if [ ! -s "$key_file" ]; then
    python -c 'import secrets; print(secrets.token_urlsafe(64))' > "$key_file.tmp"
    mv "$key_file.tmp" "$key_file"
  fi
  DJANGO_SECRET_KEY=$(cat "$key_file")
  export DJANGO_SECRET_KEY
fi
# Same for the field encryption key (docs/privacy.md); set FIELD_ENCRYPTION_KEYS to rotate.
if [ -z "${FIELD_ENCRYPTION_KEYS:-}" ]; then
  keys_file=/var/lib/buurtsignaal/field_encryption_keys
  if [ ! -s "$keys_file" ]; then
    python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' \
      > "$keys_file.tmp"
    mv "$keys_file.tmp" "$keys_file"
  fi
  FIELD_ENCRYPTION_KEYS=$(cat "$keys_file")
  export FIELD_ENCRYPTION_KEYS
fi
exec "$@"
