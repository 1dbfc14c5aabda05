"""Who is in the fault harness's database (tests/faults/seed.py writes them)."""

PASSWORD = "faults-verbinding-2026"  # test-only, never a real account
FIELD_WORKERS = 4
MEMBERS = 3  # team members, one phone each: every routed signal is three pushes


def field_worker_email(number: int) -> str:
    return f"signaleerder{number}@faults.test"


def member_email(number: int) -> str:
    return f"teamlid{number}@faults.test"


def device_token(number: int) -> str:
    """FCM registration token of team member `number`'s phone (answered by the fake FCM)."""
    return f"faults-device-{number}:APA91b{'f' * 120}"
