"""Edits on an immutable original text, the clean text they produce, and the map between the two.

An edit replaces ``original[start:end]`` with ``replacement``. Edits never overlap (two
insertions at the same point are not allowed either), so applying them in order of position
is unambiguous, and the original can be rebuilt from the clean text because every edit keeps
the text it replaced.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Sequence


@dataclass(frozen=True, slots=True)
class Edit:
    """One change from the original text to the clean text (offsets index the original)."""

    start: int
    end: int
    kind: str  # e.g. "debris", "metadata", "glued-words", "whitespace", "unicode-nfc", "mojibake"
    reason: str
    replacement: str
    original: str  # the text it replaced, so the original can be rebuilt

    def overlaps(self, other: "Edit") -> bool:
        if self.start == self.end and other.start == other.end:
            return self.start == other.start
        if self.start == self.end:
            return other.start < self.start < other.end
        if other.start == other.end:
            return self.start < other.start < self.end
        return self.start < other.end and other.start < self.end


class EditConflict(ValueError):
    """An edit overlaps one already made or does not fit the text."""


def make_edit(text: str, start: int, end: int, kind: str, reason: str, replacement: str) -> Edit:
    if not 0 <= start <= end <= len(text):
        raise EditConflict(f"edit {start}:{end} does not fit a text of {len(text)} characters")
    return Edit(start, end, kind, reason, replacement, text[start:end])


def sort_edits(edits: Iterable[Edit]) -> list[Edit]:
    """Sorted by position; raises EditConflict when two edits overlap."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for before, after in zip(ordered, ordered[1:]):
        if before.overlaps(after) or before.end > after.start:
            raise EditConflict(f"edits {before.start}:{before.end} and {after.start}:{after.end} overlap")
    return ordered


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    pieces: list[str] = []
    cursor = 0
    for edit in sort_edits(edits):
        pieces.append(text[cursor:edit.start])
        pieces.append(edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def rebuild_original(clean_text: str, edits: Sequence[Edit]) -> str:
    """Inverse of apply_edits: the original text from the clean text and the edits."""
    pieces: list[str] = []
    clean_cursor = 0
    shift = 0  # clean position minus original position, up to the current edit
    for edit in sort_edits(edits):
        clean_start = edit.start + shift
        pieces.append(clean_text[clean_cursor:clean_start])
        pieces.append(edit.original)
        clean_cursor = clean_start + len(edit.replacement)
        shift += len(edit.replacement) - (edit.end - edit.start)
    pieces.append(clean_text[clean_cursor:])
    return "".join(pieces)


class OffsetMap:
    """Converts character offsets between the original text and the clean text.

    Outside edits the two texts advance together. A position inside a replaced stretch maps to
    the start of what replaced it (to_clean) or of what it replaced (to_original); an end
    position maps to the end, so a span that covers an edit maps to a span that covers its
    counterpart.
    """

    def __init__(self, original_length: int, edits: Sequence[Edit]):
        self.original_length = original_length
        self._edits = sort_edits(edits)
        self._orig_starts: list[int] = []
        self._clean_starts: list[int] = []
        shift = 0
        for edit in self._edits:
            self._orig_starts.append(edit.start)
            self._clean_starts.append(edit.start + shift)
            shift += len(edit.replacement) - (edit.end - edit.start)
        self.clean_length = original_length + shift

    def to_clean(self, position: int, *, end: bool = False) -> int:
        """Clean offset of an original offset; ``end`` when it closes a span."""
        position = min(max(position, 0), self.original_length)
        index = bisect_right(self._orig_starts, position) - 1
        if index < 0:
            return position
        edit, clean_start = self._edits[index], self._clean_starts[index]
        clean_end = clean_start + len(edit.replacement)
        if edit.start == edit.end == position:
            # An insertion here: a span ending here stops before it, one starting here after it.
            return clean_start if end else clean_end
        if edit.start == position:
            return clean_start
        if position < edit.end:
            return clean_end if end else clean_start
        return clean_end + (position - edit.end)

    def to_original(self, position: int, *, end: bool = False) -> int:
        """Original offset of a clean offset; ``end`` when it closes a span."""
        position = min(max(position, 0), self.clean_length)
        index = bisect_right(self._clean_starts, position) - 1
        if index < 0:
            return position
        edit, clean_start = self._edits[index], self._clean_starts[index]
        clean_end = clean_start + len(edit.replacement)
        if position > clean_start and position >= clean_end:
            return edit.end + (position - clean_end)
        if position > clean_start:  # strictly inside a replacement
            return edit.end if end else edit.start
        # position == clean_start: several edits may meet at this clean point (deletions).
        if not end:
            return edit.end if clean_start == clean_end else edit.start
        first = index
        while first > 0 and self._clean_starts[first - 1] == position and not self._edits[first - 1].replacement:
            first -= 1
        return self._edits[first].start

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        original_start = self.to_original(start)
        return original_start, max(original_start, self.to_original(end, end=True))

    def span_to_clean(self, start: int, end: int) -> tuple[int, int]:
        clean_start = self.to_clean(start)
        return clean_start, max(clean_start, self.to_clean(end, end=True))
