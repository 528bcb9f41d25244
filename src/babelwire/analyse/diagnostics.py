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


def translation_error_signs(document: Document) -> list[dict]:
    """Places that read like a machine translation left unfinished; each with its reason."""
    text, language = document.text, document.language
    signs: list[dict] = []
    fragment_starts = [f.start for f in document.segments if f.kind == "fragment"]
    for segment in document.segments:
        if segment.kind in ("sentence", "fragment") and segment.language not in (language, "und"):
            if segment.kind == "fragment" or not any(segment.start <= start < segment.end for start in fragment_starts):
                signs.append({"start": segment.start, "end": segment.end, "kind": "untranslated", "reason": f"{segment.kind} in {segment.language}, document in {language}"})
    own_articles = ARTICLES.get(language, set())
    foreign_articles = set().union(*(words for code, words in ARTICLES.items() if code != language)) - own_articles
    paragraphs = document.segments_of("paragraph")
    # Whole words, hyphenated compounds kept together (`nord-coréens` says nothing about `Nord`).
    words = Counter(match.group(0) for p in paragraphs for match in WHOLE_WORD.finditer(text, p.start, p.end))
    for paragraph in paragraphs:
        tokens = [(match.start(), match.end(), match.group(0)) for match in TOKEN.finditer(text, paragraph.start, paragraph.end)]
        for (previous_start, previous_end, previous), (current_start, current_end, current) in zip(tokens, tokens[1:]):
            # Every sign needs an article first or a capital second: most pairs stop here.
            capital_next = current[:1].isupper()
            previous_lower = previous.lower()
            if not capital_next and previous_lower not in own_articles:
                continue
            gap = text[previous_end:current_start]
            if gap.strip(" \u00a0'’"):
                continue  # punctuation between them: not adjacent words
            if previous_lower in own_articles and current.lower() in own_articles and not gap.strip():
                signs.append({"start": previous_start, "end": current_end, "kind": "double-article", "reason": "two articles in a row"})
            elif (previous_lower in foreign_articles and previous[:1].isupper()
                  and capital_next and zipf(current.lower(), language) >= 4.0):
                signs.append({"start": previous_start, "end": current_end, "kind": "foreign-article", "reason": f"{previous!r} reads as an article of another language before a noun"})
            elif (capital_next and previous.islower() and not current.isupper()
                  and words[current] == 1 and words[current.lower()] >= 2):
                signs.append({"start": current_start, "end": current_end, "kind": "stray-capital", "reason": f"{current!r} capitalised mid-sentence but written in lower case elsewhere in the article (link text?)"})
    return sorted(signs, key=lambda sign: sign["start"])


def compute_diagnostics(document: Document) -> dict:
    body = [s for s in document.segments if s.kind in ("paragraph", "heading")]
    body_chars = sum(s.end - s.start for s in body) or 0
    fragment_starts = [f.start for f in document.segments if f.kind == "fragment"]
    pieces = [s for s in document.segments if s.kind == "fragment"] + [
        s for s in document.segments if s.kind == "sentence" and not any(s.start <= start < s.end for start in fragment_starts)
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
