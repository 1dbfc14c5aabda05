"""backend.providers.Provider: one named question, exactly one answer registered at start-up,
a declared answer while nobody answers (docs/adr/0037)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from backend.providers import Provider


def double(number: int) -> int:
    return number * 2


def test_nobody_answering_gives_the_declared_answer():
    question = Provider[int, int]("test.unanswered", unanswered=lambda _: -1)
    assert question.answer is None
    assert question.ask(4) == -1


def test_the_registered_function_answers_and_registering_it_again_changes_nothing():
    question = Provider[int, int]("test.answered", unanswered=lambda _: -1)
    question.provide(double)
    question.provide(double)  # AppConfig.ready can run twice
    assert question.answer is double
    assert question.ask(4) == 8


def test_a_second_answer_is_refused_and_the_first_stays():
    question = Provider[int, int]("test.second", unanswered=lambda _: -1)
    question.provide(double)
    with pytest.raises(ImproperlyConfigured, match=r"test\.second"):
        question.provide(lambda number: number + 1)
    assert question.ask(4) == 8


def test_an_answer_s_failure_reaches_the_caller():
    question = Provider[int, int]("test.failure", unanswered=lambda _: -1)

    def refuse(number: int) -> int:
        raise ValueError(number)

    question.provide(refuse)
    with pytest.raises(ValueError):
        question.ask(1)


def test_replaced_answers_for_a_block_then_restores():
    question = Provider[int, int]("test.replaced", unanswered=lambda _: -1)
    question.provide(double)
    with question.replaced(None):
        assert question.ask(4) == -1
    with question.replaced(lambda number: 0):
        assert question.ask(4) == 0
    assert question.ask(4) == 8
