"""The question bank as files: read and validate (reader), sync with the database (sync)."""

from .reader import Bank, BankError, Problem, QuestionFile, read_bank

__all__ = ["Bank", "BankError", "Problem", "QuestionFile", "read_bank"]
