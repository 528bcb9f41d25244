"""The one error a reader raises: it names the input and the problem, in one line."""

from __future__ import annotations


class ReadError(Exception):
    def __init__(self, name: str, problem: str):
        super().__init__(f"{name}: {problem}")
        self.name = name
        self.problem = problem
