"""Languages: of the document, of every block (title, heading, paragraph) and sentence, and of the
parts of a sentence that switches language midway.

Sentences are split on the clean text (so a repaired `année Le` can end one) and every segment is
mapped back to offsets in the original.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Sequence

import sentencex

from babelwire.analyse.langid import LanguageGuess, LanguageIdentifier
from babelwire.config import CleanSettings, LanguageSettings
from babelwire.pipeline import DocumentStep
from babelwire.model import Debris, Document, Segment
from babelwire.offsets import OffsetMap
from babelwire.read.layout import Line, content_lines

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_BLOCK_END = re.compile(r"[.!?…:;»”\"')\]]$")
UNDETERMINED = "und"


@dataclass(frozen=True)
class Piece:
    """A part of the clean text with its language (clean offsets)."""

    start: int
    end: int
    language: str
    confidence: float


def split_sentences(text: str, language: str, boundaries: Sequence[int] = ()) -> list[tuple[int, int]]:
    """Sentence spans (without surrounding white space) of one block, plus forced boundaries."""
    code = language if language != UNDETERMINED else "en"
    spans: list[tuple[int, int]] = []
    cursor = 0
    try:
        pieces = list(sentencex.segment(code, text))
    except Exception:  # sentencex knows no such language: one sentence per block is still right
        pieces = [text]
    for piece in pieces:
        found = text.find(piece, cursor)
        if found < 0:
            continue
        start, end = found, found + len(piece)
        cursor = end
        stripped_start = start + (len(piece) - len(piece.lstrip()))
        stripped_end = end - (len(piece) - len(piece.rstrip()))
        if stripped_end > stripped_start:
            spans.append((stripped_start, stripped_end))
    if not spans and text.strip():
        spans = [(0, len(text))]
    for boundary in sorted(boundaries):
        for index, (start, end) in enumerate(spans):
            if start < boundary < end:
                left_end = boundary
                while left_end > start and text[left_end - 1].isspace():
                    left_end -= 1
                right_start = boundary
                while right_start < end and text[right_start].isspace():
                    right_start += 1
                spans[index:index + 1] = [(start, left_end), (right_start, end)]
                break
    return spans


def viterbi_runs(scores: list[dict[str, float]], languages: Sequence[str], switch_penalty: float) -> list[str]:
    """The most likely language for each word, with a cost for every switch between languages.

    Ties go to the language listed first (the previous one, for the back pointer)."""
    if not scores:
        return []
    count = len(languages)
    states = range(count)
    best = [scores[0].get(language, 0.0) for language in languages]
    back: list[list[int]] = []
    for word_scores in scores[1:]:
        emissions = [word_scores.get(language, 0.0) for language in languages]
        step_back, step_best = [0] * count, [0.0] * count
        for state in states:
            previous, value = 0, best[0] - (switch_penalty if state != 0 else 0.0)
            for prior in range(1, count):
                candidate = best[prior] - (switch_penalty if prior != state else 0.0)
                if candidate > value:
                    previous, value = prior, candidate
            step_back[state] = previous
            step_best[state] = value + emissions[state]
        back.append(step_back)
        best = step_best
    last = max(states, key=best.__getitem__)
    path = [last]
    for step_back in reversed(back):
        path.append(step_back[path[-1]])
    return [languages[state] for state in reversed(path)]


def _runs(labels: list[str]) -> list[tuple[int, int, str]]:
    runs: list[tuple[int, int, str]] = []
    for index, label in enumerate(labels):
        if runs and runs[-1][2] == label:
            runs[-1] = (runs[-1][0], index + 1, label)
        else:
            runs.append((index, index + 1, label))
    return runs


class LanguageSegmenter(DocumentStep):
    """Pipeline step: languages of the document, blocks, sentences and switching fragments."""

    name = "languages"

    def __init__(self, settings: LanguageSettings, clean_settings: CleanSettings, identifier: LanguageIdentifier):
        self.settings = settings
        self.clean_settings = clean_settings
        self.identifier = identifier

    # --- switches inside a sentence ---------------------------------------------------------------
    def switch_fragments(self, text: str, offset: int, sentence_guess: LanguageGuess, document_language: str) -> list[Piece]:
        words = list(WORD.finditer(text))
        if len(words) < self.settings.min_words_for_switch:
            return []
        candidates = [sentence_guess.language]
        if document_language not in candidates and document_language != UNDETERMINED:
            candidates.append(document_language)
        # Which languages the words themselves point to names both languages of a mixed sentence
        # far more often than ranking the sentence as a whole.
        for language, share in self.identifier.languages_by_words(text, k=3):
            if len(candidates) >= 3:
                break
            if language not in candidates and language != UNDETERMINED and share >= 0.15:
                candidates.append(language)
        candidates = [language for language in candidates if language != UNDETERMINED]
        if len(candidates) < 2:
            return []
        scores = [self.identifier.word_scores(match.group(0), candidates) for match in words]
        labels = viterbi_runs(scores, candidates, self.settings.switch_penalty)
        runs = _runs(labels)
        if len(runs) < 2 or any(end - start < self.settings.min_run_words for start, end, _ in runs):
            return []
        pieces = []
        for run_start, run_end, language in runs:
            start, end = words[run_start].start(), words[run_end - 1].end()
            verdict = self.identifier.identify_cached(text[start:end])
            if verdict.language != language:
                return []  # the switch is not confirmed by identifying the part on its own
            pieces.append(Piece(offset + start, offset + end, language, verdict.confidence))
        # Fragments reach to the sentence's edges and meet each other, so together they cover it.
        first, last = pieces[0], pieces[-1]
        pieces[0] = Piece(offset, first.end, first.language, first.confidence)
        pieces[-1] = Piece(last.start, offset + len(text), last.language, last.confidence)
        return pieces

    # --- the whole document ------------------------------------------------------------------------
    def block_kind(self, block: Line, index: int, blocks: list[Line], title_span: tuple[int, int] | None) -> str:
        if title_span and block.start < title_span[1] and title_span[0] < block.end:
            return "title"
        if not self.clean_settings.mark_headings or index + 1 >= len(blocks):
            return "paragraph"
        words = block.text.split()
        following = blocks[index + 1]
        if len(words) <= self.clean_settings.max_heading_words and not _BLOCK_END.search(block.text) and len(following.text) > len(block.text):
            return "heading"
        return "paragraph"

    def segment(self, document: Document) -> None:
        clean = document.clean_text
        offsets = document.offset_map
        title_span = document.clean_span(*document.metadata.title_span) if document.metadata.title_span else None
        boundaries = [offsets.to_clean(edit.start, end=True) for edit in document.edits if edit.kind == "glued-sentence"]
        hint = document.metadata.language or UNDETERMINED

        blocks = content_lines(clean)
        block_records = []  # (block, kind, [(start, end, guess)])
        for index, block in enumerate(blocks):
            kind = self.block_kind(block, index, blocks, title_span)
            block_guess = self.identifier.identify_cached(block.text)
            local_boundaries = [b - block.start for b in boundaries if block.start < b < block.end]
            sentences = split_sentences(block.text, block_guess.language if block_guess.language != UNDETERMINED else hint, local_boundaries)
            # A paragraph of one sentence is identified once (identify_cached), as are lines the
            # repair step identified already.
            guesses = [(block.start + s, block.start + e, self.identifier.identify_cached(block.text[s:e])) for s, e in sentences]
            block_records.append((block, kind, guesses))

        weights: dict[str, float] = defaultdict(float)
        for _, _, guesses in block_records:
            for start, end, guess in guesses:
                if guess.language != UNDETERMINED:
                    weights[guess.language] += (end - start) * max(guess.confidence, 0.05)
        if weights:
            language = max(weights, key=weights.get)
            total = sum(weights.values())
            document.language, document.language_confidence = language, round(weights[language] / total, 4)
        elif hint != UNDETERMINED:
            document.language, document.language_confidence = hint, 0.0

        segments: list[Segment] = []
        for block, kind, guesses in block_records:
            pieces: list[Piece] = []
            sentence_segments: list[Segment] = []
            for start, end, guess in guesses:
                fragments = self.switch_fragments(clean[start:end], start, guess, document.language) if kind == "paragraph" else []
                if fragments:
                    pieces.extend(fragments)
                    by_language: dict[str, int] = defaultdict(int)
                    for fragment in fragments:
                        by_language[fragment.language] += fragment.end - fragment.start
                    main = max(by_language, key=by_language.get)
                    guess = LanguageGuess(main, round(by_language[main] / (end - start), 4), "fragments")
                    for fragment in fragments:
                        segments.append(self._to_original(offsets, fragment.start, fragment.end, "fragment", fragment.language, fragment.confidence))
                else:
                    pieces.append(Piece(start, end, guess.language, guess.confidence))
                if kind == "paragraph":
                    sentence_segments.append(self._to_original(offsets, start, end, "sentence", guess.language, guess.confidence))
            block_language, block_confidence = _majority(pieces)
            segments.append(self._to_original(offsets, block.start, block.end, kind, block_language, block_confidence))
            segments.extend(sentence_segments)
        segments.sort(key=lambda segment: (segment.start, -segment.end))
        document.segments = segments
        document.debris = [self._debris_language(document, item) for item in document.debris]

    def _to_original(self, offsets: OffsetMap, start: int, end: int, kind: str, language: str, confidence: float) -> Segment:
        original_start, original_end = offsets.span_to_original(start, end)
        return Segment(original_start, original_end, kind, language, round(float(confidence), 4))

    def _debris_language(self, document: Document, item: Debris) -> Debris:
        text = document.text[item.start:item.end]
        if item.kind in ("stray-punctuation", "stray-guillemet") or not WORD.search(text):
            return item
        # An embed's URL and @handle say nothing of its language.
        words_only = re.sub(r"\S*[/@]\S*|[\[\]()]", " ", text)
        guess = self.identifier.identify(words_only)
        return Debris(item.start, item.end, item.kind, item.reason, guess.language, round(guess.confidence, 4))

    def process(self, document: Document) -> None:
        self.segment(document)


def _majority(pieces: list[Piece]) -> tuple[str, float]:
    weights: dict[str, float] = defaultdict(float)
    confidence: dict[str, float] = defaultdict(float)
    for piece in pieces:
        length = piece.end - piece.start
        weights[piece.language] += length
        confidence[piece.language] += length * piece.confidence
    if not weights:
        return UNDETERMINED, 0.0
    language = max(weights, key=weights.get)
    total = sum(weights.values())
    share = weights[language] / total
    return language, (confidence[language] / weights[language]) * share if weights[language] else 0.0
