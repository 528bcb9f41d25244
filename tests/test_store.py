"""The corpus database, on SQLite and on PostgreSQL (``store_url`` runs a test on each): ingest is
idempotent and survives kill -9, rejects are kept and counted, search works with filters and gives
clear errors for bad queries, and the query language is the same on both backends."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from babelwire.cli import main
from babelwire.config import Config
from babelwire.store.database import FullTextQuery, SearchFilters, Store, StoreError, database_url, fts5_expression, parse_query
from babelwire.store.ingest import ingest


FRENCH = "Incendie dans les collines de Marseille\n\nUn incendie s’est déclaré mardi 4 mars 2025 au nord de Marseille, a indiqué la préfecture.\n\nPlus de 300 pompiers sont mobilisés."
SPANISH = "Inundaciones en Valencia\n\nLas lluvias torrenciales del lunes obligaron a evacuar a cientos de vecinos en Valencia.\n\nLos servicios de emergencia siguen en alerta."
ENGLISH = "Central bank holds rates\n\nThe central bank kept its main interest rate unchanged on Thursday, citing slowing inflation.\n\nMarkets had expected the decision."


def corpus(folder: Path, extra: dict[str, bytes] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "es.txt").write_text(SPANISH, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    for name, data in (extra or {}).items():
        (folder / name).write_bytes(data)
    return folder


def row_count(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # table names are ours


def found_ids(store: Store, query: str, **filters) -> set[int]:
    return {item["id"] for item in store.search(SearchFilters(query=query, per_page=200, **filters)).items}


def test_ingest_stores_each_article_once_and_counts_add_up(tmp_path, store_url):
    folder = corpus(tmp_path / "in", {"copy.txt": FRENCH.encode(), "broken.txt": b"\x00\x01binary\x00"})
    store = Store(store_url)
    first = ingest([str(folder)], Config(), store, batch_size=2)
    assert (first.inputs, first.stored, first.already_stored, first.rejected) == (5, 3, 1, 1)
    assert first.adds_up
    again = ingest([str(folder)], Config(), store, batch_size=2)
    assert (again.inputs, again.stored, again.already_stored, again.rejected) == (5, 0, 4, 1)
    assert store.counts()["articles"] == 3
    rejects = store.rejects()
    assert [r["path"] for r in rejects] == [str(folder / "broken.txt")]
    assert "binary" in rejects[0]["reason"] and rejects[0]["attempts"] == 2


def test_a_reject_that_is_fixed_is_stored_on_the_next_run_and_leaves_the_rejects(tmp_path, store_url):
    folder = corpus(tmp_path / "in", {"late.txt": b""})
    store = Store(store_url)
    ingest([str(folder)], Config(), store)
    assert len(store.rejects()) == 1
    (folder / "late.txt").write_text("Un article enfin écrit, avec assez de mots pour être lu.", encoding="utf-8")
    summary = ingest([str(folder)], Config(), store)
    assert summary.stored == 1 and summary.rejected == 0
    assert store.rejects() == []


def test_search_filters_and_diacritics_insensitive_full_text(tmp_path, store_url):
    store = Store(store_url)
    ingest([str(corpus(tmp_path / "in"))], Config(), store)
    found = store.search(SearchFilters(query="prefecture"))
    assert found.total == 1 and found.items[0]["language"] == "fr"
    assert "[préfecture]" in found.items[0]["snippet"]
    assert store.search(SearchFilters(query="PRÉFECTURE")).total == 1
    assert store.search(SearchFilters(language="es")).total == 1
    assert store.search(SearchFilters(query="valencia", language="fr")).total == 0
    assert store.search(SearchFilters(date_from="2025-03-01", date_to="2025-03-31")).total == 1
    assert store.search(SearchFilters(date_to="2025-02")).total == 0
    page = store.search(SearchFilters(per_page=2, page=2, sort="date"))
    assert page.total == 3 and len(page.items) == 1
    # By date: the dated French article first, the undated ones after it, newest id first.
    by_date = [item["id"] for item in store.search(SearchFilters(sort="date")).items]
    languages = {item["id"]: item["language"] for item in store.search(SearchFilters()).items}
    assert languages[by_date[0]] == "fr" and by_date[1:] == sorted(by_date[1:], reverse=True)


def test_query_language_words_phrases_or_and_exclusion_on_both_backends(tmp_path, store_url):
    store = Store(store_url)
    ingest([str(corpus(tmp_path / "in"))], Config(), store)
    language_of = {item["id"]: item["language"] for item in store.search(SearchFilters()).items}
    ids = {language: article_id for article_id, language in language_of.items()}
    assert found_ids(store, "incendie Marseille") == {ids["fr"]}
    assert found_ids(store, "incendie Valencia") == set()  # every word must appear
    assert found_ids(store, '"central bank"') == {ids["en"]}
    assert found_ids(store, '"bank central"') == set()  # a phrase keeps its order
    assert found_ids(store, "Marseille OR Valencia") == {ids["fr"], ids["es"]}
    # OR binds tighter than the implicit AND: alerta and (Marseille or Valencia).
    assert found_ids(store, "Marseille OR Valencia alerta") == {ids["es"]}
    assert found_ids(store, "Marseille OR Valencia -alerta") == {ids["fr"]}
    assert found_ids(store, 'Marseille OR Valencia -"servicios de emergencia"') == {ids["fr"]}
    assert found_ids(store, "Marseille OR Valencia NOT alerta") == {ids["fr"]}  # NOT is - for boolean habits
    assert found_ids(store, "Marseille AND incendie") == {ids["fr"]}  # AND is implied anyway
    assert found_ids(store, "s’est déclaré") == {ids["fr"]}  # punctuation inside a word: its parts, in order
    assert found_ids(store, "(bank) rates*") == {ids["en"]}  # brackets and stars are not operators
    assert found_ids(store, "or") == set()  # a lowercase or is a word, found in no article here


@pytest.mark.parametrize("query, problem", [
    ('"unclosed AND (', "a double quote is not closed"),
    ("(", "there is no word to look for"),
    ("-alone", "excluded words alone match nothing"),
    ("OR fire", "OR must stand between two words or phrases"),
    ("fire OR", "OR must stand between two words or phrases"),
    ("fire OR -flood", "an excluded word cannot be an alternative of OR"),
    ("fire NOT", "NOT must come before a word or phrase"),
    (" ".join(f"w{number}" for number in range(40)), "more than 32 words"),
])
def test_bad_full_text_syntax_is_a_clear_one_line_error(store_url, query, problem):
    store = Store(store_url)
    with pytest.raises(StoreError, match="not valid full-text syntax") as raised:
        store.search(SearchFilters(query=query))
    message = str(raised.value)
    assert problem in message and "\n" not in message and "-word" in message  # the syntax is recalled


def test_the_query_is_parsed_once_then_written_for_each_backend():
    parsed = parse_query('fire OR "forest fire" Valencia -drill')
    assert parsed == FullTextQuery(clauses=(("fire", "forest fire"), ("Valencia",)), excluded=("drill",))
    assert fts5_expression(parsed) == '(("fire" OR "forest fire") AND "Valencia") NOT ("drill")'
    # FTS5 operators and quotes typed by a user are plain text inside quoted strings.
    assert fts5_expression(parse_query("NEAR(a b) title:x")) == '"NEAR(a" AND "b)" AND "title:x"'
    assert parse_query("a\x00b").clauses == (("a",), ("b",))


def test_search_values_are_bound_not_interpolated(tmp_path, store_url):
    store = Store(store_url)
    ingest([str(corpus(tmp_path / "in"))], Config(), store)
    hostile = "fr' OR 1=1 --"
    assert store.search(SearchFilters(language=hostile)).total == 0
    assert store.search(SearchFilters(source=hostile, entity="x'); DROP TABLE articles; --")).total == 0
    assert store.search(SearchFilters(query="incendie'); DROP TABLE articles; --")).total == 0
    assert store.search(SearchFilters(language="fr\x00")).total == 0
    # A NUL character (which PostgreSQL refuses) is no error; the name is folded as usual.
    assert store.search(SearchFilters(entity="Marseille\x00")).total == store.search(SearchFilters(entity="Marseille")).total
    assert store.counts()["articles"] == 3


def test_reanalyse_refreshes_stored_analyses_without_the_sources(tmp_path, store_url):
    folder = corpus(tmp_path / "in")
    store = Store(store_url)
    ingest([str(folder)], Config(), store)
    for path in folder.iterdir():
        path.unlink()
    ids = store.article_ids()
    before = store.article(ids[0])
    from babelwire.store.ingest import reanalyse

    assert reanalyse(store, Config()) == 3
    after = store.article(ids[0])
    assert after["text"] == before["text"] and after["clean_text"] == before["clean_text"]
    assert after["provenance"]["analysed_at"] >= before["provenance"]["analysed_at"]
    assert store.search(SearchFilters(query="prefecture")).total == 1


def test_text_with_nul_characters_is_stored_exactly_on_both_backends(tmp_path, store_url):
    # A JSON line may carry U+0000, which PostgreSQL text cannot hold; the analysis keeps it.
    line = json.dumps({"id": "n1", "title": "Séisme au large", "text": "Un séisme\u0000 a frappé la côte mardi, selon les autorités locales."})
    (tmp_path / "feed.jsonl").write_text(line + "\n", encoding="utf-8")
    store = Store(store_url)
    summary = ingest([str(tmp_path / "feed.jsonl")], Config(), store)
    assert summary.stored == 1 and summary.rejected == 0
    (article_id,) = store.article_ids()
    assert "séisme\u0000 a frappé" in store.article(article_id)["text"]
    assert found_ids(store, "seisme cote") == {article_id}


def test_postgresql_urls_get_the_installed_driver():
    assert database_url("postgresql://reader@db.example:5432/news") == "postgresql+psycopg://reader@db.example:5432/news"
    assert database_url("postgres://reader@db.example/news") == "postgresql+psycopg://reader@db.example/news"
    assert database_url("postgresql+psycopg://reader@db.example/news") == "postgresql+psycopg://reader@db.example/news"
    assert database_url("corpus.db").startswith("sqlite:///")


def test_an_unreachable_server_is_a_one_line_error_without_the_password():
    with pytest.raises(StoreError) as raised:
        Store("postgresql://reader:s3cret@127.0.0.1:1/news")
    message = str(raised.value)
    assert "s3cret" not in message and "\n" not in message and "127.0.0.1" in message


def committed_articles(db: str) -> int | None:
    """Articles committed so far, read without migrating (the child process does that), or None."""
    from sqlalchemy import create_engine

    url = database_url(db)
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM articles")).scalar_one()
    except Exception:  # the child is still creating the tables
        return None
    finally:
        engine.dispose()


def _kill_mid_ingest_then_rerun(tmp_path: Path, db: str) -> Store:
    """Ingests 40 articles in a child process killed with SIGKILL once some batches are committed,
    then reruns it; returns the store after the rerun."""
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(40):
        (folder / f"a{index:02}.txt").write_text(f"Article numéro {index}\n\nLe conseil municipal a voté le budget numéro {index} lundi soir, selon le maire.", encoding="utf-8")
    command = [sys.executable, "-m", "babelwire.cli", "ingest", str(folder), "--db", db, "--batch-size", "5", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    # Kill it once some batches are committed but before the end.
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if process.poll() is None and (committed_articles(db) or 0) >= 5:
            break
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = Store(db).counts()["articles"]
    assert partial < 40, "the run finished before it could be killed; the test proves nothing"
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr
    store = Store(db)
    assert store.counts()["articles"] == 40
    assert f"40 inputs: {40 - partial} stored, {partial} already stored, 0 rejected" in completed.stderr
    # The link stage committed with each batch: every article is in exactly one story and has its
    # fingerprint, and no link was written twice.
    assert row_count(store, "story_articles") == 40
    assert row_count(store, "article_fingerprints") == 40
    with store.engine.connect() as connection:
        assert connection.execute(text("SELECT sum(size) FROM stories")).scalar_one() == 40
    return store


def test_ingest_killed_mid_run_then_rerun_stores_everything_once(tmp_path):
    _kill_mid_ingest_then_rerun(tmp_path, str(tmp_path / "db.sqlite"))


def test_ingest_into_postgresql_killed_mid_run_then_rerun_stores_everything_once(tmp_path, postgres_url):
    store = _kill_mid_ingest_then_rerun(tmp_path, postgres_url)
    assert store.search(SearchFilters(query="budget numéro")).total == 40


def test_cli_ingest_search_show_rejects_and_entities(tmp_path, capsys, store_url):
    folder = corpus(tmp_path / "in", {"empty.txt": b""})
    db = store_url
    assert main(["ingest", str(folder), "--db", db, "--no-progress"], stdout=io.StringIO()) == 1
    err = capsys.readouterr().err
    assert "4 inputs: 3 stored, 0 already stored, 1 rejected" in err and "empty.txt: empty input" in err
    out = io.StringIO()
    assert main(["search", "pompiers", "--db", db, "--json"], stdout=out) == 0
    result = json.loads(out.getvalue())
    assert result["total"] == 1
    article_id = result["items"][0]["id"]
    out = io.StringIO()
    assert main(["show", str(article_id), "--db", db], stdout=out) == 0
    assert "language   fr" in out.getvalue()
    out = io.StringIO()
    assert main(["rejects", "--db", db], stdout=out) == 0 and "empty.txt" in out.getvalue()
    assert main(["search", "(", "--db", db], stdout=io.StringIO()) == 1
    assert "not valid full-text syntax" in capsys.readouterr().err
    assert main(["show", "9999", "--db", db], stdout=io.StringIO()) == 1
    out = io.StringIO()
    assert main(["stories", "--db", db, "--json"], stdout=out) == 0
    assert sum(item["size"] for item in json.loads(out.getvalue())["items"]) == 3
