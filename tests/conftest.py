"""Shared fixtures. `../shared` (the seed article and evaluation data) is read, never copied."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from postgres import postgres_server, postgres_url, store_url  # noqa: F401  (throwaway PostgreSQL server, per-backend store URLs)

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BABELWIRE_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "000_cb95c1b5dbc1f6a6.txt"
EXAMPLES = REPO / "examples"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the folder ../shared (evaluation data, seed article) is not beside this checkout")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return need_shared(SEED)


@pytest.fixture(scope="session")
def seed_analysis(seed_path):
    from babelwire.pipeline import analysis_pipeline
    from babelwire.config import Config, ReadSettings
    from babelwire.read import read_source
    from babelwire.read.sources import Source

    (document,) = read_source(Source(str(seed_path), seed_path.read_bytes()), ReadSettings())
    (result,) = analysis_pipeline(Config()).run([document])
    return result


def line_of(text: str, offset: int) -> int:
    """1-based line number of an offset, as FINDINGS.md counts lines."""
    return text.count("\n", 0, offset) + 1


@pytest.fixture(scope="session")
def examples_store(tmp_path_factory):
    """The shipped examples ingested once (analysis, links, stories) into an SQLite store."""
    from babelwire.config import Config
    from babelwire.store.database import Store
    from babelwire.store.ingest import ingest

    store = Store(str(tmp_path_factory.mktemp("examples") / "examples.db"))
    summary = ingest([str(EXAMPLES)], Config(), store)
    assert summary.rejected == 0 and summary.adds_up, summary.line()
    return store
