"""Quotations: who said what, in French, Spanish, English and German typography, with the reference
article's list from ../shared/seed/FINDINGS.md ("Who said what")."""

from __future__ import annotations


from babelwire import analyze
from babelwire.analyse.quotes import QuoteFinder, QuoteSettings, find_quotations
from babelwire.model import Document, Mention


def quotes_of(text: str, language: str, document: Document | None = None):
    document = document or analyze(text, language=language)
    QuoteFinder(QuoteSettings()).process(document)
    return document, document.quotes


def one(quotes, starting: str):
    found = [q for q in quotes if q.text.startswith(starting)]
    assert len(found) == 1, [q.text for q in quotes]
    return found[0]


def spoken_by(document, quote) -> str:
    return document.text[quote.speaker_start:quote.speaker_end]


# --- French ---------------------------------------------------------------------------------------

def test_french_guillemets_with_inverted_cue_give_the_named_speaker_and_content_without_marks():
    text = "« Nous ne céderons pas », a déclaré la ministre Claire Dubois mardi."
    document, quotes = quotes_of(text, "fr")
    quote = one(quotes, "Nous")
    assert quote.kind == "statement"
    assert document.text[quote.start:quote.end] == "Nous ne céderons pas"  # marks and spaces excluded
    assert quote.speaker == "Claire Dubois" and spoken_by(document, quote) == "Claire Dubois"
    assert quote.cue == "a déclaré" and document.text[quote.cue_start:quote.cue_end] == "a déclaré"
    assert quote.language == "fr"


def test_french_pronoun_inversion_resolves_to_the_previous_speaker_and_points_at_the_pronoun():
    text = ("Marc Leroy a déclaré que le projet était abandonné.\n\n"
            "« Cette ville mérite mieux que ces promesses », a-t-il écrit dans un communiqué.")
    document, quotes = quotes_of(text, "fr")
    quote = one(quotes, "Cette ville")
    assert quote.speaker == "Marc Leroy"
    assert spoken_by(document, quote) == "il" and quote.cue == "a-t-il écrit"


def test_french_short_quote_after_a_determiner_is_a_term_and_quoted_words_in_a_clause_are_partial():
    text = ("Le maire a salué ses « camarades » du conseil. "
            "Le porte-parole du gouvernement a affirmé qu’il était « très inquiet ».")
    document, quotes = quotes_of(text, "fr")
    assert one(quotes, "camarades").kind == "term" and one(quotes, "camarades").speaker is None
    worried = one(quotes, "très inquiet")
    assert worried.kind == "partial" and worried.speaker == "Le porte-parole du gouvernement"


def test_french_selon_gives_an_indirect_quote_with_its_source():
    document, quotes = quotes_of("Selon l’agence Reuters, le bilan est lourd.", "fr")
    quote = one(quotes, "le bilan")
    assert quote.kind == "indirect" and quote.speaker == "l’agence Reuters" and quote.cue == "Selon"


def test_french_broken_closing_guillemet_still_closes_the_quotation():
    text = "Il a dit qu’il « viendrait demain« , selon son entourage."
    (quoted,) = find_quotations(text, 0, len(text))
    assert text[quoted.start:quoted.end] == "viendrait demain"


# --- Spanish --------------------------------------------------------------------------------------

def test_spanish_quote_with_dijo_and_a_partial_quote_after_afirmo_que():
    text = ("«No vamos a rendirnos», dijo el presidente Luis Ortega. "
            "La portavoz afirmó que la situación era «muy grave».")
    document, quotes = quotes_of(text, "es")
    first = one(quotes, "No vamos")
    assert first.kind == "statement" and first.speaker == "Luis Ortega" and first.cue == "dijo"
    grave = one(quotes, "muy grave")
    assert grave.kind == "partial" and grave.speaker == "La portavoz" and grave.cue == "afirmó"


def test_spanish_segun_introduces_indirect_speech():
    document, quotes = quotes_of("Según el Ministerio de Defensa, las tropas se retiraron del frente.", "es")
    quote = one(quotes, "las tropas")
    assert quote.kind == "indirect" and "Ministerio de Defensa" in quote.speaker


# --- English --------------------------------------------------------------------------------------

def test_english_said_with_name_after_and_a_described_source_before_a_colon():
    text = ("“We will not back down,” said Senator Jane Miller. "
            "A White House spokesman told reporters: “The talks are over.”")
    document, quotes = quotes_of(text, "en")
    miller = one(quotes, "We will")
    # The named person, linked to her entity (the title is not part of the name).
    assert miller.speaker == "Jane Miller" and miller.cue == "said" and miller.speaker_entity_id
    assert document.text[miller.start:miller.end] == "We will not back down"  # the comma stays outside
    spokesman = one(quotes, "The talks")
    assert spokesman.speaker == "A White House spokesman" and spokesman.cue == "told"


def test_english_quote_paragraph_with_she_said_resolves_the_pronoun_and_split_quote_keeps_its_speaker():
    text = ("Miller later added that the deal was dead.\n\n"
            "“It is a sad day,” she said. “We tried everything.”")
    document, quotes = quotes_of(text, "en")
    sad = one(quotes, "It is a sad day")
    assert sad.speaker == "Miller" and spoken_by(document, sad) == "she"
    tried = one(quotes, "We tried")
    assert tried.kind == "statement" and tried.speaker == "Miller"


def test_english_quote_without_cue_takes_the_speaker_of_the_previous_paragraph():
    text = "“Prices will fall,” Governor Tom Reyes said on Monday.\n\n“Nobody should panic about the next winter.”"
    document, quotes = quotes_of(text, "en")
    assert "Tom Reyes" in one(quotes, "Nobody").speaker


def test_english_according_to_and_show_titles():
    text = "According to the Pentagon, the strike hit a depot. She told “Meet the Press” that it was over."
    document, quotes = quotes_of(text, "en")
    assert one(quotes, "the strike").kind == "indirect" and "Pentagon" in one(quotes, "the strike").speaker
    assert one(quotes, "Meet the Press").kind == "term"


def test_speaker_entity_id_comes_from_an_overlapping_mention():
    document = analyze("“We will not back down,” said Senator Jane Miller.", language="en")
    start = document.text.index("Jane Miller")
    document.mentions = [Mention(start, start + len("Jane Miller"), "Jane Miller", "PER", entity_id="person:jane-miller")]
    _, quotes = quotes_of(document.text, "en", document)
    assert quotes[0].speaker_entity_id == "person:jane-miller" and quotes[0].speaker == "Jane Miller"


def test_without_mentions_the_speaker_is_still_found_and_its_entity_id_is_none():
    document = analyze("“We will not back down,” said Senator Jane Miller.", language="en")
    document.mentions, document.entities = [], []
    _, quotes = quotes_of(document.text, "en", document)
    assert "Jane Miller" in quotes[0].speaker and quotes[0].speaker_entity_id is None


# --- German ---------------------------------------------------------------------------------------

def test_german_low_high_quotes_with_sagte_and_erklaerte_sie():
    text = ("„Wir werden nicht nachgeben“, sagte Kanzlerin Anna Weber am Montag. "
            "„Das ist ein schwarzer Tag“, erklärte sie.")
    document, quotes = quotes_of(text, "de")
    first = one(quotes, "Wir werden")
    assert "Anna Weber" in first.speaker and first.cue == "sagte"
    second = one(quotes, "Das ist")
    assert "Anna Weber" in second.speaker and spoken_by(document, second) == "sie"


def test_german_chevrons_around_one_word_after_an_article_are_a_term():
    _, quotes = quotes_of("Der Minister lobte die »Partner« aus Paris.", "de")
    assert [(q.text, q.kind) for q in quotes] == [("Partner", "term")]


def test_apostrophes_and_markup_are_not_quotation_marks():
    text = "L’État a dit qu’il n’y aurait rien. <a href=\"https://example.org/x\">lien</a> It’s fine."
    assert find_quotations(text, 0, len(text)) == []


# --- the reference article ------------------------------------------------------------------------

def test_seed_who_said_what(seed_analysis):
    document = seed_analysis
    if not document.quotes:
        QuoteFinder(QuoteSettings()).process(document)
    quotes = document.quotes
    spoken = [q for q in quotes if q.kind in ("statement", "partial")]

    def check(starting: str, speaker_words: str, cue: str | None = None, kind: str = "statement"):
        quote = one(spoken, starting)
        assert quote.kind == kind, (starting, quote.kind)
        assert speaker_words in quote.speaker, (starting, quote.speaker)
        if cue:
            assert quote.cue == cue
        return quote

    check("résister ensemble aux restrictions unilatérales illégitimes", "Poutine", kind="partial")
    check("Washington, qui refuse", "Poutine", "a déclaré")
    check("La Russie a toujours soutenu", "Poutine")
    ouchakov = check("exposerait les perspectives", "Ouchakov", kind="partial")
    check("la guerre sacrée de tous les citoyens russes", "médias d’État nord-coréens")
    check("des dizaines de missiles balistiques", "accusations américaines", kind="partial")
    check("à peu près sûr", "Département d’État américain", kind="partial")
    cha = check("Cette relation", "Victor Cha", "a-t-il écrit")
    assert document.text[cha.speaker_start:cha.speaker_end] == "il"
    # Content spans are in the original text and stop before the stray guillemets.
    assert document.text[ouchakov.start:ouchakov.end].endswith("coopération")
    assert document.text[cha.start:cha.end].endswith("territoire américain")
    terms = sorted(q.text for q in quotes if q.kind == "term")
    assert terms == ["camarade", "camarade", "traité de partenariat stratégique global"]
    assert len(spoken) == 8
