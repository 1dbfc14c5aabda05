"""backend.hooks.Hook: the start-up subscribers of lower apps' events run in order, once each,
and a failure reaches the publisher."""

import pytest

from backend.hooks import Hook


def test_subscribers_run_in_the_order_they_subscribed():
    hook = Hook[str]("test.order")
    calls = []
    for name in ("first", "second", "third"):
        hook.subscribe(lambda payload, name=name: calls.append((name, payload)))

    hook.publish("event")

    assert calls == [("first", "event"), ("second", "event"), ("third", "event")]


def test_subscribing_a_function_twice_keeps_one_subscription_in_its_first_place():
    hook = Hook[int]("test.twice")
    calls = []

    def first(payload: int) -> None:
        calls.append(("first", payload))

    def second(payload: int) -> None:
        calls.append(("second", payload))

    hook.subscribe(first)
    hook.subscribe(second)
    hook.subscribe(first)  # e.g. an AppConfig.ready that runs again

    hook.publish(1)

    assert hook.subscribers == (first, second)
    assert calls == [("first", 1), ("second", 1)]


def test_a_failing_subscriber_stops_the_rest_and_the_publisher_gets_the_exception():
    hook = Hook[str]("test.failure")
    calls = []

    def broken(payload: str) -> None:
        raise RuntimeError("cannot record")

    hook.subscribe(calls.append)
    hook.subscribe(broken)
    hook.subscribe(lambda payload: calls.append("after"))

    with pytest.raises(RuntimeError, match="cannot record"):
        hook.publish("event")
    assert calls == ["event"]


def test_a_subscriber_is_kept_without_any_other_reference_to_it():
    """django.dispatch holds receivers weakly: a closure nobody else keeps would vanish."""
    import gc

    hook = Hook[str]("test.strong")
    calls = []
    hook.subscribe(lambda payload: calls.append(payload))
    gc.collect()

    hook.publish("still here")

    assert calls == ["still here"]


def test_subscribed_lasts_for_its_block_only():
    hook = Hook[str]("test.block")
    calls = []

    with hook.subscribed(calls.append):
        hook.publish("inside")
    hook.publish("outside")

    assert calls == ["inside"]
    assert hook.subscribers == ()
