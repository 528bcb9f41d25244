"""Cue verbs of reported speech (`said`, `a déclaré`, `dijo`, `sagte`, …) as sets of inflected forms.

The quotation layer only needs to know whether a word is a form of one of a few hundred speech
verbs. A lemmatiser answers that, but simplemma's dictionaries cost 20–150 MB and seconds to load
per language; here each verb's forms are generated once from its infinitive by a few conjugation
rules per language (the forms news text uses: present, past, participles, future, conditional,
gerund), plus the irregular forms listed by hand. A language's set is a few thousand strings.

Public: ``cue_forms(language)`` (every form, lower case), ``cue_candidates(language)`` (the forms
plus those that make a cue with a particle), ``particle_cue(word, language)`` (`went` → `on`),
``CUE_LANGUAGES``. Which forms are mostly nouns (`claims`, `la demande`) is the quotation layer's
business (``NOT_CUES`` in quotes.py), not this module's.
"""

from __future__ import annotations

from functools import cache

# Infinitives of verbs that report speech or writing, per language.
CUE_VERBS: dict[str, str] = {
    "fr": """dire déclarer affirmer ajouter expliquer indiquer souligner estimer assurer préciser écrire annoncer
        confier rappeler répondre lancer insister avertir prévenir promettre noter poursuivre conclure marteler
        dénoncer reconnaître admettre déplorer juger commenter raconter confirmer démentir nier accuser qualifier
        publier tweeter exclamer demander observer signaler réagir clamer protester plaider résumer regretter
        menacer révéler détailler interroger fustiger avouer répliquer relever ironiser glisser témoigner citer
        lâcher confesser objecter rétorquer""",
    "es": """decir afirmar declarar asegurar señalar explicar añadir agregar indicar advertir sostener subrayar
        destacar apuntar manifestar comentar escribir anunciar reconocer admitir insistir recordar responder
        prometer denunciar criticar confirmar negar preguntar aseverar puntualizar matizar concluir expresar
        tuitear publicar relatar contar exclamar revelar detallar lamentar reiterar enfatizar precisar replicar
        opinar recalcar aclarar apostillar ironizar reprochar avisar alertar sentenciar remarcar resaltar""",
    "en": """say tell add write insist note argue tweet explain ask state declare claim assert announce warn
        acknowledge admit respond reply answer recall remark comment suggest emphasize emphasise stress predict
        promise vow joke quip shout yell exclaim complain concede contend maintain observe deny confirm recount
        testify urge call describe chant post mouth read lament caution boast charge allege report publish
        counter retort scream proclaim reiterate estimate agree disagree continue conclude echo interject boom
        snap plead pledge muse wonder beam laugh sigh gush marvel rave scoff sneer cry demand bark label dub
        brand fume opine surmise exhort elaborate whisper mutter grumble gripe grouse bemoan decry deride tease
        concur clarify interrupt inquire speculate reassure assure implore beg summarize summarise underscore
        thunder hiss murmur blurt rant react reason press text email question""",
    "de": """sagen erklären betonen meinen schreiben hinzufügen mitteilen warnen kritisieren behaupten versichern
        berichten erläutern unterstreichen ergänzen bekräftigen antworten fragen mahnen fordern ankündigen
        twittern zitieren verkünden rufen bestätigen dementieren beklagen veröffentlichen entgegnen erwidern
        beteuern argumentieren monieren bemängeln resümieren klagen versprechen widersprechen""",
    "it": """dire dichiarare affermare spiegare aggiungere sottolineare ribadire scrivere annunciare sostenere
        precisare osservare commentare rispondere avvertire assicurare confermare denunciare ricordare raccontare
        twittare pubblicare ammettere chiarire insistere lamentare ribattere replicare concludere rivelare
        evidenziare rimarcare chiedere""",
    "pt": """dizer afirmar declarar explicar acrescentar sublinhar salientar escrever anunciar garantir sustentar
        destacar admitir referir adiantar responder alertar assegurar confirmar negar lembrar contar publicar
        frisar ressaltar reforçar concluir insistir lamentar revelar comentar avisar advertir questionar perguntar
        criticar reconhecer prometer""",
}
CUE_LANGUAGES = tuple(CUE_VERBS)

# Forms the rules below do not make (strong and irregular verbs, stem changes), by infinitive.
IRREGULAR_FORMS: dict[str, dict[str, str]] = {
    "fr": {
        "dire": "dit dite dits dites disent dirent disait disaient disant dira diront dirait diraient dis dixit",
        "écrire": "écrit écrite écrits écrites écrivent écrivit écrivirent écrivait écrivaient écrivant écrira "
                  "écriront écrirait écriraient",
        "prévenir": "prévient préviennent prévint prévinrent prévenu prévenue prévenus prévenait prévenaient "
                    "prévenant préviendra préviendront préviendrait",
        "promettre": "promet promettent promit promirent promis promise promises promettait promettaient "
                     "promettant promettra promettront promettrait",
        "admettre": "admet admettent admit admirent admis admise admises admettait admettaient admettant "
                    "admettra admettrait",
        "reconnaître": "reconnaît reconnait reconnaissent reconnut reconnurent reconnu reconnue reconnus "
                       "reconnues reconnaissait reconnaissaient reconnaissant reconnaîtra reconnaitra reconnaîtrait",
        "poursuivre": "poursuit poursuivent poursuivit poursuivirent poursuivi poursuivait poursuivaient "
                      "poursuivant poursuivra poursuivrait",
        "conclure": "conclut concluent conclurent conclu conclue conclus concluait concluaient concluant conclura "
                    "conclurait",
        "répondre": "répond répondent répondit répondirent répondu répondait répondaient répondant répondra "
                    "répondront répondrait",
        "démentir": "dément démentent démentit démentirent démenti démentie démentait démentant démentira",
    },
    "es": {
        "decir": "dice dicen dijo dijeron decía decían dirá dirán diría dirían dicho dicha dichos dichas diciendo "
                 "diga digan dijera dijeran",
        "sostener": "sostiene sostienen sostuvo sostuvieron sostenía sostenían sostendrá sostendría sostenido "
                    "sosteniendo",
        "advertir": "advierte advierten advirtió advirtieron advertía advertían advertirá advertido advirtiendo",
        "recordar": "recuerda recuerdan",
        "negar": "niega niegan",
        "contar": "cuenta cuentan",
        "manifestar": "manifiesta manifiestan",
        "reconocer": "reconozca",
        "escribir": "escrito escrita escritos escritas",
        "concluir": "concluye concluyen concluyó concluyeron concluyendo",
    },
    "en": {
        "say": "said", "tell": "told", "write": "wrote written", "read": "read", "admit": "admitted admitting",
        "quip": "quipped quipping", "snap": "snapped snapping", "dub": "dubbed dubbing", "plead": "pled",
        "label": "labelled labelling", "counter": "countered", "marvel": "marvelled marvelling",
        "cry": "cried cries", "deny": "denied denies", "reply": "replied replies", "testify": "testified testifies",
        "beg": "begged begging", "concur": "concurred concurring", "email": "e-mailed",
    },
    "de": {
        "schreiben": "schreibt schrieb schrieben geschrieben schreibe",
        "rufen": "ruft rief riefen gerufen",
        "unterstreichen": "unterstreicht unterstrich unterstrichen",
        "versprechen": "verspricht versprach versprachen versprochen",
        "widersprechen": "widerspricht widersprach widersprachen widersprochen",
    },
    "it": {
        "dire": "dice dicono disse dissero diceva dicevano dirà diranno direbbe detto detta detti dette dicendo",
        "scrivere": "scritto scritta scritti scrisse scrissero",
        "rispondere": "risposto risposta rispose risposero",
        "sostenere": "sostiene sostengono sostenne sostennero sostenuto sostenuta",
        "aggiungere": "aggiunto aggiunta aggiunse aggiunsero",
        "ammettere": "ammesso ammessa ammise ammisero",
        "chiedere": "chiesto chiesta chiese chiesero",
        "concludere": "concluso conclusa concluse conclusero",
        "insistere": "insistito insistette",
        "ribattere": "ribattuto ribatté",
    },
    "pt": {
        "dizer": "diz dizem disse disseram dizia diziam dirá dirão diria diriam dito dita ditos ditas dizendo",
        "escrever": "escrito escrita",
    },
}


def english_forms(verb: str) -> set[str]:
    """say → says, saying; add → adds, added, adding; cry → cries, cried."""
    forms = {verb}
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(verb + "es")
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        forms.add(verb[:-1] + "ies")
    else:
        forms.add(verb + "s")
    if verb.endswith("ee"):
        forms |= {verb + "d", verb + "ing"}
    elif verb.endswith("e"):
        forms |= {verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2] not in "aeiou":
        forms |= {verb[:-1] + "ied", verb + "ing"}
    else:
        forms |= {verb + "ed", verb + "ing"}
    return forms


FRENCH_ER_ENDINGS = ("e", "es", "ent", "é", "ée", "és", "ées", "ait", "aient", "ant", "a", "èrent", "era",
                     "eront", "erait", "eraient", "er")
FRENCH_IR_ENDINGS = ("it", "issent", "i", "ie", "is", "ies", "issait", "issaient", "issant", "irent", "ira",
                     "iront", "irait", "ir")


def french_forms(verb: str) -> set[str]:
    """déclarer → déclare, déclarent, déclaré(e)(s), déclarait, déclarant, déclara, déclarera …;
    réagir → réagit, réagissent, réagi …; lancer → lança; juger → jugea; rappeler → rappelle."""
    if verb.endswith("ir"):
        stem = verb[:-2]
        return {stem + ending for ending in FRENCH_IR_ENDINGS}
    if not verb.endswith("er"):
        return {verb}  # third-group verbs: their forms are listed by hand
    stem = verb[:-2]
    forms = set()
    for ending in FRENCH_ER_ENDINGS:
        base = stem
        if ending[0] in "ao":
            base = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
        if ending in ("e", "es", "ent", "era", "eront", "erait", "eraient"):
            base = _french_stressed_stem(stem)
        forms.add(base + ending)
    return forms


def _french_stressed_stem(stem: str) -> str:
    """The stem before a mute e: rappel → rappell, martel → martèl, révél → révèl, relev → relèv."""
    if stem in ("rappel", "appel", "jet"):
        return stem + stem[-1]  # verbs that double the consonant rather than take an accent
    if len(stem) >= 3 and stem[-2] in "eé" and stem[-1] not in "aeiouéè" and stem[-3] not in "aeiouéè":
        return stem[:-2] + "è" + stem[-1]
    return stem


SPANISH_ENDINGS = {
    "ar": ("a", "an", "ó", "aron", "aba", "aban", "ará", "arán", "aría", "arían", "ado", "ada", "ados", "adas",
           "ando", "ar"),
    "er": ("e", "en", "ió", "ieron", "ía", "ían", "erá", "erán", "ería", "erían", "ido", "ida", "idos", "idas",
           "iendo", "er", "a", "an"),
    "ir": ("e", "en", "ió", "ieron", "ía", "ían", "irá", "irán", "iría", "irían", "ido", "ida", "idos", "idas",
           "iendo", "ir", "a", "an"),
}


def spanish_forms(verb: str) -> set[str]:
    """afirmar → afirma, afirmó, afirmaron, afirmaba, afirmado …; añadir → añade, añadió …"""
    stem, group = verb[:-2], verb[-2:]
    forms = {stem + ending for ending in SPANISH_ENDINGS.get(group, ())}
    if group == "ar":
        # Subjunctive, spelled before e: explicar → explique, agregar → agregue, puntualizar → puntualice.
        before_e = stem[:-1] + "qu" if stem.endswith("c") else stem + "u" if stem.endswith("g") else \
            stem[:-1] + "c" if stem.endswith("z") else stem
        forms |= {before_e + "e", before_e + "en"}
    return forms


PORTUGUESE_ENDINGS = {
    "ar": ("a", "am", "ou", "aram", "ava", "avam", "ará", "arão", "aria", "ariam", "ado", "ada", "ados", "adas",
           "ando", "ar"),
    "er": ("e", "em", "eu", "eram", "ia", "iam", "erá", "erão", "eria", "eriam", "ido", "ida", "idos", "idas",
           "endo", "er"),
    "ir": ("e", "em", "iu", "iram", "ia", "iam", "irá", "irão", "iria", "iriam", "ido", "ida", "idos", "idas",
           "indo", "ir"),
}


def portuguese_forms(verb: str) -> set[str]:
    """afirmar → afirma, afirmou, afirmaram, afirmava, afirmado …; garantir → garante, garantiu …"""
    stem, group = verb[:-2], verb[-2:]
    return {stem + ending for ending in PORTUGUESE_ENDINGS.get(group, ())}


ITALIAN_ENDINGS = {
    "are": ("a", "ano", "ò", "arono", "ava", "avano", "erà", "eranno", "erebbe", "ato", "ata", "ati", "ate",
            "ando", "are"),
    "ere": ("e", "ono", "eva", "evano", "erà", "eranno", "erebbe", "uto", "uta", "endo", "ere"),
    "ire": ("e", "ono", "isce", "iscono", "ì", "irono", "iva", "ivano", "irà", "iranno", "irebbe", "ito", "ita",
            "iti", "ite", "endo", "ire"),
}


def italian_forms(verb: str) -> set[str]:
    """affermare → afferma, affermò, affermato …; ribadire → ribadisce, ribadì, ribadito …"""
    stem, group = verb[:-3], verb[-3:]
    forms = set()
    for ending in ITALIAN_ENDINGS.get(group, ()):
        base = stem
        if group == "are" and ending.startswith("e"):
            # Future and conditional: annunciare → annuncerà, spiegare → spiegherà.
            base = stem[:-1] if stem.endswith(("ci", "gi")) else stem + "h" if stem.endswith(("c", "g")) else stem
        forms.add(base + ending)
    return forms


# Separable verbs: the finite verb stands alone (`fügte … hinzu`, `teilte … mit`), so these forms are
# listed in full rather than generated from the infinitive.
GERMAN_SEPARABLE = {
    "hinzufügen": "hinzufügen fügte fügten hinzugefügt hinzufügte",
    "mitteilen": "mitteilen teilte teilten mitgeteilt mitteilte",
    "ankündigen": "ankündigen kündigte kündigten angekündigt ankündigte",
}
GERMAN_INSEPARABLE = ("be", "er", "ver", "zer", "ent", "emp", "miss", "ge", "unter", "über")


def german_forms(verb: str) -> set[str]:
    """Weak verbs: sagen → sagt, sagte, sagten, sage, gesagt; erklären → erklärt (no ge-);
    antworten → antwortet, antwortete; kritisieren → kritisiert; twittern → twittert."""
    if verb in GERMAN_SEPARABLE:
        return set(GERMAN_SEPARABLE[verb].split())
    stem = verb[:-2] if verb.endswith("en") else verb[:-1]
    joint = "e" if stem.endswith(("t", "d")) or stem.endswith("n") and stem[-2:-1] not in "aeiouhlr" else ""
    forms = {verb, stem + "e", stem + joint + "t", stem + joint + "te", stem + joint + "ten"}
    if verb.endswith("ieren") or verb.startswith(GERMAN_INSEPARABLE):
        forms.add(stem + joint + "t")
    else:
        forms.add("ge" + stem + joint + "t")
    return forms


# Irregular verbs whose forms are all listed: the rules would make words of other verbs from them
# (Spanish `decir` → `decido`, Italian `dire` → `de`, `dito`).
LISTED_ONLY = {"es": {"decir"}, "it": {"dire"}, "pt": {"dizer"}}

# English verbs that report speech with a particle (`pointed out`, `went on`, `shot back`).
PARTICLE_CUES: dict[str, dict[str, str]] = {
    "en": {"point": "out", "go": "on", "shoot": "back", "fire": "back", "hit": "back", "chime": "in", "push": "back"},
}
PARTICLE_IRREGULAR = {"go": "went gone", "shoot": "shot", "hit": "hit"}


@cache
def _particle_forms(language: str) -> dict[str, str]:
    forms = {}
    for verb, particle in PARTICLE_CUES.get(language, {}).items():
        for form in english_forms(verb) | set(PARTICLE_IRREGULAR.get(verb, "").split()):
            forms[form] = particle
    return forms


def particle_cue(word: str, language: str) -> str | None:
    """The particle that makes a form a speech verb (`went` → `on`), or None."""
    return _particle_forms(language).get(word)


@cache
def cue_candidates(language: str) -> frozenset[str]:
    """Every word that can begin a cue: the forms of the verbs and those used with a particle."""
    return cue_forms(language) | frozenset(_particle_forms(language))


RULES = {"en": english_forms, "fr": french_forms, "es": spanish_forms, "pt": portuguese_forms,
         "it": italian_forms, "de": german_forms}


@cache
def cue_forms(language: str) -> frozenset[str]:
    """Every inflected form of the language's cue verbs, lower case (empty for other languages)."""
    if language not in CUE_VERBS:
        return frozenset()
    rule = RULES[language]
    irregular = IRREGULAR_FORMS.get(language, {})
    forms: set[str] = set()
    for verb in CUE_VERBS[language].split():
        forms |= {verb} if verb in LISTED_ONLY.get(language, ()) else rule(verb)
        forms |= set(irregular.get(verb, "").split())
    return frozenset(forms)
