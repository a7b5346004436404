"""The circuit breaker and the verification tally, on a clock the test moves."""

from __future__ import annotations

from assistant.breaker import Breaker, Quality, health


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_after_failures_in_a_row_and_lets_one_trial_through() -> None:
    clock = Clock()
    b = Breaker(failures=2, pause=30, clock=clock)
    b.failure()
    b.success()  # a success in between: not "in a row"
    b.failure()
    assert b.state == "closed" and b.allow()
    b.failure()
    assert b.state == "open" and not b.allow() and b.retry_in() == 30
    clock.now += 29.5
    assert not b.allow() and b.retry_in() == 0.5
    clock.now += 0.5
    assert b.allow() and b.state == "half-open"
    assert not b.allow()  # one trial call at a time
    b.failure()
    assert b.state == "open" and b.retry_in() == 30  # a failed trial: another full pause
    clock.now += 30
    assert b.allow()
    b.success()
    assert (b.state, b.failures, b.allow()) == ("closed", 0, True)


def test_quality_is_poor_when_most_recent_answers_fail() -> None:
    q = Quality(window=5)
    for verified in (False, False, True):
        q.record(verified)
    assert not q.poor  # three answers are too few to judge
    q.record(False)
    assert q.poor and q.counts() == (4, 1)
    for _ in range(4):
        q.record(True)
    assert not q.poor and q.counts() == (5, 4)  # the window forgets the old failures
    assert health(Breaker(), q) == {
        "state": "closed",
        "failures_in_a_row": 0,
        "retry_in_s": 0.0,
        "recent_answers": 5,
        "recent_verified": 4,
        "poor_verification": False,
    }
