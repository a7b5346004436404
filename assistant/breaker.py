"""The LLM endpoint's health: a circuit breaker for failing calls, a tally of verified answers.

A slow or dead endpoint costs every question its full timeout; after a few failures in a
row the breaker stops calling it for a while, so answers come at extractive speed and say
why. A model that keeps failing verification costs a call per question for nothing the
user sees; the tally lets the UI say so once.

    closed ──(`failures` failed calls in a row)──▶ open ──(`pause` seconds)──▶ half-open
      ▲                                             ▲                            │ one trial call
      └──────────────────── it succeeds ────────────┼──────── it fails ──────────┘
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"
# Below this many recent answers a verdict on the model's quality is noise (one bad answer of two).
QUALITY_MIN = 4


class Breaker:
    """Lets calls through while the endpoint works; refuses them for `pause` seconds after it keeps failing.

    Example:
        b = Breaker(failures=2, pause=30)
        b.failure(); b.failure(); b.allow()  -> False (open for 30 s)
        … 30 s later: b.allow() -> True (one trial call); b.success() -> closed
    """

    def __init__(
        self, failures: int = 3, pause: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.threshold = max(1, failures)
        self.pause = pause
        self.clock = clock
        self.state = CLOSED
        self.failures = 0  # failed calls in a row
        self.opened_at = 0.0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        """Whether a call may go out now; past the pause, exactly one caller gets the trial call."""
        with self._lock:
            if self.state == CLOSED:
                return True
            if self.state == OPEN and self.clock() - self.opened_at >= self.pause:
                self.state = HALF_OPEN
                return True
            return False  # open, or half-open with the trial call still out

    def success(self) -> None:
        with self._lock:
            self.state, self.failures = CLOSED, 0

    def failure(self) -> None:
        with self._lock:
            self.failures += 1
            if self.state == HALF_OPEN or self.failures >= self.threshold:
                self.state, self.opened_at = OPEN, self.clock()

    def retry_in(self) -> float:
        """Seconds until the next trial call (0 unless open)."""
        with self._lock:
            if self.state != OPEN:
                return 0.0
            return max(0.0, self.pause - (self.clock() - self.opened_at))


class Quality:
    """The outcome of verification on the last `window` answers the model gave."""

    def __init__(self, window: int = 10) -> None:
        self.recent: deque[bool] = deque(maxlen=max(1, window))
        self._lock = threading.Lock()

    def record(self, verified: bool) -> None:
        with self._lock:
            self.recent.append(verified)

    @property
    def poor(self) -> bool:
        """Whether most recent answers failed verification. Example: [F, F, T, F] -> True"""
        with self._lock:
            n = len(self.recent)
            return n >= min(QUALITY_MIN, self.recent.maxlen or 1) and 2 * (n - sum(self.recent)) > n

    def counts(self) -> tuple[int, int]:
        """(answers, verified) over the window."""
        with self._lock:
            return len(self.recent), sum(self.recent)


def health(breaker: Breaker, quality: Quality) -> dict[str, Any]:
    """The state /healthz reports under "llm"."""
    answers, verified = quality.counts()
    return {
        "state": breaker.state,
        "failures_in_a_row": breaker.failures,
        "retry_in_s": round(breaker.retry_in(), 1),
        "recent_answers": answers,
        "recent_verified": verified,
        "poor_verification": quality.poor,
    }
