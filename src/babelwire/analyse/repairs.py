"""Repairs of what a scraper broke: words glued where links were stripped, Unicode form, white space.

Every repair is an edit on the original, with its kind and reason, so it can be shown and undone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import regex
import wordfreq

from babelwire.analyse.langid import LanguageIdentifier
from babelwire.analyse.lexicon import PHRASE_OPENERS
from babelwire.config import CleanSettings
from babelwire.pipeline import DocumentStep
from babelwire.model import Document
from babelwire.read.layout import content_lines

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Chinese, Japanese and Korean need extra tokenizers (jieba, MeCab) that babelwire does not install;
# their scripts do not glue words with spaces anyway.
WORDFREQ_LANGUAGES = frozenset(wordfreq.available_languages()) - {"zh", "ja", "ko"}
# Glued suffixes are function words: short, and among the most frequent words of the language.
MAX_GLUED_SUFFIX = 6
MIN_NAME_PART = 3


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str) -> float:
    if language not in WORDFREQ_LANGUAGES:
        return 0.0
    return wordfreq.zipf_frequency(word, language, wordlist="best")


@dataclass(frozen=True)
class GluedWord:
    start: int  # offset of the glued token in the text it was found in
    split_at: int  # offset where a space is inserted
    token: str
    reason: str
    sentence_boundary: bool  # the glue also swallowed a sentence end (`annéeLe`)


def _known(word: str, language: str) -> bool:
    return zipf(word.lower(), language) >= 1.0


def case_transition_split(token: str, language: str, next_text: str = "") -> int | None:
    """`annéeLe` → split before `Le`: a lower-case letter followed by a capital that starts a known word.

    A one-letter word (`irregularA saída`) counts only when it is very frequent and a lower-case
    word follows it.
    """
    for index in range(2, len(token)):
        left, right = token[:index], token[index:]
        if not (left[-1].islower() and right[0].isupper()):
            continue
        if right[1:] and not right[1:].islower():
            continue
        if len(right) == 1 and not (zipf(right.lower(), language) >= 5.5 and re.match(r"\s+[^\W\d_]", next_text) and next_text.strip()[:1].islower()):
            continue
        if zipf(right.lower(), language) >= 4.0 and zipf(left.lower(), language) >= 2.0:
            return index
    return None


@lru_cache(maxsize=16)
def letter_trigrams(language: str) -> Counter:
    """How many of the language's 50,000 most frequent words contain each letter trigram."""
    counts: Counter = Counter()
    for word in wordfreq.top_n_list(language, 50_000):
        counts.update({word[i:i + 3] for i in range(len(word) - 2)})
    return counts


def junction_is_unusual(left: str, right: str, language: str, max_words: int) -> bool:
    """Whether the letters where two parts meet are ones the language hardly writes inside a word.

    Gluing makes letter sequences a language does not produce (`Beloussov|le` → `ovl`, `vle`);
    a name that merely ends like a function word does not (`Sanal|la` → `all`, `lla`).
    """
    trigrams = letter_trigrams(language)
    left, right = left.lower(), right.lower()
    return trigrams[left[-2:] + right[:1]] <= max_words or trigrams[left[-1:] + right[:2]] <= max_words


def suffix_split(part: str, language: str, min_suffix_zipf: float, max_junction_words: int = 2) -> int | None:
    """`Lavrovles` → `Lavrov les`: an unknown word ending in a frequent word that opens a phrase,
    where the letters at the joint are ones the language does not write inside words."""
    openers = PHRASE_OPENERS.get(language)
    if not openers or len(part) < MIN_NAME_PART + 2 or _known(part, language):
        return None
    for length in range(min(MAX_GLUED_SUFFIX, len(part) - MIN_NAME_PART), 1, -1):
        left, suffix = part[:-length], part[-length:]
        if suffix in openers and zipf(suffix, language) >= min_suffix_zipf and junction_is_unusual(left, suffix, language, max_junction_words):
            return len(part) - length
    return None


def known_name_split(token: str, language: str, counts: Counter) -> int | None:
    """`Corrigansaid` → `Corrigan said`: a name the article also writes alone, then a known word."""
    for split in range(len(token) - 2, MIN_NAME_PART - 1, -1):
        left, right = token[:split], token[split:]
        if not (counts.get(left, 0) and right[0].isalpha() and right.islower()):
            continue
        # Two-letter words must be very frequent to count (`ha`, not `it` in Italian text).
        if zipf(right, language) >= (5.0 if len(right) <= 2 else 3.5):
            return split
    return None


def find_glued_words(text: str, language: str, settings: CleanSettings, document_counts: Counter | None = None) -> list[GluedWord]:
    """Glued words in one block of text; ``document_counts`` counts tokens over the whole article."""
    tokens = list(WORD.finditer(text))
    counts = document_counts if document_counts is not None else Counter(match.group(0) for match in tokens)
    found = []
    for index, match in enumerate(tokens):
        token = match.group(0)
        if _known(token, language) or text[match.start() - 1:match.start()] in ("#", "@", "/", ".", "_") or text[match.end():match.end() + 1].isalnum():
            continue  # hashtags, handles, URLs and tokens glued to digits are not text to split
        split = case_transition_split(token, language, text[match.end():match.end() + 3])
        if split is not None:
            found.append(GluedWord(match.start(), match.start() + split, token, f"lower-case letter glued to a capitalised {language} word", True))
            continue
        if not token[0].isupper() or counts[token] > 1:
            continue  # a name that recurs as it is, is a name
        split = known_name_split(token, language, counts)
        if split is not None:
            found.append(GluedWord(match.start(), match.start() + split, token, f"{language} word glued to a name the article writes on its own elsewhere", False))
            continue
        # In a hyphenated name only the last part can have a word glued to it (`Il-sungmoins`).
        last_part_start = max(token.rfind("-"), token.rfind("'"), token.rfind("’")) + 1
        part = token[last_part_start:]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is None or not following.group(0)[:1].islower() or text[match.end():following.start()].strip():
            continue  # a glued function word is followed, after a space, by the word it governs
        split = suffix_split(part if last_part_start else token, language, settings.glued_suffix_min_zipf)
        if split is not None:
            found.append(GluedWord(match.start(), match.start() + last_part_start + split, token, f"{language} function word glued to the name before it", False))
    return found


def nfc_repairs(text: str) -> Iterator[tuple[int, int, str]]:
    if unicodedata.is_normalized("NFC", text):
        return
    for match in regex.finditer(r"\X", text):
        cluster = match.group(0)
        if not unicodedata.is_normalized("NFC", cluster):
            yield match.start(), match.end(), unicodedata.normalize("NFC", cluster)


WHITESPACE_RULES = (
    (re.compile(r"\r\n?"), "\n", "line breaks made \\n"),
    (re.compile(r"(?<=\S)[ \t\u00a0]{2,}(?=\S)"), " ", "runs of spaces made one"),
    (re.compile(r"[ \t\u00a0]+$", re.MULTILINE), "", "spaces at the end of a line removed"),
    (re.compile(r"^[ \t\u00a0]+(?=\S)", re.MULTILINE), "", "spaces at the start of a line removed"),
    (re.compile(r"\n{3,}"), "\n\n", "blank lines made one"),
    (re.compile(r"^\s+"), "", "white space before the text removed"),
    (re.compile(r"\s+$"), "", "white space after the text removed"),
)


def whitespace_repairs(text: str) -> list[tuple[int, int, str, str]]:
    changes: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, replacement, reason in WHITESPACE_RULES:
        for match in pattern.finditer(text):
            if match.group(0) == replacement or any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            changes.append((match.start(), match.end(), replacement, reason))
    return changes


class TextRepairer(DocumentStep):
    """Pipeline step: Unicode NFC, glued words, then white space, each as edits on the original."""

    name = "repairs"

    def __init__(self, settings: CleanSettings, identifier: LanguageIdentifier):
        self.settings = settings
        self.identifier = identifier

    def block_language(self, text: str, fallback: str) -> str:
        guess = self.identifier.identify_cached(text)  # the language step asks again for most lines
        return guess.language if guess.language != "und" and guess.confidence >= 0.5 else fallback

    def repair(self, document: Document) -> None:
        for start, end, replacement in nfc_repairs(document.text):
            document.add_edit(start, end, "unicode-nfc", "characters composed to Unicode NFC", replacement)
        if self.settings.repair_glued_words:
            clean = document.clean_text
            fallback = document.metadata.language or "und"
            # Counted over the original: a name in a removed embed still shows it is a name.
            counts = Counter(match.group(0) for match in WORD.finditer(document.text))
            changes = []
            for line in content_lines(clean):
                language = self.block_language(line.text, fallback)
                for glued in find_glued_words(line.text, language, self.settings, counts):
                    position = line.start + glued.split_at
                    kind = "glued-sentence" if glued.sentence_boundary else "glued-words"
                    changes.append((position, position, kind, f"{glued.token}: {glued.reason}", " "))
            document.add_clean_edits(changes)
        clean = document.clean_text
        document.add_clean_edits([(start, end, "whitespace", reason, replacement) for start, end, replacement, reason in whitespace_repairs(clean)])

    def process(self, document: Document) -> None:
        self.repair(document)
