"""Tests of babelwire.analyse.langid (language identification)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

REPO = Path(__file__).resolve().parent.parent
try:
    from babelwire.analyse.langid import (
        LanguageGuess,
        LanguageIdentifier,
        LanguageIdSettings,
        label_tokens,
    )
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(REPO / "src"))
    from babelwire.analyse.langid import (
        LanguageGuess,
        LanguageIdentifier,
        LanguageIdSettings,
        label_tokens,
    )

SHARED = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared"))
LANGID_DATA = SHARED / "eval" / "langid"


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


SENTENCES = {
    "fr": "Le gouvernement a annoncé mercredi de nouvelles mesures pour soutenir les agriculteurs touchés par la sécheresse.",
    "es": "El presidente del gobierno se reunió ayer con los representantes de los sindicatos para hablar de las pensiones.",
    "en": "The central bank left interest rates unchanged on Thursday, citing uncertainty about the economic outlook.",
    "de": "Die Bundesregierung will die Förderung für Elektroautos im kommenden Jahr deutlich ausweiten, sagte der Minister.",
    "ru": "Президент провёл совещание с членами правительства и обсудил ситуацию в экономике страны.",
    "zh": "中国国家统计局周三公布的数据显示，上个月的消费者价格指数同比上涨了百分之二。",
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_news_sentence_is_identified_in_its_language(identifier, language):
    guess = identifier.identify(SENTENCES[language])
    assert guess.language == language
    assert guess.confidence > 0.9


def test_interfax_sentence_is_spanish(identifier):
    text = (
        "La agencia de noticias rusa Interfax citó a Ushakov, ayudante de Putin, diciendo que "
        "la visita incluirá conversaciones individuales"
    )
    assert identifier.identify(text).language == "es"


@pytest.mark.parametrize("text", ["de", "a", "Hotel", "no"])
def test_short_ambiguous_input_has_low_confidence(identifier, text):
    guess = identifier.identify(text)
    assert guess.language != "und"
    assert guess.confidence < 0.6


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "12345", "3,14 / 42", "😀🎉👍", "!!! ??? ...", "\x00\x01"])
def test_text_without_letters_is_undetermined(identifier, text):
    guess = identifier.identify(text)
    assert guess == LanguageGuess("und", 0.0, "none")
    assert identifier.ranked(text) == [guess]


def test_lone_surrogates_and_very_long_text_do_not_raise(identifier):
    assert identifier.identify("caf\ud800é au lait").language != ""
    long_text = SENTENCES["fr"] * 2000  # ~230k characters: only max_input_chars are read
    assert identifier.identify(long_text).language == "fr"


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=200))
def test_any_text_never_raises_and_confidence_is_a_probability(text):
    identifier = _shared_identifier()
    guess = identifier.identify(text)
    assert isinstance(guess.language, str) and guess.language
    assert 0.0 <= guess.confidence <= 1.0
    ranked = identifier.ranked(text, k=3)
    assert 1 <= len(ranked) <= 3
    assert all(0.0 <= g.confidence <= 1.0 for g in ranked)
    assert [g.confidence for g in ranked] == sorted((g.confidence for g in ranked), reverse=True)
    scores = identifier.word_scores(text, ["fr", "es", "ko"])
    assert set(scores) == {"fr", "es", "ko"}


_IDENTIFIER: list[LanguageIdentifier] = []


def _shared_identifier() -> LanguageIdentifier:
    # hypothesis dislikes function-scoped fixtures; build one identifier for all examples
    if not _IDENTIFIER:
        _IDENTIFIER.append(LanguageIdentifier())
    return _IDENTIFIER[0]


def test_ranked_is_best_first_and_matches_identify(identifier):
    text = "amerikansk"
    ranked = identifier.ranked(text, k=3)
    assert ranked[0].language == identifier.identify(text).language
    assert ranked[0].confidence >= ranked[-1].confidence
    assert {g.language for g in ranked} <= set(LanguageIdSettings().languages)
    assert sum(g.confidence for g in ranked) <= 1.0 + 1e-9


def test_word_scores_rank_moyens_french_and_los_spanish(identifier):
    moyens = identifier.word_scores("moyens", ["fr", "es"])
    assert moyens["fr"] > moyens["es"]
    los = identifier.word_scores("los", ["fr", "es"])
    assert los["es"] > los["fr"]


def test_word_scores_penalise_foreign_script_and_ignore_non_words(identifier):
    cyrillic = identifier.word_scores("Путин", ["ru", "en"])
    assert cyrillic["ru"] > cyrillic["en"]
    assert identifier.word_scores("2024", ["ru", "en"]) == {"ru": 0.0, "en": 0.0}
    # languages outside settings.languages are looked up too (wordfreq has Romanian)
    romanian = identifier.word_scores("pentru", ["ro", "fr"])
    assert romanian["ro"] > romanian["fr"]


def test_label_tokens_finds_the_switch_between_french_and_english(identifier):
    words = "Le ministre a déclaré que la situation restait grave but the markets did not react at all".split()
    labels = label_tokens(identifier, words, ["fr", "en"])
    assert labels == ["fr"] * 9 + ["en"] * 8


def test_languages_by_words_names_both_languages_of_a_mixed_sentence(identifier):
    text = "Le ministre a déclaré que la situation restait grave but the markets did not react at all"
    top_two = [code for code, _ in identifier.languages_by_words(text, k=2)]
    assert set(top_two) == {"fr", "en"}
    assert identifier.languages_by_words("12345 Xqzwv") == []


def test_script_decides_greek_and_japanese(identifier):
    assert identifier.identify("Καλημέρα σας").method == "script"
    assert identifier.identify("東京でニュースを読みました").language == "ja"


def test_text_in_an_unconfigured_script(identifier):
    assert identifier.identify("안녕하세요 여러분").language == "ko"
    strict = LanguageIdentifier(LanguageIdSettings(identify_other_scripts=False))
    assert strict.identify("안녕하세요 여러분").language == "und"


def test_text_in_an_unconfigured_latin_script_language(identifier):
    text = "Thủ tướng Chính phủ đã chủ trì cuộc họp với các bộ ngành vào sáng nay."
    assert identifier.identify(text).language == "vi"
    strict = LanguageIdentifier(LanguageIdSettings(languages=("en", "fr", "es"), detect_unlisted_languages=False))
    assert strict.identify(text).language in ("en", "fr", "es")


def test_fullwidth_and_decomposed_letters_are_normalised(identifier):
    assert identifier.identify("Ｔｈｅ ｐｒｉｍｅ ｍｉｎｉｓｔｅｒ ｓａｉｄ ｔｈａｔ").language == "en"
    decomposed = "L'e\u0301le\u0300ve a pre\u0301sente\u0301 son travail a\u0300 l'e\u0301cole"
    assert identifier.identify(decomposed).language == "fr"


def test_settings_normalise_codes_and_restrict_the_answer():
    settings = LanguageIdSettings(languages=("EN", "fr", "fr"), detect_unlisted_languages=False)
    assert settings.languages == ("en", "fr")
    assert LanguageIdentifier(settings).identify(SENTENCES["es"]).language in ("en", "fr")
    with pytest.raises(ValueError):
        LanguageIdSettings(languages=())


def test_danish_is_not_reported_as_norwegian(identifier):
    text = "Regeringen vil i næste uge fremlægge et forslag om at hæve pensionsalderen for alle danskere."
    assert identifier.identify(text).language == "da"


def test_min_confidence_turns_weak_guesses_into_und():
    cautious = LanguageIdentifier(LanguageIdSettings(languages=("fr", "es", "nl", "en"), min_confidence=0.9))
    guess = cautious.identify("de")
    assert guess.language == "und"
    assert 0.0 < guess.confidence < 0.9


def _sample(category: str, languages: list[str], per_language: int) -> list[tuple[str, str]]:
    folder = LANGID_DATA / category
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the folder ../shared/eval/langid (lingua test data) is not beside this checkout")
    items = []
    for language in languages:
        lines = [line for line in (folder / f"{language}.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
        step = max(1, len(lines) // per_language)
        items.extend((language, line) for line in lines[::step][:per_language])
    return items


def test_accuracy_on_shared_sentences_is_at_least_97_percent(identifier):
    items = _sample("sentences", ["en", "fr", "es", "de", "it", "ru"], 50)
    correct = sum(identifier.identify(text).language == language for language, text in items)
    assert correct / len(items) >= 0.97, f"{correct}/{len(items)}"


def test_accuracy_on_shared_word_pairs_is_at_least_90_percent(identifier):
    items = _sample("word-pairs", ["en", "fr", "es", "de", "it", "ru"], 50)
    correct = sum(identifier.identify(text).language == language for language, text in items)
    assert correct / len(items) >= 0.90, f"{correct}/{len(items)}"
