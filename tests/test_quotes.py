"""Quotations: who said what, in French, Spanish, English and German typography, with the reference
article's list from ../shared/seed/FINDINGS.md ("Who said what")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babelwire import analyze
from babelwire.analyse.quote_cues import cue_forms
from babelwire.analyse.quotes import QuoteFinder, QuoteSettings, find_quotations, is_cue
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


# --- quoted words that finish or sit inside the reporter's sentence ------------------------------

def test_english_lowercase_quote_finishing_the_reporters_sentence_is_partial_but_not_after_an_attribution():
    _, quotes = quotes_of("An economic downturn, the senator said, “could be a good time to borrow.”", "en")
    borrow = one(quotes, "could be")
    assert borrow.kind == "partial" and borrow.speaker == "the senator"
    _, quotes = quotes_of("Governor Tom Reyes said on Monday, “our state is ready for the storm.”", "en")
    assert one(quotes, "our state").kind == "statement" and "Tom Reyes" in one(quotes, "our state").speaker
    # The second half of a quotation split by its attribution stays a statement.
    _, quotes = quotes_of("“We tried everything,” the mayor said, “and nothing worked.”", "en")
    assert [q.kind for q in quotes] == ["statement", "statement"]
    assert one(quotes, "and nothing").speaker == "the mayor"


def test_english_quote_inside_a_sentence_that_goes_on_is_partial():
    _, quotes = quotes_of("Reyes says “the storm is behind us” despite the damage in the north.", "en")
    quote = one(quotes, "the storm")
    assert quote.kind == "partial" and quote.speaker == "Reyes"


def test_french_and_spanish_quotes_after_que_and_a_clause_are_partial():
    _, quotes = quotes_of("Le ministre a estimé que, si rien ne change, « nous irons droit dans le mur ».", "fr")
    assert one(quotes, "nous irons").kind == "partial" and one(quotes, "nous irons").speaker == "Le ministre"
    _, quotes = quotes_of("La ministra dijo que, pese a todo, «la economía resistirá».", "es")
    assert one(quotes, "la economía").kind == "partial" and one(quotes, "la economía").speaker == "La ministra"


def test_spanish_second_half_of_a_split_quote_keeps_its_speaker():
    _, quotes = quotes_of("«Es un día triste», explicó la portavoz, «pero seguiremos adelante».", "es")
    assert [(q.kind, q.speaker) for q in quotes] == [("statement", "la portavoz"), ("statement", "la portavoz")]


# --- titles of works are terms -------------------------------------------------------------------

def test_titles_of_works_are_terms_in_english_french_and_german():
    _, quotes = quotes_of("Her new book, “A Long Way Home,” is out in May. The film, “Breaking the Silence,” "
                          "opened on Friday. “City hall tries again,” by Ann Lee, ran on page one.", "en")
    assert [(q.text, q.kind) for q in quotes] == [("A Long Way Home", "term"), ("Breaking the Silence", "term"),
                                                  ("City hall tries again", "term")]
    _, quotes = quotes_of("Son dernier livre, « La Nuit des temps », paraît en mai.", "fr")
    assert [(q.text, q.kind) for q in quotes] == [("La Nuit des temps", "term")]
    _, quotes = quotes_of("Sein neues Buch, „Die lange Nacht“, erscheint im Mai.", "de")
    assert [(q.text, q.kind) for q in quotes] == [("Die lange Nacht", "term")]


def test_a_sentence_in_quotation_marks_is_not_taken_for_a_title():
    _, quotes = quotes_of("“I'm a big fan of Elizabeth Warren,” the senator said.", "en")
    assert one(quotes, "I'm a big fan").kind == "statement"


# --- broken and nested typography ----------------------------------------------------------------

def test_curly_quote_inside_a_straight_quoted_paragraph_opens_a_nested_quotation():
    text = '"Kelly tried to laugh it off by saying, “Only me.” But the host went on.'
    (quoted,) = find_quotations(text, 0, len(text))
    assert text[quoted.start:quoted.end] == "Kelly tried to laugh it off by saying, “Only me.” But the host went on."


# --- who speaks ----------------------------------------------------------------------------------

def test_english_document_speaks_through_it_and_noun_like_cues_work_after_a_quotation():
    document, quotes = quotes_of("The council issued a statement on Monday. “The budget is balanced,” it read.", "en")
    budget = one(quotes, "The budget")
    assert spoken_by(document, budget) == "it" and budget.cue == "read"
    _, quotes = quotes_of("“The plan is dead,” Senator Jane Miller notes.", "en")
    assert one(quotes, "The plan").kind == "statement" and one(quotes, "The plan").speaker == "Jane Miller"


def test_english_attribution_sentence_after_a_question_and_particle_cues():
    _, quotes = quotes_of("“Who knows?” Miller told the local radio station in an interview on Monday.", "en")
    assert one(quotes, "Who knows").speaker == "Miller" and one(quotes, "Who knows").cue == "told"
    document, quotes = quotes_of("“I will not resign,” Miller said. She went on, “The voters decide.”", "en")
    voters = one(quotes, "The voters")
    assert voters.cue == "went on" and voters.speaker == "Miller" and spoken_by(document, voters) == "She"


def test_english_name_right_before_a_colon_is_the_speaker():
    _, quotes = quotes_of("The tie does not surprise Republican pollster Dana Wills: “The race was always close.”", "en")
    assert one(quotes, "The race").speaker == "Dana Wills"


def test_french_pour_and_a_name_opening_the_sentence_is_the_source_and_inverted_noun_like_cue():
    _, quotes = quotes_of("Pour Julie Martin, chercheuse à l’université de Lyon, la réforme « arrive trop tard ».", "fr")
    late = one(quotes, "arrive trop tard")
    assert late.speaker == "Julie Martin" and late.kind == "partial"
    document, quotes = quotes_of("Paul Durand a défendu le texte.\n\n« C’est une erreur de le retirer », réplique-t-il.", "fr")
    error = one(quotes, "C’est une erreur")
    assert error.speaker == "Paul Durand" and error.cue == "réplique-t-il" and spoken_by(document, error) == "il"


def test_spanish_cue_without_subject_speaks_for_the_speaker_before():
    _, quotes = quotes_of("«No daremos un paso atrás», afirmó el alcalde Pedro Ruiz. «Lo prometimos», recalcó.", "es")
    promised = one(quotes, "Lo prometimos")
    assert promised.kind == "statement" and promised.speaker == "Pedro Ruiz" and promised.cue == "recalcó"


def test_german_separable_cue_with_its_particle_after_the_pronoun():
    document, quotes = quotes_of("„Wir geben nicht auf“, erklärte Bürgermeister Hans Keller. "
                                 "„Die Stadt steht zusammen“, fügte er hinzu.", "de")
    together = one(quotes, "Die Stadt")
    assert together.kind == "statement" and "Hans Keller" in together.speaker and spoken_by(document, together) == "er"


# --- the cue lexicon: inflected forms generated once, no lemmatiser --------------------------------

def test_cue_forms_cover_the_inflections_news_use_in_six_languages():
    expected = {
        "en": "said says saying told added adding cried denied wrote insisted",
        "fr": "dit déclaré déclara déclarait rappelle lança jugea écrit répond reconnaît ajouté réagit",
        "es": "dijo dice dijeron afirmó explicó explique recuerda añadió advirtió sostuvo",
        "de": "sagte sagt gesagt erklärte erklärt betonte behauptete fügte schrieb kritisiert",
        "it": "disse detto dichiarato afferma spiegò aggiunto ribadisce annuncerà",
        "pt": "disse diz afirmou declarou garantiu escreveu explicou",
    }
    for language, words in expected.items():
        forms = cue_forms(language)
        missing = [word for word in words.split() if word not in forms]
        assert not missing, (language, missing)


def test_forms_of_other_words_are_not_cues():
    # Irregular verbs are listed, not generated (`decir` must not make `decido`, `dire` not `de`).
    assert "decido" not in cue_forms("es") and "de" not in cue_forms("it") and "dito" not in cue_forms("it")
    assert not is_cue("meine", "de") and not is_cue("claims", "en") and not is_cue("demande", "fr")
    assert cue_forms("xx") == frozenset()


def test_the_quotation_layer_loads_no_lemmatiser_and_stays_small():
    script = (
        "import sys, tracemalloc\n"
        "from babelwire.read import read_text\n"
        "tracemalloc.start()\n"
        "from babelwire.analyse.quotes import QuoteFinder\n"
        "texts = {'fr': '« Oui », a-t-il dit.', 'es': '«Sí», dijo ella.', 'en': '“Yes,” she said.',\n"
        "         'de': '„Ja“, sagte er.', 'it': '«Sì», ha detto lui.', 'pt': '«Sim», disse ele.'}\n"
        "for language, text in texts.items():\n"
        "    document = read_text(text)\n"
        "    document.language = language\n"
        "    QuoteFinder().process(document)\n"
        "    assert document.quotes and document.quotes[0].cue, language\n"
        "print('simplemma' in sys.modules, tracemalloc.get_traced_memory()[0])\n"
    )
    src = Path(__file__).resolve().parent.parent / "src"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                          env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"})
    loaded, traced = done.stdout.split()
    assert loaded == "False"
    assert int(traced) < 5_000_000  # a few MB for six languages (simplemma took 25–150 MB per language)
