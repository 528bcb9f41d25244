"""Small closed-class word lists per language, written for babelwire's heuristics, and the one
lemmatiser the process shares.

Open-class knowledge (how frequent a word is) comes from wordfreq; these lists only say which
frequent words are articles, or words that start a phrase and so get glued to a link's text.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Mapping

# Articles: two in a row is a translation slip (`d’un une`); one of another language before a
# noun is a left-over (`Il Conseil`).
ARTICLES: dict[str, frozenset[str]] = {
    "fr": frozenset({"un", "une", "le", "la", "les", "des"}),
    "es": frozenset({"un", "una", "unos", "unas", "el", "la", "los", "las"}),
    "it": frozenset({"un", "uno", "una", "il", "lo", "la", "i", "gli", "le"}),
    "pt": frozenset({"um", "uma", "uns", "umas", "o", "a", "os", "as"}),
    "de": frozenset({"der", "die", "das", "ein", "eine", "einen", "einem", "einer"}),
    "en": frozenset({"the", "a", "an"}),
    "nl": frozenset({"de", "het", "een"}),
}

# Words that open a phrase: what follows a stripped link and gets glued to it (`Lavrovles`).
PHRASE_OPENERS: dict[str, frozenset[str]] = {
    "fr": ARTICLES["fr"] | frozenset({"du", "de", "au", "aux", "et", "ou", "dans", "pour", "par", "sur", "avec", "sans", "moins", "plus", "qui", "que", "mais", "en"}),
    "es": ARTICLES["es"] | frozenset({"de", "del", "al", "y", "en", "con", "por", "para", "que", "pero", "menos", "más", "sin", "sobre"}),
    "it": ARTICLES["it"] | frozenset({"di", "del", "della", "dei", "delle", "al", "alla", "e", "ed", "in", "con", "per", "su", "che", "da", "ma", "meno", "più"}),
    "pt": ARTICLES["pt"] | frozenset({"de", "do", "da", "dos", "das", "no", "na", "nos", "nas", "em", "com", "por", "para", "que", "mas", "menos", "mais"}),
    "de": ARTICLES["de"] | frozenset({"den", "dem", "des", "und", "oder", "im", "mit", "von", "vom", "zu", "zum", "zur", "für", "auf", "aber", "weniger", "mehr"}),
    "en": ARTICLES["en"] | frozenset({"of", "and", "or", "in", "on", "to", "for", "with", "from", "that", "but", "less", "more", "who", "which"}),
    "nl": ARTICLES["nl"] | frozenset({"van", "en", "of", "in", "op", "met", "voor", "dat", "maar", "minder", "meer"}),
}


# --- lemmas (simplemma) ---------------------------------------------------------------------------
# simplemma's default lemmatiser decodes a language's whole dictionary into a Python dict the first
# time the language is used: seconds and hundreds of MB (Polish: 6 s, 400 MB), and again for every
# caller that builds its own dictionary factory. Its stream-backed dictionaries keep the compressed
# entries and decode only the block a look-up needs: the same lemmas, half the loading time, about
# a tenth of the memory; a look-up costs more, which the lemma cache absorbs. One lemmatiser for the
# whole process, so that each language loads once, whoever asks first.
LEMMA_CACHE_WORDS = 1 << 17
LEMMA_LANGUAGES_KEPT = 64  # more than simplemma knows: a dictionary, once loaded, stays


@lru_cache(maxsize=1)
def _lemmatiser():
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import StreamDictionaryFactory

    factory = StreamDictionaryFactory(cache_max_size=LEMMA_LANGUAGES_KEPT)
    return factory, Lemmatizer(cache_max_size=LEMMA_CACHE_WORDS, lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))


def lemmatize(word: str, language: str) -> str:
    """simplemma's lemma of a word, the same as ``simplemma.lemmatize(word, lang=language)``;
    raises ValueError for a language simplemma does not know (or an empty word)."""
    return _lemmatiser()[1].lemmatize(word, language)


def lemma_forms(language: str) -> Mapping[str, str]:
    """simplemma's word forms of a language (form -> lemma, case kept), shared with `lemmatize`;
    empty for a language simplemma does not know."""
    try:
        return _lemmatiser()[0].get_dictionary(language)
    except Exception:  # no dictionary for the language
        return {}
