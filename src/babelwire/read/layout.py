"""The layout of a scraped plain-text article: headline, the headline again as a URL slug, body, source tag.

Nothing is assumed: each part is recognised by its shape, and a text without them is a body with
its title on the first line, or with no title at all.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from anyascii import anyascii

# `fr-02`, `es-01`, `de_7`: a language code and a feed number, alone on the last line.
SOURCE_TAG = re.compile(r"^([a-z]{2,3})[-_]([A-Za-z0-9]{1,6})$")
_SENTENCE_END = re.compile(r"[.!?…:;]['\"»”’)]*$")


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # end of the content, without the line break
    text: str


@dataclass(frozen=True)
class Layout:
    title: Line | None = None
    slug: Line | None = None
    tag: Line | None = None
    slug_similarity: float | None = None
    slug_agrees: bool | None = None

    @property
    def tag_language(self) -> str | None:
        match = SOURCE_TAG.match(self.tag.text) if self.tag else None
        return match.group(1) if match else None


def content_lines(text: str) -> list[Line]:
    """The non-blank lines of a text, with offsets of their content (surrounding blanks excluded)."""
    lines = []
    for match in re.finditer(r"[^\n]+", text):
        raw = match.group(0)
        stripped = raw.strip()
        if stripped:
            start = match.start() + (len(raw) - len(raw.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
    return lines


def fold_for_comparison(text: str) -> str:
    """Latin letters, lower case, accents and everything but letters and digits removed: how slugs are made."""
    decomposed = unicodedata.normalize("NFKD", anyascii(text).casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def slug_agreement(title: str, candidate: str) -> tuple[float, bool]:
    """How well a line matches the start of the title once both are folded like a slug.

    Returns (similarity 0..1, agrees): it agrees when the folded title starts with the folded line
    (a slug may stop mid-word).
    """
    folded_title, folded_slug = fold_for_comparison(title), fold_for_comparison(candidate)
    if len(folded_slug) < 8:
        return 0.0, False
    head = folded_title[: len(folded_slug)]
    similarity = difflib.SequenceMatcher(a=head, b=folded_slug, autojunk=False).ratio()
    return similarity, folded_title.startswith(folded_slug)


def looks_like_title(line: Line, following: list[Line]) -> bool:
    words = line.text.split()
    return bool(following) and len(line.text) <= 250 and 2 <= len(words) <= 40 and not _SENTENCE_END.search(line.text)


def detect_layout(text: str, repaired: Callable[[Line], str] | None = None) -> Layout:
    """The layout parts of a text; ``repaired`` gives a line's text once repaired (e.g. mojibake fixed),
    for comparing the slug with the headline."""
    lines = content_lines(text)
    repaired = repaired or (lambda line: line.text)
    if not lines:
        return Layout()
    tag = None
    if len(lines) >= 3 and SOURCE_TAG.match(lines[-1].text):
        tag, lines = lines[-1], lines[:-1]
    title = lines[0] if looks_like_title(lines[0], lines[1:]) else None
    slug, similarity, agrees = None, None, None
    if title is not None and len(lines) >= 3:
        candidate = lines[1]
        score, starts_title = slug_agreement(repaired(title), repaired(candidate))
        # A slug has no sentence punctuation and is no longer than its headline.
        if score >= 0.7 and len(candidate.text) <= len(title.text) + 2 and not _SENTENCE_END.search(candidate.text):
            slug, similarity, agrees = candidate, round(score, 3), starts_title
    return Layout(title=title, slug=slug, tag=tag, slug_similarity=similarity, slug_agrees=agrees)
