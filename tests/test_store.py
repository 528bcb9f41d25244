"""The corpus database: ingest is idempotent and survives kill -9, rejects are kept and counted,
search works with filters and gives clear errors for bad queries."""

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

from babelwire.cli import main
from babelwire.config import Config
from babelwire.store.database import SearchFilters, Store, StoreError
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


def test_ingest_stores_each_article_once_and_counts_add_up(tmp_path):
    folder = corpus(tmp_path / "in", {"copy.txt": FRENCH.encode(), "broken.txt": b"\x00\x01binary\x00"})
    store = Store(str(tmp_path / "db.sqlite"))
    first = ingest([str(folder)], Config(), store, batch_size=2)
    assert (first.inputs, first.stored, first.already_stored, first.rejected) == (5, 3, 1, 1)
    assert first.adds_up
    again = ingest([str(folder)], Config(), store, batch_size=2)
    assert (again.inputs, again.stored, again.already_stored, again.rejected) == (5, 0, 4, 1)
    assert store.counts()["articles"] == 3
    rejects = store.rejects()
    assert [r["path"] for r in rejects] == [str(folder / "broken.txt")]
    assert "binary" in rejects[0]["reason"] and rejects[0]["attempts"] == 2


def test_a_reject_that_is_fixed_is_stored_on_the_next_run_and_leaves_the_rejects(tmp_path):
    folder = corpus(tmp_path / "in", {"late.txt": b""})
    store = Store(str(tmp_path / "db.sqlite"))
    ingest([str(folder)], Config(), store)
    assert len(store.rejects()) == 1
    (folder / "late.txt").write_text("Un article enfin écrit, avec assez de mots pour être lu.", encoding="utf-8")
    summary = ingest([str(folder)], Config(), store)
    assert summary.stored == 1 and summary.rejected == 0
    assert store.rejects() == []


def test_search_filters_and_diacritics_insensitive_full_text(tmp_path):
    store = Store(str(tmp_path / "db.sqlite"))
    ingest([str(corpus(tmp_path / "in"))], Config(), store)
    found = store.search(SearchFilters(query="prefecture"))
    assert found.total == 1 and found.items[0]["language"] == "fr"
    assert "[" in found.items[0]["snippet"]
    assert store.search(SearchFilters(language="es")).total == 1
    assert store.search(SearchFilters(date_from="2025-03-01", date_to="2025-03-31")).total == 1
    page = store.search(SearchFilters(per_page=2, page=2, sort="date"))
    assert page.total == 3 and len(page.items) == 1


def test_bad_full_text_syntax_is_a_clear_error(tmp_path):
    store = Store(str(tmp_path / "db.sqlite"))
    with pytest.raises(StoreError, match="not valid full-text syntax"):
        store.search(SearchFilters(query='"unclosed AND ('))


def test_search_values_are_bound_not_interpolated(tmp_path):
    store = Store(str(tmp_path / "db.sqlite"))
    ingest([str(corpus(tmp_path / "in"))], Config(), store)
    hostile = "fr' OR 1=1 --"
    assert store.search(SearchFilters(language=hostile)).total == 0
    assert store.search(SearchFilters(source=hostile, entity="x'); DROP TABLE articles; --")).total == 0
    assert store.counts()["articles"] == 3


def test_reanalyse_refreshes_stored_analyses_without_the_sources(tmp_path):
    folder = corpus(tmp_path / "in")
    store = Store(str(tmp_path / "db.sqlite"))
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


def test_ingest_killed_mid_run_then_rerun_stores_everything_once(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for index in range(40):
        (folder / f"a{index:02}.txt").write_text(f"Article numéro {index}\n\nLe conseil municipal a voté le budget numéro {index} lundi soir, selon le maire.", encoding="utf-8")
    db = tmp_path / "db.sqlite"
    command = [sys.executable, "-m", "babelwire.cli", "ingest", str(folder), "--db", str(db), "--batch-size", "5", "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    # Kill it once some batches are committed but before the end.
    while time.monotonic() < deadline:
        time.sleep(0.2)
        if db.exists() and process.poll() is None:
            try:
                count = Store(str(db)).counts()["articles"]
            except Exception:
                continue
            if count >= 5:
                break
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = Store(str(db)).counts()["articles"]
    assert partial < 40, "the run finished before it could be killed; the test proves nothing"
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr
    store = Store(str(db))
    assert store.counts()["articles"] == 40
    assert f"40 inputs: {40 - partial} stored, {partial} already stored, 0 rejected" in completed.stderr
    # The link stage committed with each batch: every article is in exactly one story and has its
    # fingerprint, and no link was written twice.
    import sqlite3

    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM story_articles").fetchone()[0] == 40
        assert connection.execute("SELECT count(*) FROM article_fingerprints").fetchone()[0] == 40
        assert connection.execute("SELECT sum(size) FROM stories").fetchone()[0] == 40


def test_cli_ingest_search_show_rejects_and_entities(tmp_path, capsys):
    folder = corpus(tmp_path / "in", {"empty.txt": b""})
    db = str(tmp_path / "db.sqlite")
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
