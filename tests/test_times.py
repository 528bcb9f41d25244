"""Dates, times, durations and recurrences (babelwire.analyse.times): short texts written for these
tests in French, Spanish, English and German (a few Italian and Portuguese), and the seed article."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from conftest import line_of

from babelwire import analyze
from babelwire.analyse.times import TimeSettings, TimeTagger
from babelwire.model import TimeExpression

WEDNESDAY = "2024-06-19"  # a Wednesday: `lundi` before, `vendredi` after
TUESDAY = "2024-06-18"


def tag(text: str, language: str, published: str | None = WEDNESDAY, **settings) -> list[TimeExpression]:
    document = analyze(text, published=published, language=language)
    TimeTagger(TimeSettings(**settings)).process(document)
    for time in document.times:
        assert document.text[time.start:time.end] == time.text
    return document.times


def values(times: list[TimeExpression]) -> list[str | None]:
    return [t.value for t in times]


def only(times: list[TimeExpression], contains: str) -> TimeExpression:
    found = [t for t in times if contains in t.text]
    assert len(found) == 1, f"expected one expression containing {contains!r}, got {[t.text for t in times]}"
    return found[0]


# --- absolute dates --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language", [
    ("Le traité a été signé le 18 juin 2024 à Genève.", "fr"),
    ("El tratado se firmó el 18 de junio de 2024 en Ginebra.", "es"),
    ("The treaty was signed on June 18, 2024 in Geneva.", "en"),
    ("Der Vertrag wurde am 18. Juni 2024 in Genf unterzeichnet.", "de"),
    ("Il trattato è stato firmato il 18 giugno 2024 a Ginevra.", "it"),
    ("O tratado foi assinado em 18 de junho de 2024 em Genebra.", "pt"),
])
def test_a_full_date_is_one_date_in_every_language(text, language):
    (time,) = tag(text, language)
    assert (time.type, time.value, time.anchor) == ("DATE", "2024-06-18", None)
    assert "18" in time.text and "2024" in time.text


def test_french_date_extent_keeps_the_article_and_leaves_out_the_preposition():
    times = tag("Les faits remontent au 27 mai 1998 et le procès a eu lieu le 3 mars 1999.", "fr")
    assert [t.text for t in times] == ["27 mai 1998", "le 3 mars 1999"]
    assert values(times) == ["1998-05-27", "1999-03-03"]


def test_numeric_and_iso_dates():
    assert values(tag("Réunion le 05/07/2024, puis le 2024-09-01.", "fr")) == ["2024-07-05", "2024-09-01"]
    assert values(tag("The meeting moved to 7/18/2024.", "en")) == ["2024-07-18"]


def test_month_and_year_and_a_bare_year():
    times = tag("En juin 2023, la production a baissé ; en 1995 déjà, elle était faible.", "fr")
    assert [(t.text, t.value) for t in times] == [("juin 2023", "2023-06"), ("1995", "1995")]


def test_two_digit_year_after_a_month():
    assert values(tag("Le projet a commencé en octobre 98.", "fr", published="1999-05-23")) == ["1998-10"]


# --- weekdays and the tense of the sentence --------------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    ("Il est arrivé lundi à Paris et il repartira vendredi.", "fr", ["2024-06-17", "2024-06-21"]),
    ("Llegó el lunes a Madrid y viajará el viernes a Lisboa.", "es", ["2024-06-17", "2024-06-21"]),
    ("He arrived on Monday and will travel to Rome on Friday.", "en", ["2024-06-17", "2024-06-21"]),
    ("Er kam am Montag an. Am Freitag wird er nach Rom reisen.", "de", ["2024-06-17", "2024-06-21"]),
])
def test_weekdays_look_back_in_the_past_tense_and_ahead_in_the_future(text, language, expected):
    times = tag(text, language)
    assert values(times) == expected
    assert all(t.type == "DATE" and t.anchor == WEDNESDAY for t in times)


def test_a_past_weekday_that_is_the_day_of_writing_is_that_day():
    assert values(tag("Le président est arrivé mardi en Corée.", "fr", published=TUESDAY)) == ["2024-06-18"]


def test_future_weekdays_after_the_date_of_writing():
    times = tag("Après la Corée, il se rendra au Vietnam mercredi et jeudi.", "fr", published=TUESDAY)
    assert [(t.text, t.value) for t in times] == [("mercredi", "2024-06-19"), ("jeudi", "2024-06-20")]


def test_last_and_next_weekday():
    times = tag("Il a démissionné mercredi dernier et sera remplacé lundi prochain.", "fr")
    assert values(times) == ["2024-06-12", "2024-06-24"]


def test_month_without_year_follows_the_tense():
    assert values(tag("En mars, la Russie a opposé son veto.", "fr", published=TUESDAY)) == ["2024-03"]
    assert values(tag("En mars, la Russie présentera un texte.", "fr", published=TUESDAY)) == ["2025-03"]
    assert values(tag("Les élections auront lieu le 2 juin.", "fr", published="2024-05-27")) == ["2024-06-02"]
    assert values(tag("Elle est décédée le 13 février.", "fr", published="2024-02-16")) == ["2024-02-13"]


# --- relative dates ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language", [
    ("Hier, le gouvernement a démissionné.", "fr"),
    ("Ayer dimitió el gobierno.", "es"),
    ("The government resigned yesterday.", "en"),
    ("Die Regierung ist gestern zurückgetreten.", "de"),
])
def test_yesterday(text, language):
    (time,) = tag(text, language)
    assert (time.type, time.value, time.anchor) == ("DATE", "2024-06-18", WEDNESDAY)


@pytest.mark.parametrize("text, language, ago, last_year", [
    ("Il y a deux ans, le pays a voté ; l'année dernière aussi.", "fr", "Il y a deux ans", "l'année dernière"),
    ("Hace dos años el país votó, y el año pasado también.", "es", "Hace dos años", "el año pasado"),
    ("Two years ago the country voted, and last year too.", "en", "Two years ago", "last year"),
    ("Vor zwei Jahren hat das Land gewählt, letztes Jahr auch.", "de", "Vor zwei Jahren", "letztes Jahr"),
])
def test_years_ago_and_last_year(text, language, ago, last_year):
    times = tag(text, language)
    assert [(t.text, t.value) for t in times] == [(ago, "2022"), (last_year, "2023")]


def test_this_year_next_week_and_this_weekend():
    times = tag("Cette année, le salon ouvrira la semaine prochaine ; ce week-end, il a plu.", "fr")
    assert [(t.text, t.value) for t in times] == [("Cette année", "2024"), ("la semaine prochaine", "2024-W26"), ("ce week-end", "2024-W24-WE")]


def test_part_of_day_with_a_relative_day_is_a_time():
    times = tag("Il est mort hier matin ; la réunion a lieu ce soir.", "fr")
    assert [(t.text, t.type, t.value) for t in times] == [("hier matin", "TIME", "2024-06-18TMO"), ("ce soir", "TIME", "2024-06-19TEV")]


def test_season_century_and_decade():
    times = tag("Au XXe siècle, dans les années 1990, puis l'été dernier.", "fr")
    assert [(t.text, t.value) for t in times] == [("XXe siècle", "19XX"), ("les années 1990", "199X"), ("l'été dernier", "2023-SU")]
    assert values(tag("Es el mayor desafío del siglo XXI.", "es")) == ["20XX"]
    assert values(tag("It is the challenge of the 21st century.", "en")) == ["20XX"]


def test_beginning_and_end_of_a_period_are_modifiers():
    times = tag("Le régiment partira début octobre, après la fin de l'année dernière.", "fr", published="2002-09-14")
    assert [(t.text, t.value, t.modifier) for t in times] == [("début octobre", "2002-10", "START"), ("la fin de l'année dernière", "2001", "END")]


def test_since_a_year_is_that_year_from_then_on():
    (time,) = tag("Le pays est sous sanctions depuis 2006.", "fr")
    assert (time.text, time.type, time.value, time.modifier) == ("2006", "DATE", "2006", "ON_OR_AFTER")


# --- times of day and zones ----------------------------------------------------------------------

def test_clock_times_with_their_day():
    times = tag("Mardi vers 21 h 45, il a été transporté à l'hôpital ; il est mort à 2h45 du matin.", "fr")
    assert [(t.text, t.type, t.value, t.modifier) for t in times] == [
        ("Mardi vers 21 h 45", "TIME", "2024-06-18T21:45", "APPROX"),
        ("2h45 du matin", "TIME", "2024-06-18T02:45", None),
    ]


def test_timebank_convention_keeps_the_day_and_the_clock_time_apart():
    times = tag("Il a été transporté mardi vers 21 h 45.", "fr", join_date_and_time=False)
    assert [(t.text, t.type, t.value) for t in times] == [("mardi", "DATE", "2024-06-18"), ("21 h 45", "TIME", "2024-06-18T21:45")]


@pytest.mark.parametrize("text, language, value, zone", [
    ("Le vol part à 14 h 30 heure de Paris.", "fr", "2024-06-19T14:30", "Europe/Paris"),
    ("El partido empieza a las 19.45 hora peninsular.", "es", "2024-06-19T19:45", "Europe/Madrid"),
    ("The market opens at 9 a.m. GMT.", "en", "2024-06-19T09:00", "UTC"),
    ("Die Sitzung beginnt um 20 Uhr MEZ.", "de", "2024-06-19T20:00", "Europe/Berlin"),
    ("The launch is set for 14:00 UTC+2.", "en", "2024-06-19T14:00", "Etc/GMT-2"),
])
def test_zones_written_after_a_time(text, language, value, zone):
    (time,) = tag(text, language)
    assert (time.type, time.value, time.timezone) == ("TIME", value, zone)


def test_zone_from_the_place_the_sentence_names():
    (time,) = tag("L'avion a atterri à Tokyo à 8 h 10.", "fr")
    assert (time.value, time.timezone) == ("2024-06-19T08:10", "Asia/Tokyo")


def test_a_weekday_in_a_zone_ahead_can_be_the_day_after_the_date_of_writing():
    # Written on Tuesday in Madrid: Wednesday 2:45 in Pyongyang is Tuesday 19:45 in Madrid.
    times = tag("L'avion avait atterri à Pyongyang mercredi vers 2h45 du matin (19h45 mardi en Espagne).", "fr", published=TUESDAY)
    pyongyang, madrid = times
    assert (pyongyang.text, pyongyang.value, pyongyang.timezone) == ("mercredi vers 2h45 du matin", "2024-06-19T02:45", "Asia/Pyongyang")
    assert madrid.text.startswith("19h45 mardi") and (madrid.value, madrid.timezone) == ("2024-06-18T19:45", "Europe/Madrid")
    instants = [dt.datetime.fromisoformat(t.value).replace(tzinfo=ZoneInfo(t.timezone)) for t in times]
    assert instants[0] == instants[1]


def test_english_and_german_clock_forms():
    assert values(tag("The vote will take place at 7 pm.", "en")) == ["2024-06-19T19:00"]
    assert values(tag("Das Spiel beginnt um 19.30 Uhr.", "de")) == ["2024-06-19T19:30"]
    assert values(tag("Tonight at 10:30 the results come in.", "en")) == ["2024-06-19T22:30"]


def test_german_weekday_glued_to_a_part_of_day_and_spanish_next_weekday_with_its_hour():
    assert [(t.text, t.value) for t in tag("Am Dienstagabend traf sich der Kanzler mit den Ländern.", "de")] == [("Dienstagabend", "2024-06-18TEV")]
    (time,) = tag("La reunión será el próximo martes a las 10 de la mañana.", "es")
    assert (time.text, time.type, time.value) == ("el próximo martes a las 10 de la mañana", "TIME", "2024-06-25T10:00")


@pytest.mark.parametrize("text, language, value", [
    ("Tre anni fa ha lasciato Roma.", "it", "2021"),
    ("Há dois anos, o país votou.", "pt", "2022"),
    ("Martedì scorso il governo ha approvato la legge.", "it", "2024-06-18"),
    ("Na terça-feira, o presidente chegou a Lisboa.", "pt", "2024-06-18"),
])
def test_italian_and_portuguese(text, language, value):
    assert values(tag(text, language)) == [value]


# --- durations and sets ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, language, extent, value", [
    ("La réunion a duré trois heures.", "fr", "trois heures", "PT3H"),
    ("Vivió en Roma durante dos años.", "es", "dos años", "P2Y"),
    ("The talks lasted for six months.", "en", "six months", "P6M"),
    ("Er lebt seit zehn Jahren in Berlin.", "de", "zehn Jahren", "P10Y"),
    ("Il a attendu une heure et demie.", "fr", "une heure et demie", "PT1.5H"),
    ("Sa première visite depuis 24 ans.", "fr", "24 ans", "P24Y"),
    ("Il a été condamné à une peine de cinq ans.", "fr", "cinq ans", "P5Y"),
    ("C'est arrivé en quelques mois.", "fr", "quelques mois", "PXM"),
])
def test_durations(text, language, extent, value):
    (time,) = tag(text, language)
    assert (time.text, time.type, time.value) == (extent, "DURATION", value)


@pytest.mark.parametrize("text, language, value", [
    ("Le marché a lieu chaque lundi.", "fr", "XXXX-WXX-1"),
    ("El mercado abre cada lunes.", "es", "XXXX-WXX-1"),
    ("The market opens every Monday.", "en", "XXXX-WXX-1"),
    ("Der Markt findet jeden Montag statt.", "de", "XXXX-WXX-1"),
    ("Les inscriptions ont lieu tous les jeudis.", "fr", "XXXX-WXX-4"),
    ("La fête revient tous les ans.", "fr", "P1Y"),
    ("The festival comes back every year.", "en", "P1Y"),
    ("Il vient deux fois par semaine.", "fr", "P1W"),
])
def test_recurrences_are_sets(text, language, value):
    (time,) = tag(text, language)
    assert (time.type, time.value) == ("SET", value)


# --- without a date of writing --------------------------------------------------------------------

def test_without_a_date_of_writing_relative_expressions_stay_underspecified():
    times = tag("Il est arrivé mardi, hier il pleuvait, et le 18 juin il partira. En 2006 aussi.", "fr", published=None)
    assert [(t.text, t.value, t.anchor) for t in times] == [
        ("mardi", "XXXX-WXX-2", None), ("hier", None, None), ("le 18 juin", "XXXX-06-18", None), ("2006", "2006", None),
    ]
    today = dt.date.today().isoformat()
    assert not any(t.value and today in t.value for t in times)


# --- what is not a date --------------------------------------------------------------------------

@pytest.mark.parametrize("text, language", [
    ("fr-02", "fr"),
    ("Je pense que sa visite compte.", "fr"),
    ("Sept personnes ont été blessées.", "fr"),
    ("Un homme de 24 ans a été blessé.", "fr"),
    ("Pierre, 38 ans, habite Lyon.", "fr"),
    ("Le projet a été lancé par le maire.", "fr"),
    ("Il a coûté 2006 euros et 11 000 conteneurs.", "fr"),
    ("La sonde a atterri sur Mars.", "fr"),
    ("Theresa May said she may resign.", "en"),
    ("The fall of Rome is a classic subject.", "en"),
    ("A 24-year-old man was arrested.", "en"),
    ("Un hombre de 24 años fue detenido.", "es"),
    ("Lo leí en el diario El País.", "es"),
    ("Ein 24-jähriger Mann wurde verletzt.", "de"),
    ("Il lit le quotidien régional.", "fr"),
    ("The May Day parade and the March on Washington drew crowds.", "en"),
])
def test_not_dates(text, language):
    assert tag(text, language) == []


def test_unsupported_segment_language_is_noted_and_read_with_the_document_language():
    document = analyze("Le président est arrivé mardi.", published=TUESDAY, language="fr")
    document.segments = [type(s)(s.start, s.end, s.kind, "xx", s.confidence) for s in document.segments]
    TimeTagger(TimeSettings()).process(document)
    assert values(document.times) == ["2024-06-18"]
    assert any("xx" in note for note in document.notes)


def test_settings_can_leave_out_reference_words():
    assert values(tag("Il habite désormais à Lyon.", "fr")) == ["PRESENT_REF"]
    assert tag("Il habite désormais à Lyon.", "fr", reference_words=False) == []


# --- the seed article ----------------------------------------------------------------------------

def test_seed_times_as_findings_lists_them(seed_analysis):
    document = seed_analysis
    times = TimeTagger(TimeSettings()).expressions(document)
    assert times == sorted(times, key=lambda t: (t.start, t.end))
    assert all(document.text[t.start:t.end] == t.text for t in times)
    found = {(line_of(document.text, t.start), t.text): t for t in times}

    def on(line: int, text: str) -> TimeExpression:
        assert (line, text) in found, f"{text!r} on line {line} not found in {sorted(found)}"
        return found[(line, text)]

    assert (on(5, "mardi").type, on(5, "mardi").value) == ("DATE", "2024-06-18")
    pyongyang = on(5, "mercredi vers 2h45 du matin")
    assert (pyongyang.type, pyongyang.value, pyongyang.timezone) == ("TIME", "2024-06-19T02:45", "Asia/Pyongyang")
    madrid = [t for (line, text), t in found.items() if line == 5 and text.startswith("19h45 mardi")]
    assert [(t.type, t.value, t.timezone) for t in madrid] == [("TIME", "2024-06-18T19:45", "Europe/Madrid")]
    assert on(25, "lundi").value == "2024-06-17"
    assert on(35, "lundi").value == "2024-06-17"
    assert on(29, "mars").value == "2024-03"
    assert on(29, "cette année").value == "2024"
    assert (on(37, "Il y a deux ans").type, on(37, "Il y a deux ans").value) == ("DATE", "2022")
    since = on(37, "2006")
    assert (since.value, since.modifier) == ("2006", "ON_OR_AFTER")
    assert on(17, "1950").value == "1950"
    assert on(7, "XXIe siècle").value == "20XX"
    assert (on(37, "mercredi").value, on(37, "jeudi").value) == ("2024-06-19", "2024-06-20")
    for line in (1, 5):
        assert (on(line, "24 ans").type, on(line, "24 ans").value) == ("DURATION", "P24Y")
    # Not dates: the source tag, the possessive `sa`, `24 ans` read as a year.
    texts = [t.text for t in times]
    assert not any("fr-02" in text for text in texts)
    assert "sa" not in texts
    assert not any(t.value in ("0024", "24", "2024-24") for t in times)
    assert not any(t.type == "DATE" and "24 ans" in t.text for t in times)
