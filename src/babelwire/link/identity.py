"""One identity per real entity, whatever the spelling, language or script of its names.

Every mention gets an ``entity_id`` that is a deterministic function of a canonical key, so the
same person, place or organisation has the same id in every article:

- places and organisations the knowledge base knows get its id (``country:KP``, ``org:nato``,
  ``city:524901``): Corée du Nord = Corea del Norte = Nordkorea = RPDC = DPRK;
- persons get ``person:<surname>.<initial>`` built from a *spelling key*: the name transliterated
  to Latin (anyascii) and folded by rules that make the usual transliterations of one name meet
  (Poutine/Putin/Путин → ``putin``, Ouchakov/Ushakov/Uschakow/Ушаков → ``usakov``,
  Sergueï/Sergey/Sergej → ``sergei``). Only the first letter of the given name is kept, because given
  names are translated (Alexandre/Alexander/Alejandro) while surnames are transliterated;
- short forms inside one article resolve to the full name used nearby or most often
  (Poutine → Vladimir Poutine; Kim → Kim Jong-un rather than his grandfather Kim Il-sung);
- any other name gets ``name:<spelling key>``.

The spelling rules are applied the same way in every language, on purpose: a native Latin-script
name (Chirac, Szymański) is written the same in all languages, so a rule that changes it changes it
everywhere alike, while the rules make the transliterations of Russian, Korean, Arabic … names meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from anyascii import anyascii

from babelwire.model import Document, Entity, Mention
from babelwire.pipeline import DocumentStep

if TYPE_CHECKING:
    from babelwire.link.knowledge import KnowledgeBase


@dataclass(frozen=True)
class IdentitySettings:
    use_knowledge_base: bool = True
    resolve_short_names: bool = True  # "Poutine" → "Vladimir Poutine" within an article
    # Two surnames in one article are one person when their spelling keys are this similar
    # (rapidfuzz ratio, 0-100) and the first initials agree.
    surname_similarity: float = 92.0
    # "Putinem", "Putins", "Putyinnal": a surname with up to this many extra letters is the same
    # surname inflected (within one article only).
    max_inflection_letters: int = 3
    # A learned names file (JSON) to read, and, with learn=True, to extend and write back.
    knowledge_path: str | None = None
    learn: bool = False


# --- text keys ------------------------------------------------------------------------------
# Articles, prepositions and elisions that start a place or organisation name in running text
# ("la Russie", "de l'ONU", "the United States", "die USA"); removed from both names and mentions.
LEADING_FUNCTION_WORDS = frozenset(
    "the of le la les l d de du des au aux el los las lo del al der die das den dem des il i gli dell della "
    "degli dello di o a os as do da dos das az".split()
)

# Titles that come before a name and are not part of it.
HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir m mme mlle monsieur madame sr sra srta don dona herr frau pan pani "
    "president presidente praesident prasident premier minister ministre general gen col lt sen rep "
    "gov jr junior senior ii iii".split()
)

# Words inside names that are not given names or surnames (for the first initial).
NAME_PARTICLES = frozenset("de du des la le van von der den da di do dos del della bin ben ibn al el".split())

# Letters whose Latin transliteration anyascii would shorten too much for matching: Czech/Polish
# š, č, ž are sh, ch, zh in English spellings of the same names (Ušakov = Ushakov).
_BEFORE_ASCII = str.maketrans({
    "š": "sh", "Š": "Sh", "č": "ch", "Č": "Ch", "ž": "zh", "Ž": "Zh", "ś": "sh", "Ś": "Sh", "ż": "zh", "Ż": "Zh",
    "ź": "zh", "Ź": "Zh", "đ": "dj", "Đ": "Dj", "ß": "ss", "’": "'", "ʼ": "'",
})

# Rewrites that make transliterations of one name meet, applied in order to each lower-case ASCII
# word. Groups: Ш (sh, ch in French, sch in German, sz in Polish, s in Hungarian, š) and Ч (ch,
# tch, tsch, cz, cs, č) become s; Ж (zh, ž, zs) z; Х (kh) k; Й/Ы/Ю/Я (y, j, i, ï, iou, ju, ya, ja)
# i and u; French ou u; German w v; Spanish/Italian c and q k; doubled letters single.
_SPELLING_REWRITES: tuple[tuple[str, str], ...] = (
    ("tsch", "ch"), ("tch", "ch"), ("sch", "sh"), ("sz", "sh"), ("cz", "ch"), ("cs", "ch"), ("zs", "zh"),
    ("chr", "kr"), ("ch", "sh"), ("sh", "s"), ("zh", "z"), ("kh", "k"), ("ph", "f"), ("th", "t"),
    ("ck", "k"), ("x", "ks"), ("q", "k"), ("c", "k"), ("gue", "ge"), ("gui", "gi"), ("ou", "u"),
    ("w", "v"), ("j", "i"), ("y", "i"),
)
_ENDINGS: tuple[tuple[str, str], ...] = (
    ("iev", "ev"),  # Sergueïev / Sergeyev / Sergejew → sergeev
    ("ine", "in"),  # French Poutine, Staline, Eltsine → putin, stalin, eltsin
    ("of", "ov"),  # Smirnoff → smirnov
)


@lru_cache(maxsize=1 << 18)
def fold(text: str) -> str:
    """Lower-case ASCII words: any script transliterated, accents and punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'")
    ascii_text = anyascii(text).lower()
    return " ".join(re.findall(r"[a-z0-9]+", ascii_text))


def strip_leading_function_words(folded: str) -> str:
    """'la russie' → 'russie', 'de l onu' → 'onu'; never strips a name down to nothing."""
    words = folded.split()
    while len(words) > 1 and words[0] in LEADING_FUNCTION_WORDS:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1 << 18)
def spelling_word(word: str) -> str:
    """The spelling key of one lower-case ASCII word (words of four letters or fewer stay as they
    are: respelled, Bush would meet Bus and Casa meet Kassa)."""
    if len(word) <= 4:
        return word
    for old, new in _SPELLING_REWRITES:
        word = word.replace(old, new)
    word = re.sub(r"(.)\1+", r"\1", word)  # doubled letters: Beloussov = Belousov, Jurij = Juri
    for old, new in _ENDINGS:
        if word.endswith(old) and len(word) > len(old) + 2:
            word = word[: -len(old)] + new
    if word.startswith("ie") and len(word) > 4:  # Yeltsin / Eltsine / Jelzin: initial Е
        word = word[1:]
    return word


def _acronym_word(raw_word: str) -> bool:
    letters = [ch for ch in raw_word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def word_keys(text: str) -> list[list[str]]:
    """Each word of a name as its spelling-key parts (hyphens split parts: Kim Jong-un = Kim Jong Un).

    Acronyms keep their letters (BBC stays bbc; respelling would make KSH and Kč meet)."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"['’]s\b", "", text)  # English possessive: Putin's
    words = []
    for raw in text.split():
        if _acronym_word(raw):
            parts = fold(raw).split()
        else:
            parts = [spelling_word(part) for part in fold(raw.translate(_BEFORE_ASCII)).split()]
        if parts:
            words.append(parts)
    return words


def name_words(text: str) -> list[str]:
    """Folded words of a name, Czech/Polish letters kept apart (š → sh)."""
    text = unicodedata.normalize("NFC", text).translate(_BEFORE_ASCII)
    text = re.sub(r"['’]s\b", "", text)
    return fold(text).split()


def spelling_key(text: str) -> str:
    """The spelling key of a name: transliterated, folded, respelled word by word."""
    return " ".join(part for parts in word_keys(text) for part in parts)


def spelling_key_of_folded(folded: str) -> str:
    return " ".join(spelling_word(word) for word in folded.split())


# Family names written first, where the family name alone says little (Kim Jong-un, Kim Il-sung,
# Kim Jong-il; Moon Jae-in; Ban Ki-moon): such names are keyed by all their parts.
EAST_ASIAN_FAMILY_NAMES = frozenset(
    "kim lee yi park pak choi choe jung chung jeong kang cho jo yoon yun moon mun roh no ban ahn shin "
    "hwang hong".split()
)

# Words that say what a person is rather than who ("Finanzminister Janota", "ministre Lavrov"):
# dropped when they stand before a name.
ROLE_ENDINGS = (
    "minister", "ministr", "ministre", "ministro", "president", "prezident", "presidente", "prasident",
    "kanzler", "kancler", "chancelier", "canciller", "cancelliere", "sekretar", "secretary", "secretaire",
    "secretario", "senator", "senateur", "senador", "gouverneur", "governor", "gobernador", "chef",
    "konig", "king", "roi", "rey", "re", "pape", "papa", "papst", "pope", "prince", "prinz", "principe",
)


# Hungarian writes its own names family name first (Gyurcsány Ferenc = Ferenc Gyurcsány) and
# foreign ones given name first (Barack Obama): a common Hungarian given name in last place says which.
HUNGARIAN_GIVEN_NAMES = frozenset(
    "laszlo istvan jozsef janos zoltan sandor gabor ferenc attila peter tamas zsolt tibor andras csaba "
    "imre lajos gyorgy balazs gyula mihaly karoly robert bela david daniel adam krisztian miklos norbert "
    "bence mate pal viktor marton gergely akos endre geza kalman denes ernő erno antal "
    "maria erzsebet katalin ilona eva anna zsuzsanna margit judit agnes andrea erika krisztina magdolna "
    "iren eszter timea nikolett anita szilvia monika edit gabriella orsolya kinga rita".split()
)


@dataclass(frozen=True)
class PersonName:
    """A person's name cut into what identifies it across languages."""

    words: tuple[str, ...]  # spelling keys of every name part (hyphens split parts)
    surname: str  # spelling key of the last word (hyphenated surnames kept whole), or the whole
    # name for family-first East Asian names
    initial: str  # first letter of the first given name, "" for a lone surname
    family_first: bool = False

    @property
    def key(self) -> str:
        return self.surname

    @property
    def full(self) -> bool:
        return bool(self.initial) or self.family_first


def _is_role(folded_word: str) -> bool:
    return folded_word in HONORIFICS or any(folded_word.endswith(ending) for ending in ROLE_ENDINGS if len(ending) >= 4) \
        or folded_word in ROLE_ENDINGS


def person_name(text: str, language: str = "und") -> PersonName | None:
    """Surname key, first initial and name parts of a person's name, titles and roles removed."""
    raw_words = [w for w in re.sub(r"['’]s\b", "", unicodedata.normalize("NFC", text)).split() if fold(w)]
    while len(raw_words) > 1 and _is_role(fold(raw_words[0].translate(_BEFORE_ASCII))):
        raw_words = raw_words[1:]
    if not raw_words:
        return None
    if len(raw_words) >= 2 and (_acronym_word(raw_words[-1]) or len(raw_words) > 4 or any(
            w[0].islower() and fold(w) not in NAME_PARTICLES for w in raw_words)):
        return None  # "Nord LB", "Piac és Profit", "Retirada de los Altos del Golán": not a person's name
    if language == "hu" and len(raw_words) == 2 and fold(raw_words[1]) in HUNGARIAN_GIVEN_NAMES \
            and fold(raw_words[0]) not in HUNGARIAN_GIVEN_NAMES:
        raw_words = [raw_words[1], raw_words[0]]  # Gyurcsány Ferenc → Ferenc Gyurcsány
    if language in _LEMMATISED_LANGUAGES and not _acronym_word(raw_words[-1]):
        raw_words[-1] = _name_lemma(raw_words[-1], language)
    words = word_keys(" ".join(raw_words))
    if not words:
        return None
    parts = [part for word in words for part in word]
    family = fold(raw_words[0])
    if family in EAST_ASIAN_FAMILY_NAMES and len(parts) >= 2:
        # Kim Jong-un = Kim Jong Un = Kim Jongun: all parts written together.
        return PersonName(tuple(parts), spelling_word("".join(fold(" ".join(raw_words)).split())), "", True)
    surname = "-".join(words[-1])
    given = [word for raw, word in zip(raw_words[:-1], words[:-1]) if fold(raw) not in NAME_PARTICLES]
    initial = given[0][0][0] if given else ""
    return PersonName(tuple(dict.fromkeys(parts + [surname])), surname, initial)


# Case endings on surnames ("Putinem", "Putyinnal") are cut with simplemma where its lemma is a
# prefix of the word (never a different word).
_LEMMATISED_LANGUAGES = frozenset({"cs", "sk", "pl", "hu", "sl", "hr", "lt", "lv", "fi", "et"})


def _name_lemma(word: str, language: str) -> str:
    from babelwire.analyse.lexicon import lemmatize

    try:
        lemma = lemmatize(word, language)
    except ValueError:
        return word
    return lemma if len(lemma) >= 3 and word.lower().startswith(lemma.lower()) else word


def similarity(a: str, b: str) -> float:
    """0-100 similarity of two spelling keys (rapidfuzz ratio)."""
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)


def slug(text: str) -> str:
    return "-".join(text.split()) or "_"


# --- within-article resolution --------------------------------------------------------------
@dataclass
class _Item:
    """One mention being linked."""

    index: int
    mention: Mention
    language: str
    entity_id: str | None = None
    kb_id: str | None = None
    person: PersonName | None = None


@dataclass
class _PersonGroup:
    """One person named in full (given name and surname) in the article, under all its spellings."""

    person: PersonName
    items: list[_Item]
    entity_id: str = ""

    @property
    def surnames(self) -> set[str]:
        return {item.person.surname for item in self.items}

    @property
    def initials(self) -> set[str]:
        return {item.person.initial for item in self.items if item.person.initial}

    @property
    def short_forms(self) -> set[str]:
        """What the person may be called alone: the surname, or a Korean name's family name."""
        forms = set(self.surnames)
        for item in self.items:
            if item.person.family_first:
                forms.add(item.person.words[0])
        return forms

    def starts(self) -> list[int]:
        return [item.mention.start for item in self.items]


_SENTENCE_END = re.compile(r"[.!?]\s+\S|\n")


def _same_sentence(text: str, start: int, end: int) -> bool:
    return _SENTENCE_END.search(text, start, end) is None if start <= end else False


# Languages whose case endings are added to surnames (Putinem, Putyinnal, Putins).
INFLECTED_SURNAME_LANGUAGES = frozenset({"cs", "sk", "pl", "hu", "sl", "hr", "sr", "ru", "uk", "fi", "et", "lt", "lv", "de"})


def _surnames_match(a: str, b: str, settings: IdentitySettings, language: str = "und") -> bool:
    """One surname in one article: same key, inflected (Putin/Putinem), or respelled (similarity)."""
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    extra = len(longer) - len(shorter)
    if language in INFLECTED_SURNAME_LANGUAGES and len(shorter) >= 4 and longer.startswith(shorter) \
            and extra <= (1 if language == "de" else settings.max_inflection_letters):
        return True
    return len(shorter) >= 5 and similarity(a, b) >= settings.surname_similarity


def _acronym_of(words: list[str]) -> str:
    return "".join(w[0] for w in words if w not in LEADING_FUNCTION_WORDS and w not in {"and", "et", "y", "und", "e", "a"})


class EntityLinker(DocumentStep):
    """Links every mention to an Entity whose id is the same across articles, languages and scripts."""

    name = "identity"

    def __init__(self, settings: IdentitySettings | None = None, knowledge: "KnowledgeBase | None" = None):
        self.settings = settings or IdentitySettings()
        self._knowledge = knowledge

    @property
    def knowledge(self) -> "KnowledgeBase":
        if self._knowledge is None:  # loaded lazily, once per process
            from babelwire.link.knowledge import KnowledgeBase, default_knowledge

            if self.settings.learn or self.settings.knowledge_path:
                self._knowledge = KnowledgeBase.load(self.settings.knowledge_path)
            else:
                self._knowledge = default_knowledge()
        return self._knowledge

    def run(self, documents):
        yield from super().run(documents)
        if self.settings.learn and self.settings.knowledge_path:
            self.knowledge.save(self.settings.knowledge_path)

    def process(self, document: Document) -> None:
        if not document.mentions:
            document.entities = []
            return
        mentions, entities = link_mentions(document, self.knowledge if self.settings.use_knowledge_base else None, self.settings)
        document.mentions = mentions
        document.entities = entities
        if self.settings.learn:
            learn_from(document, self.knowledge)


def _mention_language(document: Document, mention: Mention) -> str:
    if mention.language and mention.language != "und":
        return mention.language
    for segment in document.segments:
        if segment.kind in ("sentence", "fragment") and segment.start <= mention.start < segment.end and segment.language != "und":
            return segment.language
    return document.language or "und"


def link_mentions(document: Document, knowledge: "KnowledgeBase | None", settings: IdentitySettings) -> tuple[list[Mention], list[Entity]]:
    """Mentions with their entity_id set, and the entities they point to (in order of first mention)."""
    items = [_Item(i, m, _mention_language(document, m)) for i, m in enumerate(document.mentions)]
    place_kinds = {"organisation", "country", "region", "city", "subdivision", "learned"}

    # 1. Places and organisations the knowledge base knows. A name typed as a person is looked up
    # only among organisations and places of several words ("White House" typed PER): a one-word
    # person name is never a place (Jordan, Chad, Florence, Israel).
    for item in items:
        if knowledge is not None:
            if item.mention.type != "PER":
                known = knowledge.lookup(item.mention.text, item.language, kinds=place_kinds)
            elif len(item.mention.text.split()) >= 2 or _acronym_word(item.mention.text):
                known = knowledge.lookup(item.mention.text, item.language, kinds=place_kinds)
            else:
                known = knowledge.lookup(item.mention.text, item.language, kinds={"organisation"})
            if known:
                item.entity_id = item.kb_id = known.id
        if item.entity_id is None:
            item.person = person_name(item.mention.text, item.language)

    # 2. Persons named in full, grouped by surname; inflected or respelled surnames of one person
    # in one article (Putin / Putinem, Ouchakov / Ushakov) join the group named first.
    groups: list[_PersonGroup] = []
    full = [it for it in items if it.entity_id is None and it.mention.type == "PER" and it.person and it.person.full]
    for item in sorted(full, key=lambda it: it.mention.start):
        target = next((g for g in groups if g.person.family_first == item.person.family_first
                       and any(_surnames_match(s, item.person.surname, settings, item.language) for s in g.surnames)), None)
        if target is None:
            target = _PersonGroup(item.person, [])
            groups.append(target)
        target.items.append(item)
    for group in groups:
        # The key: the uninflected surname (Paulson, not Paulsonem), then the one written most
        # often, then the one written first.
        counts: dict[str, list[int]] = {}
        for it in group.items:
            counts.setdefault(it.person.surname, []).append(it.mention.start)
        stems = [k for k in counts if not any(other != k and k.startswith(other) for other in counts)]
        surname = min(stems, key=lambda k: (-len(counts[k]), min(counts[k])))
        group.entity_id = f"name:{surname}"
        if len(surname) <= 3 and group.person.initial:  # Victor Cha: a short surname says too little alone
            group.entity_id += f".{group.person.initial}"
        for it in group.items:
            it.entity_id = group.entity_id

    # 3. Short forms: a surname alone, or a word of a person named in full in the same article
    # (Poutine → Vladimir Poutine, Kim → Kim Jong-un, Putinem → Putin).
    text = document.text
    for item in items:
        if item.entity_id is not None or item.person is None:
            continue
        if settings.resolve_short_names and groups:
            chosen = _choose_person(_short_form_candidates(item, groups, settings), item, text)
            if chosen is not None:
                item.entity_id = chosen.entity_id
                continue
        if item.mention.type == "PER" and knowledge is not None and not item.person.full:
            learned = knowledge.person_for_surname(item.person.surname)
            if learned:
                item.entity_id = item.kb_id = learned.id

    # A person's name the recogniser typed as a place or organisation ("Barack Obama" as LOC) is
    # the person when the same surname is typed as a person elsewhere in the article.
    person_ids = {}
    for item in items:
        if item.mention.type == "PER" and item.person is not None and item.entity_id and not item.kb_id:
            person_ids.setdefault(item.person.surname, item.entity_id)
    for item in items:
        if item.entity_id is None and item.person is not None and item.person.full and 2 <= len(item.mention.text.split()) <= 3:
            if not any(fold(w) in LEADING_FUNCTION_WORDS for w in item.mention.text.split()):
                item.entity_id = person_ids.get(item.person.surname)

    # 4. Acronyms defined by a longer name in the same article (CSIS ← Center for Strategic …).
    for item in items:
        if item.entity_id is not None:
            continue
        letters = re.sub(r"[.\s]", "", item.mention.text)
        if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
            for other in items:
                if other.mention.start < item.mention.start and other.mention.type != "PER" and other is not item:
                    if _acronym_of(fold(other.mention.text).split()) == letters.lower():
                        item.entity_id = other.entity_id or _own_id(other)
                        item.kb_id = other.kb_id
                        break

    # 5. Everything else: its own key. A person is known by the surname (so "Putin" alone, in any
    # article, is "Vladimir Putin"); any other name by all its words.
    for item in items:
        if item.entity_id is None:
            item.entity_id = _own_id(item)

    return [replace(it.mention, entity_id=it.entity_id) for it in items], _entities(items, knowledge)


def _own_id(item: _Item) -> str:
    person = item.person
    if person is not None and (item.mention.type == "PER" or len(person.words) == 1 or
                               (person.family_first and item.mention.type == "PER")):
        return f"name:{person.surname}"
    words = word_keys(item.mention.text)
    while len(words) > 1 and len(words[0]) == 1 and words[0][0] in LEADING_FUNCTION_WORDS:
        words = words[1:]  # "la Corée" / "the Congress": the article is not part of the name
    return "name:" + slug(" ".join(part for word in words for part in word))


def _short_form_candidates(item: _Item, groups: list[_PersonGroup], settings: IdentitySettings) -> list[_PersonGroup]:
    """Persons named in full in the article that a lone surname may stand for."""
    person = item.person
    if person.full or len(person.words) != 1:
        return []
    word = person.words[0]
    if item.mention.type == "PER":
        # Inflected or respelled surnames too (Putinem, Ushakov for Ouchakov).
        return [g for g in groups if any(word == form or (min(len(word), len(form)) >= 4 and _surnames_match(word, form, settings, item.language))
                                         for form in g.short_forms)]
    # A place or organisation label on a lone surname (a recogniser's slip): exact only.
    return [g for g in groups if word in g.short_forms]


def _choose_person(candidates: list[_PersonGroup], item: _Item, text: str) -> _PersonGroup | None:
    """Which full name a short form refers to.

    One candidate: that one. Several (Kim: Kim Jong-un or Kim Il-sung): the one named earlier in the
    same sentence (nearest first), else the one named most often in the article, else the nearest
    before, else the nearest after.
    """
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    start = item.mention.start
    in_sentence = []
    for group in candidates:
        before = [s for s in group.starts() if s < start]
        if before and _same_sentence(text, max(before), start):
            in_sentence.append((start - max(before), group))
    if in_sentence:
        return min(in_sentence, key=lambda pair: pair[0])[1]

    def rank(group: _PersonGroup):
        before = [start - s for s in group.starts() if s < start]
        after = [s - start for s in group.starts() if s > start]
        return (-len(group.items), min(before) if before else 10**9, min(after) if after else 10**9)

    return min(candidates, key=rank)


_TYPE_ORDER = {"PER": 0, "ORG": 1, "LOC": 2, "MISC": 3}


def _entities(items: list[_Item], knowledge: "KnowledgeBase | None") -> list[Entity]:
    by_id: dict[str, list[_Item]] = {}
    for item in sorted(items, key=lambda it: it.mention.start):
        by_id.setdefault(item.entity_id, []).append(item)
    entities = []
    for entity_id, members in by_id.items():
        known = knowledge.get(entity_id) if knowledge is not None else None
        aliases = list(dict.fromkeys(m.mention.text for m in members))
        types: dict[str, int] = {}
        for m in members:
            types[m.mention.type] = types.get(m.mention.type, 0) + 1
        if known is not None:
            name, type_, kb_id = known.name, known.type, known.id
        elif "PER" in types and any(m.person and m.person.full for m in members if m.mention.type == "PER"):
            full = [m.mention.text for m in members if m.mention.type == "PER" and m.person and m.person.full]
            name, type_, kb_id = max(full, key=len), "PER", None
        else:
            type_ = min(types, key=lambda t: (-types[t], _TYPE_ORDER.get(t, 9)))
            name, kb_id = max(aliases, key=lambda a: (len(a), -aliases.index(a))), None
        entities.append(Entity(entity_id, name, type_, aliases, kb_id))
    return entities


def learn_from(document: Document, knowledge: "KnowledgeBase") -> None:
    """Adds to the knowledge base what the article taught: persons named in full, new spellings of known entities."""
    from babelwire.link.knowledge import KnownEntity

    for entity in document.entities:
        if entity.knowledge_base_id and knowledge.get(entity.knowledge_base_id):
            for alias in entity.aliases:
                knowledge.add_alias(entity.knowledge_base_id, alias)
        elif entity.type == "PER" and not entity.knowledge_base_id:
            knowledge.add_entity(KnownEntity(entity.id, "PER", "person", entity.name, list(entity.aliases)))


def entity_ids_for_name(name: str, knowledge: "KnowledgeBase | None" = None) -> list[str]:
    """The ids a name a user types may denote, whatever its language or script (search for
    `Putin` finds `Poutine` and `Путин`): the knowledge base's entity, the person key, the name key."""
    from babelwire.link.knowledge import default_knowledge

    knowledge = knowledge or default_knowledge()
    ids: list[str] = []
    known = knowledge.lookup(name)
    if known is not None:
        return [known.id]  # a known place or organisation is that, not also a person's name
    person = person_name(name)
    if person is not None:
        ids.append(f"name:{person.surname}")
    words = word_keys(name)
    if words:
        ids.append("name:" + slug(" ".join(part for word in words for part in word)))
    return list(dict.fromkeys(ids))
