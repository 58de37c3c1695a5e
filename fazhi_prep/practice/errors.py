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


class DraftConflict(PracticeError):
    """The draft was saved elsewhere since this page loaded it: nothing was written."""

    code = "conflict"

    def __init__(self, draft):
        super().__init__(
            "这份草稿已在其他设备或窗口中修改过。两份内容都在下面：请选择保留哪一份或把它们合并，再保存。"
        )
        self.draft = draft


# The browser submits an exam at zero; this much later the server closes it
