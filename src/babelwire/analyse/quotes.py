"""Who said what: direct quotations, quoted terms and (bonus) indirect speech, with speaker and cue.

Works on the clean text (debris removed, stray guillemets repaired) and maps every span back to
the original with ``document.original_span``. Conventions:

- A quote's ``start``/``end`` cover the quoted CONTENT, without the quotation marks and without
  the comma that English and Spanish put inside the closing mark (`“We won,” he said` → `We won`);
  final `.`, `!`, `?`, `…` inside the marks are kept. ``text`` is that content from the clean
  text (glued words repaired), so it can differ from ``document.text[start:end]`` where a repair
  falls inside a quote.
- ``speaker_start``/``speaker_end`` point at the words of the text that attribute the quote: the
  name or description (`Victor Cha`, `les médias d’État nord-coréens`), the pronoun itself for a
  pronoun (`a-t-il écrit` → the span of `il`), or the earlier attribution for a quote whose
  speaker comes from context. ``speaker`` is who that is: the name, the description, or the
  name a pronoun was resolved to. ``speaker_entity_id`` comes from ``document.mentions`` when
  a mention overlaps that name.
- ``kind`` is ``statement`` (a direct quotation), ``partial`` (quoted words inside the reporter's
  own sentence: `a déclaré qu’il était « à peu près sûr »`, `An economic downturn, he said,
  “could be a good time …”`, `says “the wind is at our backs” despite his loss`), ``term`` (a
  short quoted phrase used as a name or word, or the title of a work: `le « camarade » Kim`, `his
  book, “Crippled America”`) or ``indirect`` (reported speech without quotation marks:
  `X a déclaré que …`, `X said …`, `según X, …`, `…, sources said`).

Everything is rules over tokens with small per-language lexicons written here (fr, es, en, de,
it, pt; other languages get the quotation marks and the punctuation patterns only). Cue verbs
are recognised by their inflected forms, generated once per language in quote_cues.py (no
lemmatiser: a few hundred kB instead of simplemma's 25–150 MB per language). spaCy parses were
tried on the reference article and did not help where the rules fail (a sentence whose missing
conjunction makes the parser pick the object as the subject), so none is loaded. The rules that
decide statement / partial / term were chosen on the train split of PolNeAR (English); see
benchmarks/quotes_bench.py for the figures on dev and test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from babelwire.analyse.quote_cues import (
    CUE_LANGUAGES,
    cue_candidates,
    cue_forms,
    particle_cue,
)
from babelwire.model import Document, Mention, Quote
from babelwire.pipeline import DocumentStep


@dataclass(frozen=True)
class QuoteSettings:
    find_terms: bool = True
    find_indirect: bool = True
    max_term_words: int = 4  # a verbless quoted phrase this short, used as a noun, is a term
    max_speaker_words: int = 10  # a speaker description longer than this is not taken
    # How many paragraphs back a quote with no attribution of its own looks for its speaker.
    context_paragraphs: int = 1


# --- lexicons --------------------------------------------------------------------------------

# Forms of cue verbs that are mostly nouns or adjectives (`claims`, `la demande`, `la pregunta`,
# `meine`): cues only right before what they report (see cue_at).
NOT_CUES: dict[str, frozenset[str]] = {
    "en": frozenset({"state", "states", "call", "calls", "post", "posts", "note", "notes", "report", "reports",
                     "continues", "charge", "charges", "answer", "comment", "comments", "claim", "claims",
                     "estimate", "promise", "vow", "joke", "read", "mouth", "counter", "calling", "reading",
                     "charging", "posting", "reporting", "estimating", "warning", "reason", "reasons", "press",
                     "presses", "text", "texts", "email", "emails", "pressing",
                     "reasoning", "assured", "texting", "emailing", "ranting", "question", "questions",
                     "questioning"}),
    "fr": frozenset({"juge", "juges", "cite", "note", "notes", "lance", "demande", "demandes", "annonce",
                     "annonces", "menace", "menaces", "réplique", "répliques", "relève", "lâche", "lâches",
                     "résumé", "reconnaissant", "confiant", "menaçant", "répondant", "répondants", "écrits"}),
    "es": frozenset({"dicho", "dicha", "dichos", "dichas", "cuenta", "cuentas", "pregunta", "preguntas", "denuncia",
                     "denuncias", "detalle", "detalles", "apunte", "apuntes", "escritos", "alerta", "alertas",
                     "sentencia", "sentencias", "reproche", "reproches"}),
    "de": frozenset({"rufe", "ruf", "meine"}),
    "it": frozenset({"detto", "risposta", "pubblica", "conferma", "denuncia", "precisa", "replica", "repliche"}),
    "pt": frozenset({"conta", "contas", "dito", "pergunta", "perguntas"}),
}
# Prepositions that introduce the source after them: `selon X`, `according to X`, `laut X`.
SOURCE_PREPOSITIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "fr": (("selon",), ("d’après",), ("d'après",), ("de", "l’avis", "de"), ("aux", "dires", "de")),
    "es": (("según",), ("de", "acuerdo", "con"), ("en", "palabras", "de")),
    "en": (("according", "to"), ("in", "the", "words", "of")),
    "de": (("laut",), ("nach", "angaben", "von"), ("zufolge",)),
    "it": (("secondo",), ("stando", "a"), ("a", "detta", "di")),
    "pt": (("segundo",), ("de", "acordo", "com"), ("conforme",)),
}
# `Pour Julien Carrasco, …`: at the start of a sentence and before a name, the view of that source.
VIEWPOINT_PREPOSITIONS = {"fr": frozenset({"pour"}), "es": frozenset({"para"}), "it": frozenset({"per"}),
                          "pt": frozenset({"para"})}
# `selon lesquelles`: the source is the noun before (`les accusations selon lesquelles …`).
RELATIVE_SOURCE_WORDS = frozenset({"lequel", "laquelle", "lesquels", "lesquelles", "cuales", "cual", "which",
                                   "quali", "quale", "quais", "qual", "denen", "dem", "der"})
# German `so X` after a quotation (`„…“, so der Minister.`).
POST_QUOTE_SO = {"de": "so"}

PRONOUNS: dict[str, frozenset[str]] = {
    "fr": frozenset({"il", "elle", "ils", "elles"}),
    "es": frozenset({"él", "ella", "ellos", "ellas"}),
    "en": frozenset({"he", "she", "they"}),
    "de": frozenset({"er", "sie"}),
    "it": frozenset({"lui", "lei", "egli", "essa", "loro"}),
    "pt": frozenset({"ele", "ela", "eles", "elas"}),
}
AUXILIARIES: dict[str, frozenset[str]] = {
    "fr": frozenset({"a", "ont", "avait", "avaient", "aurait", "auraient", "aura", "auront", "va", "vont", "allait",
                     "est", "sont", "était", "avoir", "ayant", "s’est", "s'est", "se", "s’", "lui", "leur", "l’", "l'"}),
    "es": frozenset({"ha", "han", "había", "habían", "habría", "va", "van", "iba", "se", "le", "les", "lo", "la"}),
    "en": frozenset({"has", "have", "had", "will", "would", "did", "does", "do", "was", "were", "is", "are", "'s", "’s"}),
    "de": frozenset({"hat", "haben", "hatte", "hatten", "wird", "werden", "würde", "habe", "sich"}),
    "it": frozenset({"ha", "hanno", "aveva", "avevano", "avrebbe", "è", "si", "gli", "le"}),
    "pt": frozenset({"tem", "têm", "tinha", "havia", "há", "vai", "se", "lhe"}),
}
ADVERBS: dict[str, frozenset[str]] = {
    "fr": frozenset({"également", "aussi", "encore", "toutefois", "cependant", "pourtant", "ensuite", "alors",
                     "déjà", "notamment", "lui-même", "elle-même", "ainsi", "bien", "donc", "enfin", "même",
                     "plus", "tard", "récemment", "aujourd’hui", "hier", "lundi", "mardi", "mercredi", "jeudi",
                     "vendredi", "samedi", "dimanche", "t-il", "t-elle", "ne", "pas", "jamais", "souvent"}),
    "es": frozenset({"también", "además", "ya", "luego", "después", "ayer", "hoy", "entonces", "no", "nunca",
                     "sin", "embargo", "recientemente", "incluso"}),
    "en": frozenset({"also", "then", "later", "further", "previously", "once", "again", "recently", "still",
                     "even", "never", "not", "repeatedly", "had", "has", "have", "just", "often", "earlier",
                     "yesterday", "today", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                     "sunday", "last", "week", "month", "year", "night", "afternoon", "morning", "evening"}),
    "de": frozenset({"auch", "noch", "bereits", "schon", "dann", "jedoch", "aber", "nicht", "nie", "gestern",
                     "heute", "zudem", "außerdem", "ebenfalls", "später"}),
    "it": frozenset({"anche", "poi", "già", "ancora", "però", "ieri", "oggi", "non", "inoltre"}),
    "pt": frozenset({"também", "ainda", "já", "depois", "ontem", "hoje", "não", "nunca", "além"}),
}
DETERMINERS: dict[str, frozenset[str]] = {
    "fr": frozenset({"le", "la", "les", "l’", "l'", "un", "une", "des", "du", "son", "sa", "ses", "leur", "leurs",
                     "ce", "cet", "cette", "ces", "notre", "votre", "plusieurs", "certains", "certaines", "deux",
                     "trois", "quelques", "aucun", "tout", "tous", "d’autres"}),
    "es": frozenset({"el", "la", "los", "las", "un", "una", "unos", "unas", "su", "sus", "este", "esta", "estos",
                     "estas", "ese", "esa", "varios", "varias", "algunos", "algunas", "dos", "tres", "otro", "otra"}),
    "en": frozenset({"the", "a", "an", "one", "two", "three", "another", "his", "her", "its", "their", "our", "this",
                     "that", "these", "those", "some", "several", "many", "other", "both", "each", "all", "any",
                     "most", "few"}),
    "de": frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "einen", "einem", "eines",
                     "sein", "seine", "ihr", "ihre", "dieser", "diese", "dieses", "mehrere", "einige", "zwei", "drei"}),
    "it": frozenset({"il", "lo", "la", "i", "gli", "le", "un", "uno", "una", "l’", "l'", "suo", "sua", "suoi", "sue",
                     "questo", "questa", "alcuni", "due", "tre"}),
    "pt": frozenset({"o", "a", "os", "as", "um", "uma", "uns", "umas", "seu", "sua", "seus", "suas", "este", "esta",
                     "esse", "essa", "alguns", "algumas", "dois", "duas", "três"}),
}
# Words that end a noun phrase walking back from a verb: a clause starts after them.
CLAUSE_OPENERS: dict[str, frozenset[str]] = {
    "fr": frozenset({"que", "qu’", "qu'", "et", "mais", "ou", "qui", "dont", "où", "car", "puis", "lorsque",
                     "lorsqu’", "quand", "si", "comme", "puisque", "tandis", "alors", "donc", "dans", "en", "par",
                     "pour", "avec", "sans", "sur", "après", "avant", "depuis", "pendant", "à", "au", "aux"}),
    "es": frozenset({"que", "y", "e", "pero", "o", "quien", "quienes", "donde", "cuando", "si", "como", "porque",
                     "mientras", "en", "con", "por", "para", "sin", "sobre", "tras", "desde", "durante", "a", "al"}),
    "en": frozenset({"that", "and", "but", "or", "who", "which", "where", "when", "while", "as", "because", "if",
                     "after", "before", "since", "though", "although", "whether", "in", "on", "at", "to", "for",
                     "with", "without", "from", "by", "during", "about", "into", "than", "so", "what", "how",
                     "why", "whom", "whose", "it", "there", "this"}),
    "de": frozenset({"dass", "und", "aber", "oder", "der", "die", "das", "wer", "wo", "wenn", "als", "weil", "ob",
                     "während", "in", "im", "an", "am", "auf", "mit", "ohne", "für", "nach", "bei", "vor", "seit",
                     "von", "vom", "zu", "zum", "zur", "es"}),
    "it": frozenset({"che", "e", "ma", "o", "chi", "dove", "quando", "se", "come", "perché", "mentre", "in",
                     "con", "per", "su", "da", "a", "al", "nel", "nella", "dal"}),
    "pt": frozenset({"que", "e", "mas", "ou", "quem", "onde", "quando", "se", "como", "porque", "enquanto", "em",
                     "com", "por", "para", "sem", "sobre", "no", "na", "ao", "à"}),
}
# Prepositions: a name after one is not a subject (`emailed supporters on Monday, telling them`).
PREPOSITIONS: dict[str, frozenset[str]] = {
    "fr": frozenset({"dans", "en", "par", "pour", "avec", "sans", "sur", "sous", "après", "avant", "depuis", "pendant",
                     "à", "au", "aux", "de", "du", "des", "chez", "vers", "contre", "entre", "devant", "auprès", "lors"}),
    "es": frozenset({"en", "con", "por", "para", "sin", "sobre", "tras", "desde", "durante", "a", "al", "de", "del",
                     "hacia", "contra", "entre", "ante"}),
    "en": frozenset({"in", "on", "at", "to", "for", "with", "without", "from", "by", "during", "about", "into", "of",
                     "after", "before", "since", "over", "under", "against", "between", "through", "across"}),
    "de": frozenset({"in", "im", "an", "am", "auf", "mit", "ohne", "für", "nach", "bei", "vor", "seit", "von", "vom",
                     "zu", "zum", "zur", "gegen", "über", "unter", "durch", "aus"}),
    "it": frozenset({"in", "con", "per", "su", "da", "a", "al", "nel", "nella", "dal", "di", "del", "tra", "fra", "ai",
                     "agli", "alle", "alla", "allo", "dai", "dalla", "dalle", "nei", "negli", "nelle", "sui", "sul",
                     "sulla", "sulle", "col", "davanti"}),
    "pt": frozenset({"em", "com", "por", "para", "sem", "sobre", "no", "na", "ao", "à", "de", "do", "da", "entre", "aos",
                     "às", "nos", "nas", "pelo", "pela", "pelos", "pelas", "num", "numa", "perante"}),
}
# Languages whose verbs go without a subject pronoun (`«…», recalcó.`).
PRO_DROP = frozenset({"es", "it", "pt"})
# Particles of separable verbs that close the clause after the source (`„…“, fügte er hinzu`).
VERB_PARTICLES = {"de": frozenset({"hinzu", "mit", "an", "ein", "fest", "hervor", "aus", "zu", "vor", "bei"})}
# Prepositions that link the words of one name or description (`Département d’État`, `head of the FBI`).
NAME_LINKS = frozenset({"of", "de", "du", "des", "d’", "d'", "del", "von", "van", "di", "da", "do", "das", "dos", "della",
                        "dello", "delle", "degli", "dei", "der"})
# Complementisers: `said that …` (the reported clause follows).
COMPLEMENTISERS: dict[str, frozenset[str]] = {
    "fr": frozenset({"que", "qu’", "qu'"}),
    "es": frozenset({"que"}),
    "en": frozenset({"that"}),
    "de": frozenset({"dass"}),
    "it": frozenset({"che"}),
    "pt": frozenset({"que"}),
}
# Small words allowed inside a name or a description of a source (`Département d’État`, `head of the FBI`).
NAME_PARTICLES = frozenset({"de", "du", "des", "d’", "d'", "la", "le", "von", "van", "der", "den", "da", "di", "del",
                            "dos", "das", "bin", "al", "el", "y", "of", "the", "for", "and", "et", "e", "und",
                            "st", "jr", "mc", "ibn", "ben", "zu"})
ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "gov", "sen", "rep", "st", "jr", "sr", "gen", "col", "lt",
                           "sgt", "capt", "prof", "pres", "mt", "ft", "inc", "corp", "co", "ltd", "no", "vs",
                           "u.s", "u.k", "u.n", "d.c", "m", "mme", "mlle", "sra", "dña", "hr", "fr", "dt",
                           "a.m", "p.m", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "ca", "etc", "approx",
                           "ex", "e.g", "i.e"})

LANGUAGES = CUE_LANGUAGES

# --- quotation marks -----------------------------------------------------------------------

# Every mark that can open or close a quotation; straight single quotes are left out (apostrophes).
QUOTE_MARKS = "«»‹›“”„‟\"‘’‚"
CLOSERS_FOR = {
    "«": "»", "»": "«", "‹": "›", "›": "‹", "“": "”\"", "„": "“”", "‟": "”", "\"": "\"”“", "‘": "’", "‚": "‘’", "”": "”", "’": "’",
}
# The closing mark that goes with each opening mark in careful typography.
PAIRED_CLOSER = {"«": "»", "»": "«", "‹": "›", "›": "‹", "“": "”", "„": "“", "‟": "”", "\"": "\"", "‘": "’", "‚": "‘",
                 "”": "”", "’": "’"}
SPACES = " \u00a0\u202f\u2009\t"


@dataclass
class Quoted:
    """A quotation found in a paragraph: its marks and content in clean-text offsets."""

    open_start: int
    close_end: int  # after the closing mark (or the end of the paragraph when unclosed)
    start: int  # content
    end: int
    closed: bool


def _is_word_char(char: str) -> bool:
    return char.isalnum()


def find_quotations(text: str, start: int, end: int) -> list[Quoted]:
    """Top-level quotations in text[start:end] (one paragraph), nested ones left inside them."""
    stack: list[tuple[str, int]] = []
    found: list[Quoted] = []
    position = start
    while position < end:
        char = text[position]
        if char not in QUOTE_MARKS:
            position += 1
            continue
        before = text[position - 1] if position > start else " "
        after = text[position + 1] if position + 1 < end else " "
        glued_before = _is_word_char(before) or before in ".,;:!?…)"
        opens_word = _is_word_char(after) or after in SPACES and char in "«‹" or after in "¿¡(…[" or after in QUOTE_MARKS
        top = stack[-1][0] if stack else None
        role = None
        if char == "’" and _is_word_char(before) and _is_word_char(after):
            position += 1  # an apostrophe inside a word (I’m, l’État), never a quotation mark
            continue
        # A mark after a space and before a word opens a nested quotation, unless it is the same mark
        # as the open one used as its own closer (`"…" "…"`) … or the pair's closer typed the wrong way.
        starts_word = opens_word and not glued_before
        if top is not None and char in CLOSERS_FOR[top] and not (starts_word and (char == top or char != PAIRED_CLOSER[top])):
            role = "close"
        elif char in "«‹":
            # A guillemet glued to the word before and not followed by a word is a misplaced closer.
            role = "close" if glued_before and not _is_word_char(after) and stack else "open"
        elif char in "»›":
            role = "open" if _is_word_char(after) and not glued_before and top is None else "close"
        elif char in "„‚‟":
            role = "open"
        elif char == "“":
            role = "close" if glued_before and not _is_word_char(after) and stack else "open"
        elif char in "”\"":
            if stack and glued_before:
                role = "close"
            elif _is_word_char(after) and not glued_before:
                role = "open"
            else:
                role = "close"
        elif char == "‘":
            role = "open" if not _is_word_char(before) and (_is_word_char(after) or after in QUOTE_MARKS) else None
        elif char == "’":
            # An apostrophe between letters (don’t, l’État) or after a plural s is not a quote mark.
            role = "close" if top == "‘" and not (_is_word_char(after) and _is_word_char(before)) else None
        if role == "open" and before == "=":
            role = None  # markup: an attribute value (`datetime="2016-06-29"`), not a quotation
        if role == "open":
            stack.append((char, position))
        elif role == "close" and stack:
            # A misplaced opening mark used as a closer (`coopération« .`) closes like its pair.
            closing = {"«": "»", "‹": "›", "“": "”"}.get(char, char)
            depth = next((i for i in range(len(stack) - 1, -1, -1) if closing in CLOSERS_FOR.get(stack[i][0], stack[i][0]) or char in CLOSERS_FOR.get(stack[i][0], stack[i][0])), None)
            if depth is not None:
                opener = stack[depth]
                del stack[depth:]
                if depth == 0:
                    found.append(_quoted(text, opener[1], position + 1, closed=True))
        position += 1
    if stack:
        # An opener left open to the end of the paragraph: multi-paragraph quotes close only at their
        # last paragraph, so a paragraph that opens with a quotation mark is quoted to its end.
        mark, opened = stack[0]
        lead = text[start:opened].strip(SPACES + "-–—")
        if not lead or lead.endswith(":"):
            found.append(_quoted(text, opened, end, closed=False))
    # A quotation needs words: `"2016-06-29"` or `"672158412554289152"` are markup or codes.
    return [quote for quote in found if quote.end > quote.start and re.search(r"[^\W\d_]", text[quote.start:quote.end])]


def _quoted(text: str, open_start: int, close_end: int, closed: bool) -> Quoted:
    content_start = open_start + 1
    content_end = close_end - 1 if closed else close_end
    while content_start < content_end and text[content_start] in SPACES + "\n":
        content_start += 1
    while content_end > content_start and text[content_end - 1] in SPACES + "\n":
        content_end -= 1
    # The comma before a closing mark belongs to the sentence around the quote, not to the quote.
    while content_end > content_start and text[content_end - 1] in ",;:":
        content_end -= 1
    while content_end > content_start and text[content_end - 1] in SPACES:
        content_end -= 1
    return Quoted(open_start, close_end, content_start, content_end, closed)


# --- tokens ----------------------------------------------------------------------------------

TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., D.C.
    r"|(?i:qu|jusqu|lorsqu|puisqu|[dlsnmtjc]|dell|dall|nell|sull|all|un)[’'](?=\w)"  # French/Italian elision
    r"|\w+(?:[’'\-]\w+)*"
    r"|[«»‹›“”„‟\"‘’‚]"
    r"|[^\w\s]"
)


class Token(NamedTuple):
    # A named tuple: sentences are tokenised many times over and tuples are cheap to make.
    start: int
    end: int
    text: str
    lower: str

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper()


def tokenize(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.start(), m.end(), word, word.lower()) for m in TOKEN.finditer(text, start, end) for word in (m.group(),)]


# --- language lookups --------------------------------------------------------------------------

def _words(table: dict[str, frozenset[str]], language: str) -> frozenset[str]:
    if language in table:
        return table[language]
    return frozenset()


def is_cue(word: str, language: str) -> bool:
    """A form of a verb of speech (`said`, `a déclaré`, `dijo`), minus forms that are mostly nouns."""
    lower = word.lower()
    return lower in cue_forms(language) and lower not in NOT_CUES.get(language, ())


def is_cue_form(word: str, language: str) -> bool:
    """A form of a verb of speech, nouns-in-disguise included (`claims`, `la demande`)."""
    return word.lower() in cue_forms(language)


PARTICIPLE_ENDINGS = {
    "fr": ("é", "ée", "és", "ées", "i", "is", "it", "u", "us", "ue"),
    "es": ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas", "cho", "to"),
    "it": ("ato", "ata", "ati", "ate", "ito", "ita", "uto", "etto", "itto"),
    "pt": ("ado", "ada", "ados", "adas", "ido", "ida"),
}


def looks_like_participle(word: str, language: str) -> bool:
    endings = PARTICIPLE_ENDINGS.get(language)
    return bool(endings) and word.lower().endswith(endings)


# --- attributions ----------------------------------------------------------------------------

@dataclass
class Speaker:
    start: int  # clean offsets of the words that attribute (a name, a description, a pronoun)
    end: int
    name: str  # who: the name, the description, or what a pronoun resolves to
    is_pronoun: bool = False
    entity_id: str | None = None
    is_person_name: bool = False
    is_name: bool = False  # a proper name rather than a description


@dataclass
class Attribution:
    speaker: Speaker
    cue_start: int
    cue_end: int
    position: int  # where in the clean text the attribution stands (for "the nearest before")


@dataclass
class Paragraph:
    start: int
    end: int
    quotes: list[Quoted]
    sentences: list[tuple[int, int]] = field(default_factory=list)


class Reader:
    """Holds one document's clean text, languages and mentions while its quotes are read."""

    def __init__(self, document: Document, settings: QuoteSettings):
        self.document = document
        self.settings = settings
        self.text = document.clean_text
        self.default_language = document.language if document.language in LANGUAGES else "und"
        self._language_spans = self._languages()
        self.mentions = self._clean_mentions(document.mentions)
        self.history: list[Attribution] = []  # attributions seen so far, in text order

    # languages by position: the narrowest segment wins (fragment, then sentence, paragraph …)
    def _languages(self) -> list[tuple[int, int, str]]:
        spans = []
        rank = {"fragment": 0, "sentence": 1, "title": 2, "heading": 2, "paragraph": 3}
        for segment in sorted(self.document.segments, key=lambda s: rank.get(s.kind, 4), reverse=True):
            if segment.language in LANGUAGES:
                start, end = self.document.clean_span(segment.start, segment.end)
                spans.append((start, end, segment.language))
        return spans

    def language_at(self, position: int) -> str:
        found = self.default_language
        for start, end, language in self._language_spans:  # narrowest last, so it wins
            if start <= position < end:
                found = language
        return found if found in LANGUAGES else "en" if self.default_language == "und" else self.default_language

    def _clean_mentions(self, mentions: list[Mention]) -> list[tuple[int, int, Mention]]:
        out = []
        for mention in mentions:
            start, end = self.document.clean_span(mention.start, mention.end)
            if end > start:
                out.append((start, end, mention))
        out.sort(key=lambda item: item[0])
        return out

    def mention_in(self, start: int, end: int) -> tuple[int, int, Mention] | None:
        """The person or organisation mention inside (or overlapping) a speaker span, people first."""
        best = None
        for m_start, m_end, mention in self.mentions:
            if m_start >= end:
                break
            if m_end <= start:
                continue
            rank = {"PER": 0, "ORG": 1}.get(mention.type, 2)
            overlap = min(end, m_end) - max(start, m_start)
            key = (rank, -overlap)
            if best is None or key < best[0]:
                best = (key, (m_start, m_end, mention))
        return best[1] if best else None


# --- noun phrases of speakers ------------------------------------------------------------------

def _is_name_token(token: Token) -> bool:
    return token.capitalised and token.is_word or token.lower in NAME_PARTICLES


def _name_runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """Index ranges [i, j) of runs of capitalised words (particles allowed inside, not at the ends)."""
    runs = []
    i = 0
    while i < len(tokens):
        if tokens[i].capitalised and tokens[i].is_word:
            j = i + 1
            while j < len(tokens) and (_is_name_token(tokens[j]) or tokens[j].text in ".-"):
                j += 1
            while j > i + 1 and not (tokens[j - 1].capitalised and tokens[j - 1].is_word):
                j -= 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def speaker_from_phrase(reader: Reader, tokens: list[Token], language: str, sentence_start: int) -> Speaker | None:
    """A speaker from the tokens of a noun phrase: a pronoun, a name, or a description."""
    tokens = [t for t in tokens if t.text not in "«»“”„\"‘’‚‹›"]
    while tokens and not tokens[0].is_word:
        tokens = tokens[1:]
    while tokens and not tokens[-1].is_word and tokens[-1].text != ".":
        tokens = tokens[:-1]
    if not tokens or len(tokens) > reader.settings.max_speaker_words + 4:
        return None
    if any(t.text == "," for t in tokens):
        # An apposition: `Son conseiller, Youri Ouchakov` / `Ushakov, ayudante de Putin` /
        # `Allison Tant, the Florida Democratic Party chairwoman`: the part that names wins.
        parts, current = [], []
        for token in tokens:
            if token.text == ",":
                parts.append(current)
                current = []
            else:
                current.append(token)
        parts.append(current)
        speakers = [speaker_from_phrase(reader, part, language, sentence_start) for part in parts if part]
        speakers = [speaker for speaker in speakers if speaker is not None]
        named = [speaker for speaker in speakers if speaker.is_name]
        return named[0] if named else speakers[0] if speakers else None
    if len(tokens) == 1 and tokens[0].lower in PRONOUNS.get(language, ()):
        return resolve_pronoun(reader, tokens[0])
    words = [t for t in tokens if t.is_word]
    if not words:
        return None
    lowers = [t.lower for t in words]
    if lowers[0] in CLAUSE_OPENERS.get(language, ()) - DETERMINERS.get(language, frozenset()):
        return None
    if any(is_cue(t.text, language) for t in words if not t.capitalised):
        return None
    start, end = tokens[0].start, tokens[-1].end
    found = reader.mention_in(start, end)
    if found:
        m_start, m_end, mention = found
        if mention.type in ("PER", "ORG"):
            described = _is_description(tokens, language, sentence_start)
            if not described or mention.type == "PER":
                # Within the phrase: a mention that swallowed a word before it (`Per Julien Carrasco`) is cut.
                m_start, m_end = max(m_start, start), min(m_end, end)
                return Speaker(m_start, m_end, reader.text[m_start:m_end], entity_id=mention.entity_id,
                               is_person_name=mention.type == "PER", is_name=True)
            return Speaker(start, end, reader.text[start:end], entity_id=mention.entity_id)
    runs = [(i, j) for i, j in _name_runs(tokens) if not (tokens[i].start == sentence_start and j - i == 1 and tokens[i].lower in DETERMINERS.get(language, ()))]
    titled = [(i, j) for i, j in runs if j - i >= 2 and i > 0 and tokens[i - 1].is_word and not tokens[i - 1].capitalised
              and tokens[i - 1].lower not in NAME_PARTICLES and j == len(tokens)]
    if titled:
        # `la ministre Claire Dubois`, `el presidente Luis Ortega`: a title, then the name.
        i, j = titled[-1]
        s, e = tokens[i].start, tokens[j - 1].end
        return Speaker(s, e, reader.text[s:e], is_person_name=not _looks_organisation(tokens[i:j]), is_name=True)
    if runs and not _is_description(tokens, language, sentence_start):
        # A named source: the run nearest the head (English heads come last, Romance first is
        # usually the name after an apposition comma, handled by the caller splitting at commas).
        i, j = runs[-1]
        name_tokens = tokens[i:j]
        while name_tokens and name_tokens[0].lower in NAME_PARTICLES and not name_tokens[0].capitalised:
            name_tokens = name_tokens[1:]
        if name_tokens:
            s, e = name_tokens[0].start, name_tokens[-1].end
            return Speaker(s, e, reader.text[s:e], is_person_name=len(name_tokens) >= 2 and not _looks_organisation(name_tokens), is_name=True)
    if lowers[0] in DETERMINERS.get(language, ()) and len(words) >= 2:
        return Speaker(start, end, reader.text[start:end])
    if runs:
        return Speaker(start, end, reader.text[start:end])
    return None


ORGANISATION_WORDS = frozenset({"house", "department", "ministry", "party", "agency", "news", "times", "post",
                                "council", "committee", "office", "campaign", "university", "institute", "center",
                                "centre", "bank", "court", "union", "association", "département", "ministère",
                                "parti", "agence", "conseil", "comité", "bureau", "maison", "ministerio", "partido",
                                "agencia", "consejo", "ministerium", "partei", "agentur"})


def _looks_organisation(tokens: list[Token]) -> bool:
    return any(t.lower in ORGANISATION_WORDS for t in tokens)


def _is_description(tokens: list[Token], language: str, sentence_start: int) -> bool:
    """True when a phrase describes its source around a common noun (`les médias d’État
    nord-coréens`, `a White House spokesman`) rather than naming it."""
    words = [t for t in tokens if t.is_word]
    if not words:
        return False
    determiners = DETERMINERS.get(language, frozenset())
    lowercase_content = [t for t in words if not t.capitalised and t.lower not in determiners | NAME_PARTICLES]
    if not lowercase_content:
        return False
    if language == "en":
        return not words[-1].capitalised  # English heads come last: `a White House spokesman`
    # Romance and German heads come first: `les médias d’État`, `le Département d’État américain`.
    head = next((t for t in words if t.lower not in determiners), None)
    return head is not None and (not head.capitalised or words[0].lower in determiners)


def resolve_pronoun(reader: Reader, pronoun: Token) -> Speaker:
    """A pronoun speaks for the nearest earlier speaker (or person name) in the text; a person
    named in the same paragraph after that speaker's attribution is nearer (`Entre los desalojados
    está Claudia Behrens … «…», relata.`)."""
    last = next((a for a in reversed(reader.history) if a.position < pronoun.start), None)
    paragraph_start = reader.text.rfind("\n", 0, pronoun.start) + 1
    named = []
    for m_start, m_end, mention in reversed(reader.mentions):
        if m_end > pronoun.start or mention.type != "PER":
            continue
        if m_start < paragraph_start or last is not None and m_start <= last.position:
            break
        if last is not None and last.speaker.start <= m_start < last.speaker.end + 1:
            break  # the mention is that speaker's own name
        named.append((m_start, m_end, mention))
    if named:
        # A full name (`Claudia Behrens`) rather than a lone word a recogniser took for a person.
        m_start, m_end, mention = next((m for m in named if " " in reader.text[m[0]:m[1]]), named[0])
        return Speaker(pronoun.start, pronoun.end, reader.text[m_start:m_end], is_pronoun=True, entity_id=mention.entity_id)
    for attribution in reversed(reader.history):
        if attribution.position < pronoun.start and not attribution.speaker.is_pronoun and pronoun.start - attribution.position < 1500:
            speaker = attribution.speaker
            return Speaker(pronoun.start, pronoun.end, speaker.name, is_pronoun=True, entity_id=speaker.entity_id)
        if attribution.position < pronoun.start and attribution.speaker.is_pronoun and pronoun.start - attribution.position < 1500:
            speaker = attribution.speaker
            if speaker.name.lower() not in ALL_PRONOUNS:
                return Speaker(pronoun.start, pronoun.end, speaker.name, is_pronoun=True, entity_id=speaker.entity_id)
    # No earlier speaker: the nearest person mention or person-like name before it.
    for m_start, m_end, mention in reversed(reader.mentions):
        if m_end <= pronoun.start and mention.type == "PER" and pronoun.start - m_end < 1500:
            return Speaker(pronoun.start, pronoun.end, reader.text[m_start:m_end], is_pronoun=True, entity_id=mention.entity_id)
    return Speaker(pronoun.start, pronoun.end, pronoun.text, is_pronoun=True)


ALL_PRONOUNS = frozenset(word for words in PRONOUNS.values() for word in words)
# Pronouns for a document or an institution that speaks (`“…,” it read.`).
NEUTER_PRONOUNS = {"en": frozenset({"it"})}


def resolve_neuter(reader: Reader, pronoun: Token) -> Speaker:
    """`it` speaks for the nearest earlier source that is not a person (a statement, a report), if
    one is near; else it stays `it`."""
    for attribution in reversed(reader.history):
        distance = pronoun.start - attribution.position
        if 0 < distance < 600 and not attribution.speaker.is_pronoun and not attribution.speaker.is_person_name:
            return Speaker(pronoun.start, pronoun.end, attribution.speaker.name, is_pronoun=True,
                           entity_id=attribution.speaker.entity_id)
    return Speaker(pronoun.start, pronoun.end, pronoun.text, is_pronoun=True)


# --- finding the subject of a cue verb ---------------------------------------------------------

FRENCH_INVERSION = re.compile(r"^(?P<verb>\w+)-(?:t-)?(?P<pronoun>il|elle|ils|elles|on)$", re.IGNORECASE)


ADVERB_ENDINGS = {"en": "ly", "fr": "ment", "es": "mente", "it": "mente", "pt": "mente"}


ADVERB_NOUNS = frozenset({"gouvernement", "parlement", "département", "mouvement", "régiment", "document",
                          "monument", "moment", "armement", "commandement", "rassemblement", "établissement",
                          "argument", "segment", "élément", "jugement", "traitement", "financement", "lancement",
                          "changement", "événement", "évènement", "logement", "enseignement", "règlement",
                          "agrément", "paiement", "instrument", "supplément", "ligament", "sacrement", "testament",
                          "family", "rally", "ally", "assembly", "italy", "daily", "weekly", "monthly", "supply",
                          "mente", "parlamento", "documento", "momento", "movimiento", "gobierno", "elemento",
                          "regimento", "argumento", "instrumento", "segmento", "monumento", "armamento"})


def _is_adverb(token: Token, language: str) -> bool:
    ending = ADVERB_ENDINGS.get(language)
    return (bool(ending) and token.is_word and not token.capitalised and token.lower.endswith(ending)
            and len(token.lower) > len(ending) + 3 and token.lower not in ADVERB_NOUNS
            and not token.lower.endswith(("ements", "ments")))


def subject_before(reader: Reader, tokens: list[Token], cue_index: int, language: str, sentence_start: int) -> Speaker | None:
    """The subject noun phrase that stands before the cue at tokens[cue_index]."""
    auxiliaries = AUXILIARIES.get(language, frozenset())
    adverbs = ADVERBS.get(language, frozenset())
    i = cue_index - 1
    if i >= 0 and tokens[i].lower in NEUTER_PRONOUNS.get(language, ()) and (i == 0 or not tokens[i - 1].is_word):
        return resolve_neuter(reader, tokens[i])  # `“…,” it read.`
    for _ in range(3):  # at most two verbs in a row sharing one subject (`X a salué Y a promis`)
        while i >= 0 and (tokens[i].lower in auxiliaries or tokens[i].lower in adverbs or _is_adverb(tokens[i], language)):
            i -= 1
        if i < 0:
            return None
        phrase_end = i + 1
        phrase_start = _phrase_start(tokens, phrase_end, language)
        if phrase_start is None:
            return None
        phrase = tokens[phrase_start:phrase_end]
        # An object after a compound-tense verb (`a salué le « camarade » Kim`) is not the subject
        # of the next verb: the subject of both is before the first one.
        if (phrase and phrase[0].lower in DETERMINERS.get(language, ()) and phrase_start >= 2
                and tokens[phrase_start - 2].lower in auxiliaries and tokens[phrase_start - 1].is_word
                and not tokens[phrase_start - 1].capitalised):
            i = phrase_start - 3
            continue
        # `Youri Ouchakov, a déclaré` or `Trump, who …, said`: the subject is before the comma.
        if not phrase:
            return None
        return speaker_from_phrase(reader, phrase, language, sentence_start)
    return None


def _phrase_start(tokens: list[Token], phrase_end: int, language: str) -> int | None:
    """Walks back from phrase_end over a noun phrase; handles appositions between commas."""
    openers = CLAUSE_OPENERS.get(language, frozenset())
    determiners = DETERMINERS.get(language, frozenset())
    j = phrase_end - 1
    if tokens[j].text == ",":
        # `Son conseiller, Youri Ouchakov, a déclaré` / `Trump, who spoke …, said`: take the comma
        # segment before, skipping a relative clause.
        segments = _comma_segments_before(tokens, phrase_end)
        if len(segments) >= 2:
            # `Ushakov, ayudante de Putin, diciendo` / `Trump, the Republican nominee, said`: an
            # apposition that describes; the name before it is the subject.
            (near_start, near_end), (far_start, far_end) = segments[0], segments[1]
            near_first = tokens[near_start] if near_start < near_end else None
            if (near_first is not None and (not near_first.capitalised or near_first.lower in determiners)
                    and far_end > far_start and tokens[far_end - 1].capitalised and tokens[far_end - 1].is_word):
                k = far_end - 1
                while k > far_start and (_is_name_token(tokens[k - 1]) and tokens[k - 1].capitalised or tokens[k - 1].text in ".-"):
                    k -= 1
                return k
        for seg_start, seg_end in segments:
            first = tokens[seg_start].lower if seg_start < seg_end else ""
            if first in ("who", "qui", "which", "que", "quien", "quienes", "der", "die", "das", "dont", "whose", "che"):
                continue
            if seg_end - seg_start > 12 or seg_end == seg_start:
                return None
            inner = _phrase_start(tokens, seg_end, language)
            return inner
        return None
    count = 0
    while j >= 0:
        token = tokens[j]
        if token.text in ".;:!?()[]—–" or token.text in "«“„\"" and j < phrase_end - 1 and not _quoted_term_inside(tokens, j, phrase_end):
            break
        if token.text == ",":
            break
        if token.is_word and token.lower in openers and token.lower not in determiners and not _joins_names(tokens, j, phrase_end, determiners):
            break
        if token.is_word and not token.capitalised and is_cue(token.text, language) and j < phrase_end - 1:
            break
        count += 1
        if count > 14:
            return None
        j -= 1
    start = j + 1
    if start >= phrase_end:
        return None
    # Keep the last phrase that starts after a content word (`au cours d’une conférence le ministre`).
    best = start
    for k in range(start + 1, phrase_end):
        token, previous = tokens[k], tokens[k - 1]
        starts_phrase = (token.lower in determiners or token.capitalised and token.is_word) and token.lower not in ("du", "des", "de", "del", "dos", "das", "do", "da", "of", "d’", "d'", "della", "dei", "degli")
        previous_is_content = previous.is_word and previous.lower not in determiners and previous.lower not in NAME_PARTICLES and not previous.capitalised
        if starts_phrase and previous_is_content and not (token.capitalised and previous.capitalised):
            best = k
    return best


def _joins_names(tokens: list[Token], j: int, phrase_end: int, determiners: frozenset[str]) -> bool:
    """`La Russie et la Chine`, `Moscou et Pyongyang`: a conjunction or particle between names."""
    if tokens[j].lower not in NAME_PARTICLES or j == 0 or not tokens[j - 1].capitalised:
        return False
    k = j + 1
    if k < phrase_end and tokens[k].lower in determiners:
        k += 1
    return k < phrase_end and tokens[k].capitalised and tokens[k].is_word


def _quoted_term_inside(tokens: list[Token], index: int, phrase_end: int) -> bool:
    """True when the mark at tokens[index] opens a short quoted term inside the phrase."""
    for k in range(index + 1, min(phrase_end, index + 7)):
        if tokens[k].text in "»”“\"":
            return True
    return False


def _comma_segments_before(tokens: list[Token], phrase_end: int) -> list[tuple[int, int]]:
    """Comma-separated segments before tokens[phrase_end - 1] (a comma), nearest first."""
    segments = []
    end = phrase_end - 1
    k = end - 1
    while k >= 0 and len(segments) < 4:
        if tokens[k].text in ",":
            segments.append((k + 1, end))
            end = k
        elif tokens[k].text in ".;:!?«“„":
            break
        k -= 1
    segments.append((k + 1, end))
    return segments


def speaker_after(reader: Reader, tokens: list[Token], start_index: int, language: str, sentence_start: int) -> Speaker | None:
    """The source named right after a cue (`a déclaré Poutine dans …`, `said Allison Tant, the …`)."""
    openers = CLAUSE_OPENERS.get(language, frozenset())
    end = start_index
    while end < len(tokens) and end - start_index < reader.settings.max_speaker_words:
        token = tokens[end]
        if not token.is_word and token.text not in ".-’'":
            break
        if token.text == "." and not (end > start_index and tokens[end - 1].lower in ABBREVIATIONS):
            break
        if (token.is_word and not token.capitalised and token.lower not in NAME_LINKS
                and (token.lower in openers and token.lower not in DETERMINERS.get(language, ())
                     or token.lower in PREPOSITIONS.get(language, ()))):
            break  # `ha detto il giocatore ai canali del club`: the source ends before `ai`
        if token.is_word and not token.capitalised and is_cue(token.text, language):
            break
        if token.is_word and not token.capitalised and (token.lower in ADVERBS.get(language, ()) or _is_adverb(token, language)
                                                        or token.lower in VERB_PARTICLES.get(language, ())):
            break  # `fügte er hinzu`: the particle of a separable verb ends the source
        end += 1
    if end == start_index:
        return None
    return speaker_from_phrase(reader, tokens[start_index:end], language, sentence_start)


def _match_words(tokens: list[Token], index: int, words: tuple[str, ...]) -> bool:
    if index + len(words) > len(tokens):
        return False
    return all(tokens[index + k].lower == word for k, word in enumerate(words))


SOURCE_PREPOSITION_STARTS = {language: frozenset(words[0] for words in table)
                             for language, table in SOURCE_PREPOSITIONS.items()}


def source_preposition_at(tokens: list[Token], index: int, language: str) -> int:
    """Length in tokens of a `selon` / `according to` source preposition at index, or 0."""
    if tokens[index].lower not in SOURCE_PREPOSITION_STARTS.get(language, ()):
        return 0
    for words in SOURCE_PREPOSITIONS[language]:
        if _match_words(tokens, index, words):
            return len(words)
    return 0


def cue_at(tokens: list[Token], index: int, language: str, after_quote: bool = False) -> tuple[int, int, Token | None] | None:
    """A verb cue at tokens[index]: (first token, last token, inverted pronoun token or None).
    ``after_quote``: in the attribution that follows a quotation, where forms that are mostly nouns
    elsewhere are verbs (`“…,” the statement read`, `“…,” Viguerie notes`)."""
    token = tokens[index]
    lower = token.lower
    if lower not in cue_candidates(language) and not (language == "fr" and "-" in lower):
        return None  # most words: not a form of a speech verb
    if not token.is_word or token.capitalised and index > 0:
        return None
    inversion = FRENCH_INVERSION.match(token.text) if language == "fr" else None
    if inversion:
        verb = inversion.group("verb").lower()
        pronoun = Token(token.end - len(inversion.group("pronoun")), token.end, inversion.group("pronoun"), inversion.group("pronoun").lower())
        # `a-t-il écrit`, `réplique-t-elle`: the inversion makes it a verb, whatever else the form can be.
        if verb in AUXILIARIES["fr"] and index + 1 < len(tokens) and is_cue_form(tokens[index + 1].text, language):
            return index, index + 1, pronoun
        if is_cue_form(verb, language):
            return index, index, pronoun
        return None
    following = tokens[index + 1].text if index + 1 < len(tokens) else ""
    if following.lower() == particle_cue(token.lower, language):
        return index, index + 1, None  # `pointed out`, `went on`, `shot back`
    if not is_cue(token.text, language):
        # Words that are mostly nouns (`claims`, `notes`) are cues right before what they report,
        # and in the attribution that follows a quotation.
        if not (after_quote or token.lower in NOT_CUES.get(language, ()) and following in ("\"Q\"", ":")):
            return None
        if not is_cue_form(token.text, language):
            return None
    if looks_like_participle(token.text, language) and language in ("fr", "es", "it", "pt"):
        # A participle without its auxiliary is an adjective (`l’article publié en première page`).
        k = index - 1
        while k >= 0 and tokens[k].lower in ADVERBS.get(language, ()):
            k -= 1
        if k < 0 or tokens[k].lower not in AUXILIARIES.get(language, ()):
            return None
    if language == "en" and token.lower.endswith("ing") and index > 0 and tokens[index - 1].lower in ("the", "a", "his", "her", "their"):
        return None
    return index, index, None


# --- the step --------------------------------------------------------------------------------

class QuoteFinder(DocumentStep):
    name = "quotes"

    def __init__(self, settings: QuoteSettings | None = None):
        self.settings = settings or QuoteSettings()

    def process(self, document: Document) -> None:
        document.quotes = find_quotes(document, self.settings)


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group().strip():
            spans.append((match.start(), match.end()))
    return spans


SENTENCE_PUNCTUATION = re.compile(r"[.!?…]+")


def _after_sentence_end(text: str, position: int, end: int) -> int:
    """Skips the closing marks and brackets glued to a sentence's final punctuation
    (`agressif. »`, `Money.’`, `55.”`), then spaces; an opening mark after a space is left."""
    while position < end:
        char = text[position]
        if char in "»›”“\"’)]":
            position += 1
        elif char in SPACES and position + 1 < end and text[position + 1] in "»›":
            position += 2
        else:
            break
    while position < end and text[position] in SPACES:
        position += 1
    return position


def sentences_of(text: str, start: int, end: int, quotes: list[Quoted]) -> list[tuple[int, int]]:
    """Sentence spans in a paragraph; a sentence ends inside a quotation only at its closing mark."""
    inside = [(q.open_start + 1, q.close_end - 1 if q.closed else q.close_end) for q in quotes]
    sentences = []
    current = start
    for match in SENTENCE_PUNCTUATION.finditer(text, start, end):
        punct = match.start()
        stop = _after_sentence_end(text, match.end(), end)
        if stop >= end or stop == match.end():
            continue
        following = text[stop]
        if not (following.isupper() or following.isdigit() or following in "«“„\"¿¡‘"):
            continue
        word = re.search(r"([\w.]+)$", text[current:punct])
        if text[punct] == "." and word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or len(word.group(1)) == 1 and word.group(1).isupper()):
            continue
        # Inside a quotation, a sentence ends only where the quotation closes with it.
        enclosing = next(((a, b) for a, b in inside if a <= punct < b), None)
        if enclosing and stop < enclosing[1] + 1:
            continue
        boundary = stop
        while boundary > punct and text[boundary - 1] in SPACES:
            boundary -= 1
        sentences.append((current, boundary))
        current = stop
    if current < end:
        sentences.append((current, end))
    return [(a, b) for a, b in sentences if text[a:b].strip()]


def find_quotes(document: Document, settings: QuoteSettings) -> list[Quote]:
    reader = Reader(document, settings)
    text = reader.text
    paragraphs: list[Paragraph] = []
    for start, end in paragraphs_of(text):
        quotes = find_quotations(text, start, end)
        paragraph = Paragraph(start, end, quotes)
        paragraph.sentences = sentences_of(text, start, end, quotes)
        paragraphs.append(paragraph)

    results: list[tuple[Quoted, str, Attribution | None, str]] = []
    embedded: set[int] = set()  # quotations that are part of a clause of the reporter's (partial)

    previous_paragraphs: list[Attribution | None] = []
    for paragraph in paragraphs:
        paragraph_attributions: list[Attribution] = []
        last_quote_attribution: Attribution | None = None
        for number, (sentence_start, sentence_end) in enumerate(paragraph.sentences):
            language = reader.language_at(sentence_start)
            tokens = tokenize(text, sentence_start, sentence_end)
            sentence_quotes = [q for q in paragraph.quotes if sentence_start <= q.open_start < sentence_end]
            masked = _mask_quotes(tokens, sentence_quotes)
            # Attribution clauses of the sentence outside its quotations (for context and pronouns).
            clauses = attribution_clauses(reader, masked, language, sentence_start)
            pending_context: list[tuple[Quoted, str]] = []
            for quoted in sentence_quotes:
                index = _quote_index(masked, quoted)
                if (is_embedded(masked, index, language) or completes_reporters_sentence(reader, quoted, masked, index, language)
                        or reporters_sentence_goes_on(reader, masked, index, language, sentence_start)):
                    embedded.add(quoted.open_start)
                kind, attribution = attribute(reader, quoted, masked, tokens, sentence_quotes, language, sentence_start, sentence_end)
                if kind == "statement" and attribution is None and quoted.close_end >= sentence_end - 1 and number + 1 < len(paragraph.sentences):
                    # `“… missing.” Trump said.`: the attribution was split off as a sentence of its own.
                    attribution = short_attribution_sentence(reader, *paragraph.sentences[number + 1],
                                                             after_question=quoted.end > quoted.start and text[quoted.end - 1] in "?!")
                if kind == "statement" and attribution is None:
                    pending_context.append((quoted, language))
                    continue
                if attribution:
                    reader.history.append(attribution)
                    if kind == "statement":
                        last_quote_attribution = attribution
                results.append((quoted, kind, attribution, language))
            for clause in clauses:
                if not any(a is clause for a in reader.history):
                    reader.history.append(clause)
            reader.history.sort(key=lambda a: a.position)
            for quoted, quote_language in pending_context:
                attribution = context_attribution(reader, quoted, last_quote_attribution, clauses, paragraph_attributions, previous_paragraphs, settings)
                if attribution:
                    last_quote_attribution = attribution
                results.append((quoted, "statement", attribution, quote_language))
            paragraph_attributions.extend(clauses)
            if settings.find_indirect:
                for indirect in indirect_speech(reader, masked, tokens, sentence_quotes, language, sentence_start, sentence_end):
                    results.append(indirect)
        previous_paragraphs.append(last_quote_attribution or (paragraph_attributions[-1] if paragraph_attributions else None))

    quotes = []
    for quoted, kind, attribution, language in sorted(results, key=lambda r: r[0].start):
        if kind == "term" and not settings.find_terms:
            continue
        if kind == "statement" and quoted.open_start in embedded:
            kind = "partial"
        quotes.append(_to_quote(document, reader, quoted, kind, attribution, language))
    return quotes


def is_embedded(masked: list[Token], index: int, language: str) -> bool:
    """A quotation inside the reporter's own clause (`a déclaré qu’il était « à peu près sûr »`,
    `said the plan was “a disaster”`): a partial quotation, not the speaker's whole statement.
    Right after a cue (`said “…”`), a colon or a comma, or at the start, it is a statement."""
    previous = masked[index - 1] if index > 0 else None
    if previous is None or not previous.is_word:
        return False
    return not is_cue(previous.text, language)


def completes_reporters_sentence(reader: Reader, quoted: Quoted, masked: list[Token], index: int, language: str) -> bool:
    """A quotation that starts in lower case after the reporter's own words finishes the reporter's
    sentence (`An economic downturn, he said, “could be a good time …”`, `Ryan said it is unrealistic
    to think that if the U.S. pulls back, “our oceans …”`, `in her words, “he knows how”`): a partial
    quotation. It is a statement when only an attribution leads to it (`He added, “actually, …”`,
    `Trump says “the whole game …”`, `“Everything …,” the judge exclaimed, “has totally overlapped.”`)."""
    letter = re.search(r"[^\W\d_]", reader.text[quoted.start:quoted.end])
    if letter is None or not letter.group().islower():
        return False
    k = index - 1
    while k >= 0 and masked[k].text in ",:;—–-":
        k -= 1
    if k < 0:
        return False  # the sentence opens with the quotation
    punctuated = masked[index - 1].text in ",:;—–-"
    openers = CLAUSE_OPENERS.get(language, frozenset())
    # The nearest cue before, with at most its speaker or its object between it and the quotation.
    cue = None
    for c in range(k, max(-1, k - 9), -1):
        if masked[c].text == "\"Q\"":
            return c > 0  # after another quotation: the second half of one split by its attribution
        if masked[c].lower in COMPLEMENTISERS.get(language, ()):
            return True
        if cue_at(masked, c, language):
            cue = c
            break
    if cue is None:
        # No cue near: the second half of a quotation split by a long attribution (`“The risk,” said
        # X, an economist who …, “is that …”`), or after one word of the reporter's (`Yet, “it is
        # hard …,” added Zarate`), is a statement; after more, the end of the reporter's sentence.
        return masked[0].text != "\"Q\"" and sum(1 for t in masked[:index] if t.is_word) > 1
    if cue < k and not punctuated:
        return True  # `says she respects Sanders’ “passion and commitment”`
    if not punctuated or masked[cue].lower.endswith(GERUND_ENDINGS.get(language, ("\0",))):
        return False  # `Trump says “the whole game …”`, `…, saying, “the advice I give …”`
    # An attribution set between commas after the reporter's own subject (`That, the commission
    # said, “would be helpful”`) leaves the quotation to finish the reporter's sentence; not after
    # an adverbial or one word (`At the same time, the person added, “you saw …”`, `Still, she added`).
    start = cue
    while start > 0 and cue - start < 8 and masked[start - 1].is_word and masked[start - 1].lower not in openers:
        start -= 1
    if start == 0 or masked[start - 1].text != ",":
        return False
    lead = [t for t in masked[:start - 1] if t.is_word or t.text == "\"Q\""]
    if len(lead) <= 1 or "\"Q\"" in (lead[0].text, masked[start - 2].text) or lead[0].lower in openers:
        return False
    return True


def reporters_sentence_goes_on(reader: Reader, masked: list[Token], index: int, language: str, sentence_start: int) -> bool:
    """The reporter's sentence goes on after the quotation (`Sanders says “the wind is at our backs”
    despite his loss`, `“…” for second place`): the quotation is part of it, a partial one. Not when
    an attribution follows (`“Out!” the crowd yelled`)."""
    following = masked[index + 1] if index + 1 < len(masked) else None
    if following is None or not following.is_word or following.capitalised:
        return False
    if index == 0 or "," in reader.text[masked[index].start:masked[index].end][-3:]:
        return False  # `“…,” read the email`: a quotation that opens the sentence, or an attribution after `,”`
    return attribution_after(reader, masked, index, language, sentence_start) is None


def short_attribution_sentence(reader: Reader, start: int, end: int, after_question: bool = False) -> Attribution | None:
    """An attribution standing alone after a quotation: `Trump said.`, `a-t-il ajouté.`; after a
    question or an exclamation it can go on (`“Who knows?” Trump told ITV in an interview aired …`),
    after a full stop a longer sentence is a sentence of its own (`She cautioned that …`)."""
    language = reader.language_at(start)
    tokens = tokenize(reader.text, start, end)
    if len(tokens) > (40 if after_question else 12) or any(t.text in QUOTE_MARKS for t in tokens):
        return None
    found = attribution_after(reader, tokens, -1, language, start)
    if found is None or found[1] > 6:
        return None
    following = tokens[found[1] + 1] if found[1] + 1 < len(tokens) else None
    if following is not None and following.lower in COMPLEMENTISERS.get(language, ()):
        return None  # `He said that …`: reported speech of its own
    return found[0]


def _mask_quotes(tokens: list[Token], quotes: list[Quoted]) -> list[Token]:
    """The sentence's tokens with each quotation replaced by one placeholder token `"Q"`."""
    masked = []
    for token in tokens:
        inside = next((q for q in quotes if q.open_start <= token.start < q.close_end), None)
        if inside is None:
            masked.append(token)
        elif token.start == inside.open_start:
            masked.append(Token(inside.open_start, inside.close_end, "\"Q\"", "\"q\""))
    return masked


def _quote_index(masked: list[Token], quoted: Quoted) -> int:
    return next(i for i, t in enumerate(masked) if t.start == quoted.open_start and t.text == "\"Q\"")


def _is_term(reader: Reader, quoted: Quoted, masked: list[Token], index: int, language: str) -> bool:
    """A short verbless quoted phrase used as a noun or a name (`le « camarade » Kim`)."""
    content = reader.text[quoted.start:quoted.end]
    words = re.findall(r"\w+", content)
    several_sentences = re.search(r"[.!?…]\s+\w", content) is not None
    outside = [t.text for t in masked if t.is_word]
    headline = all(w[0].isupper() for w in outside if len(w) > 3 and not w.isdigit())
    if not several_sentences and _is_title(re.findall(r"\w+(?:['’]\w+)*", content)) and not headline:
        return True  # a title in a sentence that is not itself a headline: `on “Meet the Press.”`
    if names_a_work(reader, quoted, masked, index, language):
        return True
    if re.search(r"[.!?…]$", content) and len(words) >= 2:
        return False  # a sentence of its own: `“Too many.”`
    previous = masked[index - 1] if index > 0 else None
    after_determiner = previous is not None and previous.lower in DETERMINERS.get(language, ())
    # A noun phrase after a determiner names something (`un « traité de partenariat stratégique
    # global »`), up to a few words more than a bare term.
    if after_determiner and len(words) <= reader.settings.max_term_words + 2:
        return True
    if len(words) > reader.settings.max_term_words:
        return False
    if previous is not None and previous.lower in ("of", "as", "comme", "como", "als", "called", "dubbed"):
        return True
    return None  # undecided: a term unless something attributes it as words spoken


# Small words left in lower case inside a title (`Meet the Press`, `Crippled America: How to Make …`).
TITLE_SMALL_WORDS = frozenset("""a an the of in on at to for and or but nor by with from as vs via per into onto
    de du des la le les et en à au aux el los las del y e o por para con di da dei il lo gli und der die das den dem
    von vom zu zum im am""".split())


def _is_title(words: list[str]) -> bool:
    """Title Case: two to ten words, all capitalised but the small ones (`Meet the Press`, `13 Hours:
    The Secret Soldiers of Benghazi`); `I'm a big fan of Elizabeth Warren` is not one."""
    if not 2 <= len(words) <= 10 or not (words[0][0].isupper() or words[0].isdigit()):
        return False
    return all(w[0].isupper() or w.isdigit() or w.lower() in TITLE_SMALL_WORDS for w in words)


# Nouns for works that are named by their title in quotation marks (`his new book, “…”`).
WORK_NOUNS = frozenset("""book novel memoir film movie documentary song album show series column op-ed editorial essay
    article headline poem play musical titled entitled livre roman film chanson émission série article intitulé
    intitulée libro novela película canción programa serie artículo titulado titulada columna buch roman film
    lied sendung serie artikel titel kolumne betitelt libro romanzo canzone programma articolo intitolato
    livro romance filme canção programa artigo intitulado""".split())
PUBLICATION_SITE = re.compile(r"\s*[(,]?\s*\w[\w.-]*\.(?:com|org|net)\b")


def names_a_work(reader: Reader, quoted: Quoted, masked: list[Token], index: int, language: str) -> bool:
    """The title of a work rather than words spoken: after a noun for a work (`Trump's new book,
    “Crippled America …”`), or cited with its author or site (`“The Living Room to close,” by
    Times' Ben Sisario`, `(“Romney blasts Trump …,” USATODAY.com, Thursday)`)."""
    previous = [t for t in masked[max(0, index - 2):index]]
    if previous and previous[-1].text == ",":
        previous = previous[:-1]
    if previous and previous[-1].lower in WORK_NOUNS:
        return True
    following = masked[index + 1:index + 3]
    if len(following) == 2 and following[0].lower == "by" and following[1].capitalised:
        return True
    return bool(PUBLICATION_SITE.match(reader.text, quoted.close_end))


def attribute(reader: Reader, quoted: Quoted, masked: list[Token], tokens: list[Token], sentence_quotes: list[Quoted],
              language: str, sentence_start: int, sentence_end: int) -> tuple[str, Attribution | None]:
    index = _quote_index(masked, quoted)
    term = _is_term(reader, quoted, masked, index, language)
    if term is True:
        return "term", None
    after = attribution_after(reader, masked, index, language, sentence_start)
    before = attribution_before(reader, masked, index, language, sentence_start)
    # An attribution that follows the quotation at once (`“…,” said X`, `“…,” Senator Jane Miller notes`).
    following_words = [t for t in masked[index + 1:index + 6] if t.text not in ",—–-"]
    tight_after = after is not None and (after[1] <= index + 3 or len(following_words) >= 3 and min(
        after[0].speaker.start, after[0].cue_start) <= following_words[2].start)
    chosen = after[0] if tight_after else before if before is not None else after[0] if after else None
    if term is None and chosen is None:
        return "term", None
    if term is None and not tight_after:
        # A short verbless phrase under a cue further away is a term unless it ends the clause
        # the cue governs (`a déclaré qu’il était « à peu près sûr »`).
        following = masked[index + 1] if index + 1 < len(masked) else None
        if following is not None and following.is_word and not following.lower in COMPLEMENTISERS.get(language, ()):
            if following.lower not in CLAUSE_OPENERS.get(language, ()):
                return "term", None
    return "statement", chosen


GERUND_ENDINGS = {"en": ("ing",), "es": ("ando", "iendo"), "it": ("ando", "endo"), "pt": ("ando", "endo", "indo"), "fr": ("ant",)}
INFINITIVE_MARKERS = frozenset({"to", "de", "d’", "d'", "zu", "a", "di"})
COORDINATORS = frozenset({"and", "et", "y", "e", "und", "then", "puis", "luego", "dann", "poi", "depois"})


def cue_speaker(reader: Reader, masked: list[Token], first_cue: int, last_cue: int, inverted: Token | None,
                language: str, sentence_start: int, stop: int | None = None) -> Speaker | None:
    """Who speaks through the cue at masked[first_cue:last_cue + 1]."""
    if inverted is not None:
        return resolve_pronoun(reader, inverted)
    cue_word = masked[first_cue].lower
    before = first_cue - 1
    while before >= 0 and (masked[before].lower in ADVERBS.get(language, ()) or _is_adverb(masked[before], language)
                           or masked[before].lower in AUXILIARIES.get(language, ())):
        before -= 1
    gerund = cue_word.endswith(GERUND_ENDINGS.get(language, ("\0",))) and not masked[first_cue].capitalised
    if gerund and (before < 0 or masked[before].text == "," or masked[before].lower in ("en", "by", "while", "after")):
        # `…, saying “…”` / `en déclarant` / `diciendo`: the subject of the clause speaks.
        speaker = clause_subject(reader, masked, first_cue, language, sentence_start)
        if speaker is not None:
            return speaker
    speaker = subject_before(reader, masked, first_cue, language, sentence_start)
    if speaker is not None:
        return speaker
    if before >= 0 and (masked[before].lower in COORDINATORS or masked[before].text == "," or masked[before].lower in INFINITIVE_MARKERS):
        speaker = clause_subject(reader, masked, first_cue, language, sentence_start)
        if speaker is not None:
            return speaker
    if before < 0 or masked[before].text == ",":
        # Inversion: `Said Dorothy Poynter, …: “…”`, `…, a déclaré Victor Cha`.
        return speaker_after(reader, masked[:stop] if stop else masked, last_cue + 1, language, sentence_start)
    return None


def clause_subject(reader: Reader, masked: list[Token], cue_index: int, language: str, sentence_start: int) -> Speaker | None:
    """The nearest earlier subject in the sentence: a subject pronoun, or a name that opens a
    clause (after the sentence start, a comma or a conjunction) and is followed by a verb."""
    pronouns = PRONOUNS.get(language, frozenset())
    openers = CLAUSE_OPENERS.get(language, frozenset())
    k = cue_index - 1
    while k >= 0:
        token = masked[k]
        if token.lower in pronouns and (k == 0 or not masked[k - 1].capitalised):
            return resolve_pronoun(reader, token)
        if token.capitalised and token.is_word and k + 1 < cue_index and not _is_name_token(masked[k + 1]):
            following = masked[k + 1]
            start = k
            while start > 0 and (_is_name_token(masked[start - 1]) or masked[start - 1].text in ".-") and masked[start - 1].text != ",":
                start -= 1
            while start < k and not masked[start].capitalised:
                start += 1
            opener = start == 0 or masked[start - 1].text in ",;:—" or masked[start - 1].lower in openers
            if start > 0 and masked[start - 1].lower in PREPOSITIONS.get(language, ()) or token.lower in ADVERBS.get(language, ()):
                opener = False  # `on Monday evening, telling them`: not a subject
            if following.text == "(":
                closing = next((m for m in range(k + 1, cue_index) if masked[m].text == ")"), None)
                following = masked[closing + 1] if closing is not None and closing + 1 < cue_index else following
            if opener and following.is_word and not following.capitalised and following.lower not in openers:
                return speaker_from_phrase(reader, masked[start:k + 1], language, sentence_start)
            k = start
        k -= 1
    return None


def attribution_after(reader: Reader, masked: list[Token], index: int, language: str, sentence_start: int) -> tuple[Attribution, int] | None:
    """`« … », a déclaré Poutine` / `“…,” Trump said` / `“…” he said` / `„…“, so der Minister`."""
    i = index + 1
    while i < len(masked) and masked[i].text in ",—–-":
        i += 1
    if i >= len(masked):
        return None
    first = masked[i]
    # Source preposition right after the quotation (`“…,” according to X`, `„…“, so X`).
    length = source_preposition_at(masked, i, language)
    if not length and POST_QUOTE_SO.get(language) == first.lower:
        length = 1
    if length:
        speaker = speaker_after(reader, masked, i + length, language, sentence_start)
        if speaker:
            return Attribution(speaker, first.start, masked[i + length - 1].end, first.start), i
    # Cue first, speaker after (inversion): `a déclaré Poutine`, `said Allison Tant`, `sagte er`.
    k = i
    while k < len(masked) and k < i + 3 and (masked[k].lower in AUXILIARIES.get(language, ()) or masked[k].lower in ADVERBS.get(language, ()) or _is_adverb(masked[k], language)):
        k += 1
    if k < len(masked):
        cue = cue_at(masked, k, language, after_quote=True)
        if cue and (k == i or masked[i].lower in AUXILIARIES.get(language, ())):
            first_cue, last_cue, inverted = cue
            if inverted is not None:
                speaker = resolve_pronoun(reader, inverted)
            else:
                speaker = speaker_after(reader, masked, last_cue + 1, language, sentence_start)
            if speaker is None and language in PRO_DROP and (last_cue + 1 == len(masked) or not masked[last_cue + 1].is_word):
                # `«Lo prometimos», recalcó.`: the subject is in the verb; the speaker is the one before.
                speaker = resolve_pronoun(reader, masked[last_cue])
            if speaker:
                return Attribution(speaker, masked[i].start, masked[last_cue].end, masked[i].start), k
    # Speaker first, then the cue: `Trump said`, `one Clinton aide said`, `Sanders insisted`,
    # `Rep. Earl Blumenauer (D-Ore.) said`, `Fred Kagan, director of … Institute, said`.
    limit = i + reader.settings.max_speaker_words + 2
    k = i
    while k + 1 < min(len(masked), limit):
        k += 1
        token = masked[k]
        if token.text == "(":
            closing = next((m for m in range(k + 1, min(len(masked), k + 8)) if masked[m].text == ")"), None)
            if closing is None:
                break
            limit += closing - k + 1
            k = closing
            continue
        if token.text == "," and limit - k < 16:
            limit = k + 16  # an apposition between commas after the name
        if token.text == "." and (masked[k - 1].lower in ABBREVIATIONS or len(masked[k - 1].text) == 1 and masked[k - 1].capitalised):
            continue
        if token.text in ".;:!?" or token.text == "\"Q\"":
            break
        cue = cue_at(masked, k, language, after_quote=True)
        if cue:
            first_cue, last_cue, inverted = cue
            speaker = subject_before(reader, masked[i:first_cue + 1], first_cue - i, language, sentence_start)
            if speaker and speaker.start >= masked[i].start:
                return Attribution(speaker, masked[first_cue].start, masked[last_cue].end, masked[first_cue].start), k
            break
    return None


def attribution_before(reader: Reader, masked: list[Token], index: int, language: str, sentence_start: int) -> Attribution | None:
    """`X said: “…”`, `X a déclaré qu’il était « … »`, `Selon X, « … »`, `CNN President: ‘…’`."""
    lower_bound = 0
    for k in range(index - 1, -1, -1):
        if masked[k].text == "\"Q\"" or masked[k].text in ";":
            lower_bound = k + 1
            break
    for k in range(index - 1, lower_bound - 1, -1):
        length = source_preposition_at(masked, k, language)
        if length:
            nxt = k + length
            if nxt < len(masked) and masked[nxt].lower in RELATIVE_SOURCE_WORDS:
                # `les accusations selon lesquelles …`: the source is the noun phrase before.
                speaker = _nearest_noun_phrase(reader, masked, k, language, sentence_start)
                if speaker:
                    return Attribution(speaker, masked[k].start, masked[nxt].end, masked[k].start)
                continue
            # The source must end before the quotation: `Selon X, « … »`.
            stop = next((m for m in range(nxt, index) if masked[m].text in ",:"), index)
            speaker = speaker_after(reader, masked[:stop], nxt, language, sentence_start)
            if speaker:
                return Attribution(speaker, masked[k].start, masked[nxt - 1].end, masked[k].start)
        cue = cue_at(masked, k, language)
        if cue:
            first_cue, last_cue, inverted = cue
            speaker = cue_speaker(reader, masked, first_cue, last_cue, inverted, language, sentence_start, stop=index)
            if speaker:
                return Attribution(speaker, masked[first_cue].start, masked[last_cue].end, masked[first_cue].start)
    # `Pour Julien Carrasco, chercheur à …, l’accord « … »`: a named source opening the sentence.
    if masked and masked[0].lower in VIEWPOINT_PREPOSITIONS.get(language, ()) and index > 2:
        comma = next((m for m in range(1, index) if masked[m].text == ","), None)
        if (comma is not None and comma <= reader.settings.max_speaker_words + 1
                and not any(t.text in ".!?" for t in masked[comma:index])):
            speaker = speaker_from_phrase(reader, masked[1:comma], language, sentence_start)
            if speaker is not None and speaker.is_name:
                return Attribution(speaker, masked[0].start, masked[0].end, masked[0].start)
    # A title or a heading: `CNN President On Trump: ‘…’` (a short name before a colon).
    if index >= 2 and masked[index - 1].text == ":" and index - 1 - lower_bound <= 6:
        speaker = speaker_from_phrase(reader, masked[lower_bound:index - 1], language, sentence_start)
        if speaker and not speaker.is_pronoun:
            return Attribution(speaker, masked[index - 1].start, masked[index - 1].end, masked[index - 1].start)
    # A name right before the colon (`… doesn’t surprise Republican pollster Daron Shaw: “…”`).
    if index >= 3 and masked[index - 1].text == ":":
        runs = _name_runs(masked[lower_bound:index - 1])
        if runs and runs[-1][1] == index - 1 - lower_bound:
            i, j = runs[-1]
            name = masked[lower_bound + i:lower_bound + j]
            found = reader.mention_in(name[0].start, name[-1].end)
            if j - i >= 2 or found and found[2].type in ("PER", "ORG"):
                speaker = speaker_from_phrase(reader, name, language, sentence_start)
                if speaker and not speaker.is_pronoun:
                    return Attribution(speaker, masked[index - 1].start, masked[index - 1].end, masked[index - 1].start)
    return None


def _nearest_noun_phrase(reader: Reader, masked: list[Token], index: int, language: str, sentence_start: int) -> Speaker | None:
    """The noun phrase just before masked[index], from its determiner (`des accusations américaines`)."""
    determiners = DETERMINERS.get(language, frozenset())
    k = index - 1
    while k >= 0 and index - k <= 6 and masked[k].is_word:
        if masked[k].lower in determiners or masked[k].lower in ("des", "du", "of"):
            return speaker_from_phrase(reader, masked[k:index], language, sentence_start)
        k -= 1
    return _phrase_before(reader, masked, index, language, sentence_start)


def _phrase_before(reader: Reader, masked: list[Token], index: int, language: str, sentence_start: int) -> Speaker | None:
    start = _phrase_start(masked, index, language)
    if start is None:
        return None
    return speaker_from_phrase(reader, masked[start:index], language, sentence_start)


def attribution_clauses(reader: Reader, masked: list[Token], language: str, sentence_start: int) -> list[Attribution]:
    """Every `SUBJECT CUE` in a sentence outside quotations (for context and pronouns)."""
    clauses = []
    for k in range(len(masked)):
        cue = cue_at(masked, k, language)
        if not cue:
            continue
        first_cue, last_cue, inverted = cue
        speaker = cue_speaker(reader, masked, first_cue, last_cue, inverted, language, sentence_start)
        if speaker:
            clauses.append(Attribution(speaker, masked[first_cue].start, masked[last_cue].end, masked[first_cue].start))
    return clauses


def context_attribution(reader: Reader, quoted: Quoted, last_quote_attribution: Attribution | None, clauses: list[Attribution],
                        paragraph_attributions: list[Attribution], previous_paragraphs: list[Attribution | None],
                        settings: QuoteSettings) -> Attribution | None:
    """The speaker of a quotation that has no attribution of its own: the speaker of the quotation
    just before in the same paragraph, else the last attribution before it in the paragraph, else
    the previous paragraph's, else the first attribution after it in its sentence's paragraph."""
    if last_quote_attribution is not None:
        return last_quote_attribution
    before = [a for a in paragraph_attributions + clauses if a.position < quoted.open_start]
    if before:
        return before[-1]
    for previous in reversed(previous_paragraphs[-settings.context_paragraphs:]):
        if previous is not None:
            return previous
    after = [a for a in clauses if a.position >= quoted.close_end]
    if after:
        return after[0]
    return None


def indirect_speech(reader: Reader, masked: list[Token], tokens: list[Token], sentence_quotes: list[Quoted], language: str,
                    sentence_start: int, sentence_end: int) -> list[tuple[Quoted, str, Attribution, str]]:
    """Reported speech without quotation marks: `X a déclaré que …`, `X said …`, `según X, …`,
    `…, a déclaré X.` / `…, sources said.` (the content before the attribution)."""
    found = []
    text = reader.text
    if any(q.open_start >= sentence_start for q in sentence_quotes):
        return found  # sentences with quotations are read as quotations
    # `…, X said.` / `…, a déclaré X.` at the end of the sentence.
    tail = _tail_attribution(reader, masked, language, sentence_start)
    if tail is not None:
        attribution, content_end = tail
        content = _trimmed(text, sentence_start, content_end)
        if content:
            found.append((Quoted(content[0], content[1], content[0], content[1], True), "indirect", attribution, language))
            return found
    for k in range(len(masked)):
        length = source_preposition_at(masked, k, language)
        if length and (k == 0 or masked[k - 1].text == ","):
            nxt = k + length
            if nxt < len(masked) and masked[nxt].lower in RELATIVE_SOURCE_WORDS:
                continue
            comma = next((m for m in range(nxt, len(masked)) if masked[m].text == ","), None)
            if comma is None or comma - nxt > reader.settings.max_speaker_words:
                continue
            speaker = speaker_after(reader, masked[:comma], nxt, language, sentence_start)
            content = _trimmed(text, masked[comma].end, sentence_end)
            if speaker and content:
                attribution = Attribution(speaker, masked[k].start, masked[nxt - 1].end, masked[k].start)
                found.append((Quoted(content[0], content[1], content[0], content[1], True), "indirect", attribution, language))
                return found
        cue = cue_at(masked, k, language)
        if not cue:
            continue
        first_cue, last_cue, inverted = cue
        following = last_cue + 1
        while following < len(masked) and masked[following].lower in ADVERBS.get(language, ()):
            following += 1
        if following >= len(masked) or masked[following].lower not in COMPLEMENTISERS.get(language, ()):
            continue
        speaker = cue_speaker(reader, masked, first_cue, last_cue, inverted, language, sentence_start)
        if speaker is None:
            continue
        content = _trimmed(text, masked[following].end, sentence_end)
        if content:
            attribution = Attribution(speaker, masked[first_cue].start, masked[last_cue].end, masked[first_cue].start)
            found.append((Quoted(content[0], content[1], content[0], content[1], True), "indirect", attribution, language))
            return found
    return found


def _tail_attribution(reader: Reader, masked: list[Token], language: str, sentence_start: int) -> tuple[Attribution, int] | None:
    """`…, X said.` or `…, a déclaré X.`: an attribution after the last comma of the sentence."""
    commas = [k for k, t in enumerate(masked) if t.text == ","]
    if not commas or commas[-1] < 3:
        return None
    k = commas[-1]
    after = attribution_after(reader, masked[:k + 1] + [t for t in masked[k + 1:] if t.text not in ".!?"], k, language, sentence_start)
    if after is None:
        return None
    attribution, cue_index = after
    # The attribution must fill the rest of the sentence but for a short tail (`in a statement`).
    attribution_end = max(attribution.cue_end, attribution.speaker.end if not attribution.speaker.is_pronoun else 0)
    rest = [t for t in masked if t.start >= attribution_end and t.is_word]
    if len(rest) > 6 or rest and not (rest[0].lower in TAIL_OPENERS or rest[0].lower in ADVERBS.get(language, ())):
        return None
    return attribution, masked[k].start


# What may follow a closing attribution (`…, X said in a statement / on Monday / to reporters`).
TAIL_OPENERS = frozenset({"in", "on", "at", "to", "during", "after", "before", "from", "with", "about", "when",
                          "while", "as", "dans", "à", "au", "aux", "lors", "devant", "sur", "en", "après", "avant",
                          "de", "del", "durante", "ante", "tras", "con", "el", "este", "im", "am", "bei", "vor",
                          "nach", "gegenüber", "auf", "nel", "alla", "al", "no", "na"})


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start] in SPACES + "\n,:" ):
        start += 1
    while end > start and text[end - 1] in SPACES + "\n.,;:":
        end -= 1
    if end - start < 8:
        return None
    return start, end


def _to_quote(document: Document, reader: Reader, quoted: Quoted, kind: str, attribution: Attribution | None, language: str) -> Quote:
    start, end = document.original_span(quoted.start, quoted.end)
    text = reader.text[quoted.start:quoted.end]
    if attribution is None:
        return Quote(start, end, text, kind, language=language)
    speaker = attribution.speaker
    speaker_start, speaker_end = document.original_span(speaker.start, speaker.end)
    cue_start, cue_end = document.original_span(attribution.cue_start, attribution.cue_end)
    entity_id = speaker.entity_id
    if entity_id is None and not speaker.is_pronoun:
        found = reader.mention_in(speaker.start, speaker.end)
        entity_id = found[2].entity_id if found else None
    return Quote(start, end, text, kind, speaker=speaker.name, speaker_start=speaker_start, speaker_end=speaker_end,
                 speaker_entity_id=entity_id, cue=reader.text[attribution.cue_start:attribution.cue_end],
                 cue_start=cue_start, cue_end=cue_end, language=language)
