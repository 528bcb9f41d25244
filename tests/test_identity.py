"""One identity per real entity: spelling keys, the knowledge base, resolution within an article, the step."""

from __future__ import annotations

import re

import pytest

from babelwire.link.identity import EntityLinker, IdentitySettings, fold, person_name, spelling_key
from babelwire.link.knowledge import KnowledgeBase, KnownEntity, default_knowledge
from babelwire.model import Document, Mention


def make_document(text: str, names: list[tuple[str, str]], language: str) -> Document:
    """A document with hand-made mentions: every occurrence of each (surface, type), longest first."""
    spans: list[Mention] = []
    for surface, type_ in sorted(names, key=lambda pair: -len(pair[0])):
        for match in re.finditer(re.escape(surface), text):
            if not any(match.start() < m.end and m.start < match.end() for m in spans):
                spans.append(Mention(match.start(), match.end(), surface, type_, language=language, source="test"))
    document = Document(text=text, language=language)
    document.mentions = sorted(spans, key=lambda m: m.start)
    return document


def linked(text: str, names: list[tuple[str, str]], language: str, knowledge=None) -> Document:
    document = make_document(text, names, language)
    EntityLinker(IdentitySettings(), knowledge).process(document)
    return document


def ids_of(document: Document, surface: str) -> set[str]:
    return {m.entity_id for m in document.mentions if m.text == surface}


def one_id(document: Document, surface: str) -> str:
    found = ids_of(document, surface)
    assert len(found) == 1, f"{surface!r}: {found}"
    return found.pop()


# --- spelling keys ----------------------------------------------------------------------------
@pytest.mark.parametrize("names", [
    ["Poutine", "Putin", "Путин", "Vladimir Poutine", "Wladimir Putin", "Vladimir Putin", "Владимир Путин"],
    ["Ouchakov", "Ushakov", "Ушаков", "Youri Ouchakov", "Yuri Ushakov", "Juri Uschakow", "Jurij Ušakov", "Юрий Ушаков"],
    ["Sergueï Lavrov", "Sergei Lavrov", "Sergej Lawrow", "Sergey Lavrov", "Сергей Лавров", "Szergej Lavrov"],
    ["Andreï Beloussov", "Andrei Belousov", "Andrej Belousow", "Андрей Белоусов"],
    ["Kim Jong-un", "Kim Jong Un", "Kim Jongun", "KIM Jong-un"],
])
def test_transliterations_of_one_person_share_a_key(names):
    keys = {person_name(name).key for name in names}
    assert len(keys) == 1, keys


def test_different_people_keep_different_keys():
    assert person_name("Kim Il-sung").key != person_name("Kim Jong-un").key
    assert person_name("Kim Jong-il").key != person_name("Kim Jong-un").key
    assert person_name("Sergueï Lavrov").key != person_name("Sergueï Choïgou").key


def test_spelling_rules_per_language_convention():
    assert spelling_key("Choïgou") == spelling_key("Shoigu") == spelling_key("Schoigu")  # fr / en / de
    assert spelling_key("Gorbatchev") == spelling_key("Gorbachev")  # fr tch / en ch
    assert spelling_key("Smirnoff") == spelling_key("Smirnov")  # -off / -ov
    assert spelling_key("Medwedew") == spelling_key("Medvedev")  # de w / en v
    assert spelling_key("Navalnyï") == spelling_key("Navalny") == spelling_key("Nawalnyj")  # -ï / -y / -yj
    assert spelling_key("Czernomyrdin") == spelling_key("Tchernomyrdine")  # pl cz / fr tch, -ine


def test_titles_and_case_endings_do_not_change_a_person():
    assert person_name("M. Poutine").key == person_name("Poutine").key
    assert person_name("Finanzminister Janota").key == person_name("Eduard Janota").key
    assert person_name("Gyurcsány Ferenc", "hu").key == person_name("Ferenc Gyurcsány", "de").key
    assert person_name("Putin's").key == "putin"


def test_acronyms_are_not_respelled():
    assert spelling_key("KSH") != spelling_key("Kč")
    assert spelling_key("BBC") == "bbc"


def test_fold_transliterates_and_drops_accents():
    assert fold("États-Unis") == "etats unis"
    assert fold("Россия") == "rossiya"  # transliterated only; respelling is spelling_key's work


# --- knowledge base ---------------------------------------------------------------------------
@pytest.mark.parametrize("kb_id, names", [
    ("country:KP", ["Corée du Nord", "Corea del Norte", "North Korea", "Nordkorea", "RPDC", "DPRK", "Северная Корея",
                    "République populaire démocratique de Corée", "República Popular Democrática de Corea", "КНДР"]),
    ("country:US", ["États-Unis", "Etats-Unis", "EE. UU.", "EE.UU.", "Estados Unidos", "United States", "USA", "U.S.",
                    "Vereinigte Staaten", "США", "les États-Unis"]),
    ("country:RU", ["Russie", "Rusia", "Russia", "Russland", "Россия", "la Russie", "Russia's"]),
    ("org:un", ["ONU", "UN", "United Nations", "Naciones Unidas", "Vereinte Nationen", "Nations unies", "l'ONU", "ООН"]),
    ("org:nato", ["OTAN", "NATO", "Nato", "l'OTAN", "НАТО"]),
    ("city:524901", ["Moscou", "Moscú", "Moskau", "Moscow", "Москва"]),
])
def test_knowledge_base_names_in_many_languages(kb_id, names):
    knowledge = default_knowledge()
    for name in names:
        found = knowledge.lookup(name)
        assert found is not None and found.id == kb_id, (name, found and found.id)


def test_knowledge_base_keeps_neighbours_apart():
    knowledge = default_knowledge()
    assert knowledge.lookup("Corée du Sud").id == "country:KR"
    assert knowledge.lookup("Extrême-Orient russe") is None
    assert knowledge.lookup("Washington").id != knowledge.lookup("États-Unis").id


def test_demonyms_and_lowercase_acronyms_are_not_countries():
    knowledge = default_knowledge()
    for word in ["russe", "Russian", "russisch", "ruso", "nord-coréen", "américain"]:
        assert knowledge.lookup(word) is None, word
    assert knowledge.lookup("us") is None  # the pronoun is not the United States
    assert knowledge.lookup("Un") is None


def test_inflected_names_in_czech_and_hungarian():
    knowledge = default_knowledge()
    assert knowledge.lookup("Ruska", "cs").id == "country:RU"
    assert knowledge.lookup("Spojených států", "cs").id == "country:US"
    assert knowledge.lookup("Oroszországban", "hu").id == "country:RU"
    assert knowledge.lookup("USA-ban", "hu").id == "country:US"
    assert knowledge.lookup("Russlands", "de").id == "country:RU"


def test_knowledge_base_learns_aliases_and_saves_them(tmp_path):
    knowledge = KnowledgeBase.load()
    assert knowledge.lookup("Norkorea") is None
    assert knowledge.add_alias("country:KP", "Norkorea")
    assert knowledge.lookup("Norkorea").id == "country:KP"
    knowledge.add_entity(KnownEntity("org:rodong-sinmun", "ORG", "learned", "Rodong Sinmun", ["Rodong Sinmoun"]))
    path = tmp_path / "learned.json"
    knowledge.save(path)

    again = KnowledgeBase.load(path)
    assert again.lookup("Norkorea").id == "country:KP"
    assert again.lookup("Rodong Sinmoun").id == "org:rodong-sinmun"
    assert default_knowledge().lookup("Norkorea") is None  # the shared base was not changed


def test_linker_learns_persons_into_its_knowledge_base(tmp_path):
    path = tmp_path / "names.json"
    settings = IdentitySettings(knowledge_path=str(path), learn=True)
    linker = EntityLinker(settings)
    first = make_document("Le ministre Sergueï Lavrov est à Paris.", [("Sergueï Lavrov", "PER"), ("Paris", "LOC")], "fr")
    list(linker.run([first]))
    assert path.exists()
    assert KnowledgeBase.load(path).get(one_id(first, "Sergueï Lavrov")) is not None


# --- within one article -----------------------------------------------------------------------
FRENCH = ("Kim Jong-un reçoit Poutine. Le président russe, Vladimir Poutine, est arrivé en Corée du Nord. "
          "Kim Jong Un a salué la RPDC. Poutine a remercié le camarade Kim. Son conseiller, Youri Ouchakov, a parlé. "
          "La République populaire démocratique de Corée a été fondée par le grand-père de Kim, Kim Il-sung. "
          "Ouchakov a déclaré que la Russie soutient Pyongyang. Les Etats-Unis et les États-Unis surveillent "
          "l'Extrême-Orient russe et la Corée du Sud.")
FRENCH_NAMES = [("Kim Jong-un", "PER"), ("Poutine", "PER"), ("Vladimir Poutine", "PER"), ("Corée du Nord", "LOC"),
                ("Kim Jong Un", "PER"), ("RPDC", "LOC"), ("Kim", "PER"), ("Youri Ouchakov", "PER"),
                ("République populaire démocratique de Corée", "LOC"), ("Kim Il-sung", "PER"), ("Ouchakov", "PER"),
                ("Russie", "LOC"), ("Pyongyang", "LOC"), ("Etats-Unis", "LOC"), ("États-Unis", "LOC"),
                ("Extrême-Orient russe", "LOC"), ("Corée du Sud", "LOC")]


def test_french_article_short_forms_resolve_to_the_full_name():
    document = linked(FRENCH, FRENCH_NAMES, "fr")
    assert one_id(document, "Poutine") == one_id(document, "Vladimir Poutine")
    assert one_id(document, "Ouchakov") == one_id(document, "Youri Ouchakov")
    assert one_id(document, "Kim Jong Un") == one_id(document, "Kim Jong-un")
    # "le camarade Kim" and "le grand-père de Kim" are Kim Jong-un, named most often, not his grandfather.
    assert ids_of(document, "Kim") == {one_id(document, "Kim Jong-un")}
    assert one_id(document, "Kim Il-sung") != one_id(document, "Kim Jong-un")


def test_french_article_places_share_or_keep_apart_their_ids():
    document = linked(FRENCH, FRENCH_NAMES, "fr")
    north = one_id(document, "Corée du Nord")
    assert north == one_id(document, "RPDC") == one_id(document, "République populaire démocratique de Corée") == "country:KP"
    assert one_id(document, "Corée du Sud") != north
    assert one_id(document, "Etats-Unis") == one_id(document, "États-Unis") == "country:US"
    assert one_id(document, "Russie") != one_id(document, "Extrême-Orient russe")
    assert one_id(document, "Pyongyang") != north  # the capital is not the country


def test_a_short_form_takes_the_person_just_named_in_its_sentence():
    text = ("Kim Jong-un a reçu Poutine. Kim Jong-un a parlé. Le fondateur Kim Il-sung, dont Kim reste le modèle, "
            "est mort en 1994.")
    document = linked(text, [("Kim Jong-un", "PER"), ("Poutine", "PER"), ("Kim Il-sung", "PER"), ("Kim", "PER")], "fr")
    assert ids_of(document, "Kim") == {one_id(document, "Kim Il-sung")}


def test_every_mention_is_linked_and_entities_list_each_id_once():
    document = linked(FRENCH, FRENCH_NAMES, "fr")
    assert all(m.entity_id for m in document.mentions)
    ids = [e.id for e in document.entities]
    assert len(ids) == len(set(ids)) and set(ids) == {m.entity_id for m in document.mentions}
    putin = next(e for e in document.entities if e.id == one_id(document, "Poutine"))
    assert putin.name == "Vladimir Poutine" and putin.type == "PER"
    assert set(putin.aliases) == {"Poutine", "Vladimir Poutine"}
    korea = next(e for e in document.entities if e.id == "country:KP")
    assert korea.knowledge_base_id == "country:KP" and korea.type == "LOC"
    for mention in document.mentions:  # offsets untouched
        assert document.text[mention.start:mention.end] == mention.text


def test_person_names_are_never_looked_up_as_places():
    document = linked("Michael Jordan visite la Jordanie. Jordan a souri.",
                      [("Michael Jordan", "PER"), ("Jordanie", "LOC"), ("Jordan", "PER")], "fr")
    assert one_id(document, "Jordan") == one_id(document, "Michael Jordan")
    assert one_id(document, "Jordanie") == "country:JO" != one_id(document, "Jordan")


def test_demonym_typed_misc_stays_apart_from_the_country():
    document = linked("La Russie et le gouvernement russe.", [("Russie", "LOC"), ("russe", "MISC")], "fr")
    assert one_id(document, "russe") != one_id(document, "Russie")


# --- across articles, languages and scripts ---------------------------------------------------
SPANISH = ("Vladimir Putin llegó a Corea del Norte, donde Kim Jong Un lo recibió. Putin y su asesor Yuri Ushakov "
           "hablaron con la ONU. EE. UU. y Estados Unidos critican a Rusia.")
SPANISH_NAMES = [("Vladimir Putin", "PER"), ("Corea del Norte", "LOC"), ("Kim Jong Un", "PER"), ("Putin", "PER"),
                 ("Yuri Ushakov", "PER"), ("ONU", "ORG"), ("EE. UU.", "LOC"), ("Estados Unidos", "LOC"), ("Rusia", "LOC")]
ENGLISH = ("Russian President Vladimir Putin arrived in North Korea. Kim Jong-un greeted Putin. Aide Yuri Ushakov "
           "said the UN and NATO were told. The United States and the USA watched Russia's moves.")
ENGLISH_NAMES = [("Vladimir Putin", "PER"), ("North Korea", "LOC"), ("Kim Jong-un", "PER"), ("Putin", "PER"),
                 ("Yuri Ushakov", "PER"), ("UN", "ORG"), ("NATO", "ORG"), ("United States", "LOC"), ("USA", "LOC"),
                 ("Russia's", "LOC")]
GERMAN = ("Wladimir Putin ist in Nordkorea eingetroffen. Kim Jong Un empfing Putin. Berater Juri Uschakow sprach mit "
          "den Vereinten Nationen und der Nato. Die Vereinigten Staaten und Russland.")
GERMAN_NAMES = [("Wladimir Putin", "PER"), ("Nordkorea", "LOC"), ("Kim Jong Un", "PER"), ("Putin", "PER"),
                ("Juri Uschakow", "PER"), ("Vereinten Nationen", "ORG"), ("Nato", "ORG"),
                ("Vereinigten Staaten", "LOC"), ("Russland", "LOC")]
RUSSIAN = "Владимир Путин прибыл в КНДР. Ким Чен Ын встретил Путина. Юрий Ушаков сказал, что Россия и ООН."
RUSSIAN_NAMES = [("Владимир Путин", "PER"), ("КНДР", "LOC"), ("Путина", "PER"), ("Юрий Ушаков", "PER"),
                 ("Россия", "LOC"), ("ООН", "ORG")]


def test_same_entities_get_same_ids_across_languages_and_scripts():
    french = linked(FRENCH, FRENCH_NAMES, "fr")
    spanish = linked(SPANISH, SPANISH_NAMES, "es")
    english = linked(ENGLISH, ENGLISH_NAMES, "en")
    german = linked(GERMAN, GERMAN_NAMES, "de")
    russian = linked(RUSSIAN, RUSSIAN_NAMES, "ru")

    putin = one_id(french, "Vladimir Poutine")
    assert putin == one_id(spanish, "Vladimir Putin") == one_id(spanish, "Putin") == one_id(english, "Putin")
    assert putin == one_id(german, "Wladimir Putin") == one_id(russian, "Владимир Путин") == one_id(russian, "Путина")
    ushakov = one_id(french, "Youri Ouchakov")
    assert ushakov == one_id(spanish, "Yuri Ushakov") == one_id(english, "Yuri Ushakov") == one_id(german, "Juri Uschakow")
    assert ushakov == one_id(russian, "Юрий Ушаков")
    kim = one_id(french, "Kim Jong-un")
    assert kim == one_id(spanish, "Kim Jong Un") == one_id(english, "Kim Jong-un") == one_id(german, "Kim Jong Un")
    assert one_id(spanish, "Corea del Norte") == one_id(english, "North Korea") == one_id(german, "Nordkorea") == "country:KP"
    assert one_id(russian, "КНДР") == "country:KP"
    assert one_id(spanish, "EE. UU.") == one_id(spanish, "Estados Unidos") == one_id(english, "USA") == "country:US"
    assert one_id(german, "Vereinigten Staaten") == "country:US"
    assert {one_id(spanish, "Rusia"), one_id(english, "Russia's"), one_id(german, "Russland"), one_id(russian, "Россия")} == {"country:RU"}
    assert {one_id(spanish, "ONU"), one_id(english, "UN"), one_id(german, "Vereinten Nationen"), one_id(russian, "ООН")} == {"org:un"}
    assert one_id(english, "NATO") == one_id(german, "Nato") == "org:nato"


def test_a_lone_surname_in_another_article_is_the_same_person():
    full = linked("Vladimir Poutine est arrivé.", [("Vladimir Poutine", "PER")], "fr")
    alone = linked("Putin llegó ayer.", [("Putin", "PER")], "es")
    assert one_id(full, "Vladimir Poutine") == one_id(alone, "Putin")


# --- the seed article, end to end --------------------------------------------------------------
def test_seed_identities_end_to_end(seed_analysis):
    try:
        from babelwire.analyse.entities import EntityRecognizer, EntitySettings
    except ImportError:
        pytest.skip("babelwire.analyse.entities (the recogniser) is not there yet: no mentions to link on the seed")
    import copy

    document = copy.deepcopy(seed_analysis)
    EntityRecognizer(EntitySettings()).process(document)
    # The Spanish related-article links are page debris, so the recogniser skips them; the one
    # Spanish name this test needs from them is added by hand, as a recogniser of that line would.
    text = document.text
    start = text.index("Corea del Norte")
    document.mentions = sorted(document.mentions + [Mention(start, start + 15, "Corea del Norte", "LOC", language="es")],
                               key=lambda m: m.start)
    EntityLinker(IdentitySettings()).process(document)

    def ids(*surfaces: str) -> set[str]:
        found = {m.entity_id for m in document.mentions if m.text in surfaces}
        assert found, f"none of {surfaces} recognised"
        return found

    assert len(ids("Poutine", "Vladimir Poutine", "Putin")) == 1
    assert len(ids("Ouchakov", "Youri Ouchakov", "Ushakov")) == 1
    assert len(ids("Kim Jong-un", "Kim Jong Un", "Kim")) == 1
    assert len(ids("Corée du Nord", "RPDC", "République populaire démocratique de Corée", "Corea del Norte")) == 1
    assert len(ids("États-Unis", "Etats-Unis")) == 1
    assert ids("Kim Il-sung") != ids("Kim Jong-un")
    assert ids("Corée du Nord").isdisjoint(ids("Corée du Sud"))
    assert ids("Russie").isdisjoint(ids("Extrême-Orient russe", "Extrême-Orient"))
    assert ids("Washington").isdisjoint(ids("États-Unis"))
