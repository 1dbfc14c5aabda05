"""Run as a script against a database named by DATABASE_URL (tests/ops/test_backup_restore.py):
the app answers /readyz and a team member's read of a signal, through the whole middleware
stack and the real token path. Prints the answers as one JSON line."""

import json
import sys

import django

django.setup()

from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import login_session_open  # noqa: E402

user_id, signal_id = sys.argv[1], sys.argv[2]
# An exception in a view is the 500 a client would get, not a crash of this script.
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
ready = client.get("/readyz")
pair = login_session_open(user=User.objects.get(pk=user_id), amr=["pwd", "otp"])
detail = client.get(f"/api/v1/signals/{signal_id}", HTTP_AUTHORIZATION=f"Bearer {pair.access}")
body = detail.json() if detail["Content-Type"].startswith("application/json") else {}
print(json.dumps({"ready": ready.status_code, "detail": detail.status_code, "body": body}))
