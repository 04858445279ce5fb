"""What ``autograder grade`` prints while it works: a progress bar, then a summary table."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from autograder.pipeline.outcomes import FAILED, GRADED, MANUAL, Outcome

BAR_WIDTH = 30


def duration(seconds: float) -> str:
    """``75.2`` -> ``"1 min 15 s"``."""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


class ProgressBar:
    """A one-line progress bar on a terminal; on a log file, one line every tenth of the work."""

    def __init__(self, total: int, stream: TextIO | None = None, label: str = "Grading") -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.label = label
        self.started = time.monotonic()
        self.interactive = self.stream.isatty()
        self._last_tenth = -1
        self._last_draw = 0.0

    def update(self, done: int, failed: int = 0, running: int = 0, force: bool = False) -> None:
        now = time.monotonic()
        if self.interactive:
            if not force and now - self._last_draw < 0.2 and done < self.total:
                return
            self._last_draw = now
            filled = int(BAR_WIDTH * done / self.total) if self.total else BAR_WIDTH
            elapsed = now - self.started
            eta = f", about {duration(elapsed / done * (self.total - done))} left" if 0 < done < self.total else ""
            failures = f", {failed} failed" if failed else ""
            line = (f"\r{self.label} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{self.total}"
                    f"{failures}, {running} running, {duration(elapsed)}{eta}   ")
            self.stream.write(line)
            self.stream.flush()
        else:
            tenth = int(10 * done / self.total) if self.total else 10
            if tenth != self._last_tenth or force:
                self._last_tenth = tenth
                self.stream.write(f"{self.label}: {done}/{self.total} done ({failed} failed), "
                                  f"{duration(now - self.started)}\n")
                self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()


def summary(assignment: str, outcomes: list[Outcome], skipped: int, missing: list[str], seconds: float, jobs: int,
            sandboxed: bool = True) -> str:
    """The table printed at the end of a grading run (markdown, readable as plain text too)."""
    counts = {status: sum(1 for o in outcomes if o.status == status) for status in (GRADED, MANUAL, FAILED)}
    lines = [
        f"Grading of {assignment}: {len(outcomes)} submission(s) graded in this run, in {duration(seconds)}"
        + (f" ({len(outcomes) / seconds * 60:.1f} per minute, {jobs} at a time)." if outcomes and seconds > 0 else "."),
        "",
        "| Outcome | Submissions |",
        "|---|---|",
        f"| graded | {counts[GRADED]} |",
        f"| needs manual grading (written answers: grade them in the formgrader) | {counts[MANUAL]} |",
        f"| failed | {counts[FAILED] + len(missing)} |",
        f"| already graded before, left as they were | {skipped} |",
    ]
    held = [o for o in outcomes if o.flags]
    if held:
        lines.insert(-2, f"| held for review (code that may change how the tests run) | {len(held)} |")
    noticed = [o for o in outcomes if o.status != FAILED and o.what_happened()]
    if noticed:
        lines += ["", "| Learner | What happened |", "|---|---|"]
        lines += [f"| {o.student} | {o.what_happened()} |" for o in noticed]
    failed = [o for o in outcomes if o.status == FAILED]
    if failed or missing:
        lines += ["", "| Could not grade | Why |", "|---|---|"]
        lines += [f"| {o.student} | {' '.join([o.reason, *o.events])} |" for o in failed]
        lines += [f"| {student} | nothing submitted for this assignment |" for student in missing]
        lines += ["", "These are recorded; run the same command again to retry them once the cause is fixed."]
    if not sandboxed:
        lines += ["", "The sandbox was OFF for this run: learner code ran with your rights."]
    return "\n".join(lines)
