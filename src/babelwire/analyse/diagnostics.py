"""Diagnostics as plain numbers: how much of the body is in another language, what was removed and
repaired, whether the slug agrees with the headline, and signs of a careless machine translation.
"""

from __future__ import annotations

import re
from collections import Counter

from babelwire.analyse.lexicon import ARTICLES
from babelwire.analyse.repairs import zipf
from babelwire.pipeline import DocumentStep
from babelwire.model import Document

TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
WHOLE_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _tokens(text: str, start: int, end: int) -> list[re.Match]:
    return list(TOKEN.finditer(text, start, end))


def translation_error_signs(document: Document) -> list[dict]:
    """Places that read like a machine translation left unfinished; each with its reason."""
    text, language = document.text, document.language
    signs: list[dict] = []
    for segment in document.segments:
        if segment.kind in ("sentence", "fragment") and segment.language not in (language, "und"):
            if segment.kind == "fragment" or not any(f.kind == "fragment" and segment.start <= f.start < segment.end for f in document.segments):
                signs.append({"start": segment.start, "end": segment.end, "kind": "untranslated", "reason": f"{segment.kind} in {segment.language}, document in {language}"})
    own_articles = ARTICLES.get(language, set())
    foreign_articles = set().union(*(words for code, words in ARTICLES.items() if code != language)) - own_articles
    paragraphs = document.segments_of("paragraph")
    # Whole words, hyphenated compounds kept together (`nord-coréens` says nothing about `Nord`).
    words = Counter(match.group(0) for p in paragraphs for match in WHOLE_WORD.finditer(text, p.start, p.end))
    for paragraph in paragraphs:
        tokens = _tokens(text, paragraph.start, paragraph.end)
        for previous, current in zip(tokens, tokens[1:]):
            gap = text[previous.end():current.start()]
            if gap.strip(" \u00a0'’"):
                continue  # punctuation between them: not adjacent words
            if previous.group(0).lower() in own_articles and current.group(0).lower() in own_articles and not gap.strip():
                signs.append({"start": previous.start(), "end": current.end(), "kind": "double-article", "reason": "two articles in a row"})
            elif (previous.group(0).lower() in foreign_articles and previous.group(0)[:1].isupper()
                  and current.group(0)[:1].isupper() and zipf(current.group(0).lower(), language) >= 4.0):
                signs.append({"start": previous.start(), "end": current.end(), "kind": "foreign-article", "reason": f"{previous.group(0)!r} reads as an article of another language before a noun"})
            elif (current.group(0)[:1].isupper() and previous.group(0).islower() and not current.group(0).isupper()
                  and words[current.group(0)] == 1 and words[current.group(0).lower()] >= 2):
                signs.append({"start": current.start(), "end": current.end(), "kind": "stray-capital", "reason": f"{current.group(0)!r} capitalised mid-sentence but written in lower case elsewhere in the article (link text?)"})
    return sorted(signs, key=lambda sign: sign["start"])


def compute_diagnostics(document: Document) -> dict:
    body = [s for s in document.segments if s.kind in ("paragraph", "heading")]
    body_chars = sum(s.end - s.start for s in body) or 0
    pieces = [s for s in document.segments if s.kind == "fragment"] + [
        s for s in document.segments if s.kind == "sentence" and not any(f.kind == "fragment" and s.start <= f.start < s.end for f in document.segments)
    ] + [s for s in document.segments if s.kind == "heading"]
    foreign_chars = sum(s.end - s.start for s in pieces if s.language not in (document.language, "und"))
    signs = translation_error_signs(document)
    diagnostics = dict(document.diagnostics)
    diagnostics.update({
        "characters": len(document.text),
        "clean_characters": len(document.clean_text),
        "body_characters": body_chars,
        "foreign_share": round(foreign_chars / body_chars, 4) if body_chars else 0.0,
        "languages": dict(Counter(s.language for s in pieces)),
        "sentences": sum(1 for s in document.segments if s.kind == "sentence"),
        "paragraphs": sum(1 for s in document.segments if s.kind == "paragraph"),
        "headings": sum(1 for s in document.segments if s.kind == "heading"),
        "debris": dict(Counter(item.kind for item in document.debris)),
        "repairs": dict(Counter(edit.kind for edit in document.edits if edit.kind not in ("debris", "metadata"))),
        "translation_error_signs": signs,
        "translation_error_sign_counts": dict(Counter(sign["kind"] for sign in signs)),
    })
    diagnostics.setdefault("slug_agrees_with_title", None)
    diagnostics.setdefault("slug_similarity", None)
    return diagnostics


class Diagnostics(DocumentStep):
    name = "diagnostics"

    def process(self, document: Document) -> None:
        document.diagnostics = compute_diagnostics(document)
