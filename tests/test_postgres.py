"""The corpus on PostgreSQL: its own full-text search (unaccent, per-language stemming, GIN index)
answers the queries SQLite answers, over the same articles, with the same filters and pages."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import text

from babelwire import analyze
from babelwire.store.database import MIGRATIONS, SearchFilters, Store, StoreError
from babelwire.store.ingest import analysis_record


ARTICLES = [  # (title, body, language, published, source)
    ("Incendie près de Marseille", "Les pompiers luttent depuis mardi contre un incendie dans les collines au nord de Marseille. "
     "La préfète a demandé aux habitants de rester chez eux. L'Élysée suit la situation.", "fr", "2025-03-04", "Le Courrier du Sud"),
    ("Grève à la préfecture de Lyon", "Les agents de la préfecture de Lyon sont en grève depuis lundi. "
     "Un pompier syndiqué a pris la parole devant le bâtiment, à Noël dernier déjà.", "fr", "2025-02-11", "Rhône Matin"),
    ("Inundaciones en Valencia", "Las lluvias torrenciales provocaron una inundación en el centro de Valencia. "
     "Los servicios de emergencia evacuaron a cientos de vecinos durante la noche.", "es", "2025-03-05", "Diario de Levante"),
    ("Central bank holds rates", "The central bank kept its main interest rate unchanged on Thursday, citing slowing inflation. "
     "Markets had expected the decision after floods disrupted harvests.", "en", "2025-03-06", "Market Wire"),
    ("Feuerwehr löscht Brand in Köln", "Die Feuerwehren aus drei Stadtteilen löschten in der Nacht einen Brand in einer Lagerhalle an der Hauptstraße. "
     "Der Bürgermeister dankte den Einsatzkräften.", "de", "2025-03-02", "Kölner Blatt"),
    ("Incendio a Milano", "I vigili del fuoco hanno spento un incendio in un magazzino alla periferia di Milano. "
     "Nessun ferito, secondo la prefettura.", "it", "2025-03-03", "Gazzetta Lombarda"),
    ("Chuva forte em Lisboa", "A chuva forte causou inundações em vários bairros de Lisboa durante a madrugada. "
     "A proteção civil pediu prudência aos condutores.", "pt", None, "Jornal da Manhã"),
]

# Queries in the common language, on words as written (SQLite does not stem): both backends must
# return the same articles. Stop words are avoided (PostgreSQL drops them, SQLite does not).
SAME_ANSWERS = [
    "Marseille incendie", "INCENDIE Marseille", "prefecture", "préfecture", "Elysee", "noel", "Marseille OR Valencia", "Marseille OR Lyon -grève",
    '"central bank"', '"bank central"', "Feuerwehr", "Feuerwehren Brand", "Bürgermeister", "burgermeister", "incendio Milano",
    "inundación", "inundacion", "inundações", "Lisboa OR Valencia OR Milano", '"proteção civil"', "pompiers -Lyon", "fuoco NOT Milano",
    "absentword", "Marseille absentword", "préfète OR absentword",
]
# Where PostgreSQL stems, it finds more: the other forms of a word (pompier: pompiers), and words of
# other languages that stem alike (incendie, stemmed by Italian rules for the Italian article, is incendio).
STEMMED = {"pompier": ([2], [1, 2]), "flood": ([], [4]), "incendie": ([1], [1, 6]), "pompiers -Élysée": ([], [2])}
MALFORMED = ['"unclosed', "(", "-pompiers", "OR pompiers", "pompiers OR", "pompiers OR -grève"]


def corpus_records() -> list[dict]:
    records = []
    for title, body, language, published, source in ARTICLES:
        document = analyze(f"{title}\n\n{body}", title=title, source=source, published=published, language=language)
        records.append(analysis_record(document, {}))
    return records


@pytest.fixture(scope="module")
def records():
    return corpus_records()


@pytest.fixture
def both(records, tmp_path, postgres_url):
    """The same articles saved (without the link stage) into a fresh SQLite and PostgreSQL store."""
    stores = {"sqlite": Store(str(tmp_path / "same.sqlite")), "postgresql": Store(postgres_url)}
    for store in stores.values():
        store.save_batch(records)
    return stores


def ids(store: Store, query: str | None = None, **filters) -> list[int]:
    return [item["id"] for item in store.search(SearchFilters(query=query, per_page=200, **filters)).items]


def test_the_same_query_finds_the_same_articles_on_both_backends(both):
    sqlite, postgresql = both["sqlite"], both["postgresql"]
    assert sqlite.article_ids() == postgresql.article_ids()  # saved in the same order, same ids
    for query in SAME_ANSWERS:
        assert sorted(ids(sqlite, query)) == sorted(ids(postgresql, query)), query
    assert ids(sqlite, "prefecture") and ids(sqlite, "Marseille OR Valencia") and not ids(sqlite, "absentword")


def test_where_postgresql_stems_it_finds_more_never_less(both):
    sqlite, postgresql = both["sqlite"], both["postgresql"]
    for query, (on_sqlite, on_postgresql) in STEMMED.items():
        assert (sorted(ids(sqlite, query)), sorted(ids(postgresql, query))) == (on_sqlite, on_postgresql), query


def test_filters_date_order_and_pages_are_the_same_on_both_backends(both):
    sqlite, postgresql = both["sqlite"], both["postgresql"]
    for filters in ({"language": "fr"}, {"source": "Market Wire"}, {"date_from": "2025-03-03"}, {"date_to": "2025-03"},
                    {"date_from": "2025-03-01", "date_to": "2025-03-04"}, {"query": "incendie OR incendio", "date_to": "2025-03-03"},
                    {"query": "préfecture", "language": "fr"}, {"has_debris": False}, {"has_foreign": False}, {"entity": "Marseille"}):
        assert ids(sqlite, sort="date", **filters) == ids(postgresql, sort="date", **filters), filters
    # By date: newest first, the undated article last, on both.
    order = ids(postgresql, sort="date")
    assert order == ids(sqlite, sort="date") and order[-1] == 7 and order[0] == 4
    for page in (1, 2, 3):
        one = sqlite.search(SearchFilters(sort="date", per_page=3, page=page))
        other = postgresql.search(SearchFilters(sort="date", per_page=3, page=page))
        assert (one.total, [i["id"] for i in one.items]) == (other.total, [i["id"] for i in other.items])


def test_relevance_puts_the_article_about_the_words_first_on_both_backends(both):
    for store in both.values():
        # Article 1 names Marseille, its pompiers and the incendie in title and body; article 2
        # only a pompier. Article 3 names Valencia twice and its inundaciones; article 7 Lisboa once.
        assert ids(store, "Marseille OR pompiers OR incendie")[0] == 1
        assert ids(store, "Lisboa OR inundaciones OR Valencia")[0] == 3


def test_a_malformed_query_is_the_same_clear_error_on_both_backends(both):
    for query in MALFORMED:
        messages = []
        for store in both.values():
            with pytest.raises(StoreError) as raised:
                store.search(SearchFilters(query=query))
            messages.append(str(raised.value))
        assert messages[0] == messages[1] and "not valid full-text syntax" in messages[0] and "\n" not in messages[0]


def test_accents_never_matter_on_postgresql(both):
    store = both["postgresql"]
    assert ids(store, "elysee") == ids(store, "ÉLYSÉE") == [1]
    assert ids(store, "prefete") == [1]
    assert ids(store, "NOËL") == ids(store, "noel") == [2]
    found = store.search(SearchFilters(query="elysee")).items[0]
    assert "[Élysée]" in found["snippet"]  # highlighted as written
    assert ids(store, "hauptstrasse") == [5]  # unaccent also folds ß (SQLite's tokenizer does not)


def test_words_are_stemmed_by_each_article_language_on_postgresql(both):
    store = both["postgresql"]
    assert sorted(ids(store, "pompier")) == sorted(ids(store, "pompiers")) == [1, 2]  # pompiers, pompier
    assert ids(store, "flood") == [4]  # floods
    assert ids(store, "Feuerwehr") == [5]  # Feuerwehren
    assert ids(store, "vigile") == [6]  # vigili
    assert ids(store, "lluvia") == [3]  # lluvias
    # SQLite matches words as written.
    assert ids(both["sqlite"], "pompier") == [2]


def test_an_article_in_a_language_without_a_stemmer_is_matched_word_for_word(records, postgres_url):
    record = dict(records[0], language="xx")
    store = Store(postgres_url)
    store.save_batch([record])
    assert ids(store, "pompiers") == [1] and ids(store, "pompier") == []
    assert ids(store, "Elysee") == [1]  # still without accents


def test_replacing_an_analysis_refreshes_the_search_vector(records, postgres_url):
    store = Store(postgres_url)
    store.save_batch(records[:1])
    assert ids(store, "Marseille") == [1]
    store.replace_analysis(1, records[2])  # now the Spanish article
    assert ids(store, "Marseille") == [] and ids(store, "inundaciones") == [1]


def test_full_text_search_is_answered_by_the_gin_index(both):
    store = both["postgresql"]
    params = {"query": "incendie OR incendio Marseille -grève"}
    with store.engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))  # a tiny table is otherwise scanned
        from babelwire.store.database import parse_query

        condition, _, bound = store._postgres_full_text(parse_query(params["query"]))
        plan = "\n".join(connection.execute(text(f"EXPLAIN SELECT a.id FROM articles a WHERE {condition}"), bound).scalars())
    assert "ix_articles_search_vector" in plan, plan


def test_matching_article_ids_is_a_condition_for_other_queries(both):
    from sqlalchemy import select

    from babelwire.store.tables import Article

    for store in both.values():
        with store.session() as session:
            found = session.scalars(select(Article.id).where(Article.id.in_(store.matching_article_ids("Marseille OR Valencia")),
                                                             Article.language == "fr")).all()
        assert found == [1]


def test_migrations_go_down_and_up_again_on_postgresql(postgres_url):
    store = Store(postgres_url)
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM pg_ts_config WHERE cfgname LIKE 'babelwire%'")).scalar_one() == 0
    store = Store(postgres_url)  # opening upgrades again
    assert store.search(SearchFilters(query="anything")).total == 0
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT babelwire_search_config('fr')::text")).scalar_one() == "babelwire_french"
        assert connection.execute(text("SELECT babelwire_search_config('pt-BR')::text")).scalar_one() == "babelwire_portuguese"
        assert connection.execute(text("SELECT babelwire_search_config('und')::text")).scalar_one() == "babelwire_simple"


def test_link_tables_keep_bytes_and_json_on_postgresql(tmp_path, postgres_url):
    from babelwire.config import Config
    from babelwire.store.ingest import ingest
    from babelwire.store.tables import ArticleFingerprint, LinkState

    folder = tmp_path / "in"
    folder.mkdir()
    body = "Les pompiers luttent depuis mardi contre un incendie dans les collines au nord de Marseille, a indiqué la préfète."
    (folder / "a.txt").write_text("Incendie près de Marseille\n\n" + body, encoding="utf-8")
    (folder / "b.txt").write_text("Incendie près de Marseille\n\n" + body + " Mise à jour.", encoding="utf-8")
    store = Store(postgres_url)
    assert ingest([str(folder)], Config(), store).stored == 2
    with store.session() as session:
        fingerprints = session.query(ArticleFingerprint).all()
        assert all(isinstance(row.minhash, bytes) and len(row.minhash) > 0 for row in fingerprints)
        assert isinstance(session.get(LinkState, "stories").data, bytes)
    (link,) = [link for link in store.links_of(2) if link["kind"] != "same-story"]
    assert link["kind"] in ("duplicate", "near-duplicate") and isinstance(link["evidence"], dict)
    # A second run loads the linker back from those bytes.
    (folder / "c.txt").write_text("Incendie près de Marseille\n\n" + body + " Nouvelle mise à jour du soir.", encoding="utf-8")
    assert ingest([str(folder)], Config(), store).stored == 1
    assert store.counts()["articles"] == 3 and len(store.story(store.article(3)["story_id"])["timeline"]) == 3
