"""Errors a candidate can fix, raised by the practice services and shown as they are."""

from __future__ import annotations


class PracticeError(Exception):
    """A request the candidate can fix; ``message`` is shown as it is."""

    code = "invalid"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NoDraft(PracticeError):
    code = "no_draft"


class TooLong(PracticeError):
    code = "too_long"


class EmptyAnswer(PracticeError):
    code = "empty"


class ExamOver(PracticeError):
    code = "exam_over"


# The browser submits an exam at zero; this much later the server closes it
