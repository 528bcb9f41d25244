"""Full-text search on PostgreSQL: per-language text search configurations that fold diacritics
(unaccent, then the language's stemmer), a tsvector of each article's title and clean text computed
by the database, and a GIN index on it. Nothing to do on SQLite (its FTS5 index is in 0001).

Each article's words are stemmed the way its language stems them (``babelwire_search_config``
maps an ISO 639-1 code to a configuration; ``simple`` — lower case, no stemming — for languages
PostgreSQL has no stemmer for). Store.search stems a query the same way for each language.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# ISO 639-1 code -> PostgreSQL's built-in configuration of that language (snowball stemmer and
# stop words). Frozen here: a later change of the mapping needs a new migration, as every stored
# vector was computed with this one.
LANGUAGE_CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish", "nl": "dutch",
    "en": "english", "fi": "finnish", "fr": "french", "de": "german", "el": "greek", "hi": "hindi",
    "hu": "hungarian", "id": "indonesian", "ga": "irish", "it": "italian", "lt": "lithuanian", "ne": "nepali",
    "no": "norwegian", "nb": "norwegian", "nn": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}
PREFIX = "babelwire_"
# Token types of words with letters beyond ASCII: these go through unaccent before the stemmer.
ACCENTED_TOKENS = ("word", "hword", "hword_part")
# A tsvector holds at most 1 MB, and an insert whose vector is larger fails: the first 100,000
# characters of an article are indexed (a long news article several times over; text of unique
# short tokens, the worst case, stays under half the limit; positions beyond word 16,383 all
# count as the last one anyway).
INDEXED_CHARACTERS = 100_000


def quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema = connection.execute(sa.text("SELECT current_schema()")).scalar_one()
    unaccent_schema = connection.execute(sa.text(
        "SELECT n.nspname FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE d.dictname = 'unaccent'")).scalar_one()
    available = set(connection.execute(sa.text(
        "SELECT cfgname FROM pg_ts_config WHERE cfgnamespace = 'pg_catalog'::regnamespace")).scalars())
    configs = sorted({name for name in LANGUAGE_CONFIGS.values() if name in available} | {"simple"})
    for name in configs:
        target = f"{quoted(schema)}.{quoted(PREFIX + name)}"
        op.execute(f"CREATE TEXT SEARCH CONFIGURATION {target} (COPY = pg_catalog.{quoted(name)})")
        mapped = connection.execute(sa.text(
            "SELECT t.alias, array_agg(m.mapdict::regdictionary::text ORDER BY m.mapseqno) "
            "FROM pg_ts_config_map m JOIN ts_token_type('pg_catalog.default') t ON t.tokid = m.maptokentype "
            "WHERE m.mapcfg = CAST(:config AS regconfig) AND t.alias = ANY(:tokens) GROUP BY t.alias"),
            {"config": f"pg_catalog.{name}", "tokens": list(ACCENTED_TOKENS)}).all()
        for token, dictionaries in mapped:
            # regdictionary::text is already quoted (and qualified) as needed.
            chain = ", ".join([f"{quoted(unaccent_schema)}.unaccent", *dictionaries])
            op.execute(f"ALTER TEXT SEARCH CONFIGURATION {target} ALTER MAPPING FOR {quoted(token)} WITH {chain}")

    def config(name: str) -> str:
        return f"{literal(quoted(schema) + '.' + quoted(PREFIX + name))}::regconfig"

    cases = " ".join(f"WHEN {literal(code)} THEN {config(name)}" for code, name in sorted(LANGUAGE_CONFIGS.items()) if name in available)
    # Immutable (the mapping is fixed above), so a stored generated column may use it.
    op.execute(f"""
        CREATE FUNCTION {quoted(schema)}.babelwire_search_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
            SELECT CASE split_part(replace(lower(coalesce(language, '')), '_', '-'), '-', 1)
                {cases} ELSE {config('simple')} END
        $$""")
    # The configuration of each article, kept (4 bytes) so that searches compare it, not recompute it.
    op.execute(f"""
        ALTER TABLE articles ADD COLUMN search_config regconfig GENERATED ALWAYS AS (
            {quoted(schema)}.babelwire_search_config(language)) STORED""")
    op.execute(f"""
        ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector({quoted(schema)}.babelwire_search_config(language), coalesce(title, '')), 'A') ||
            setweight(to_tsvector({quoted(schema)}.babelwire_search_config(language), left(clean_text, {INDEXED_CHARACTERS})), 'B')
        ) STORED""")
    # Kept in the table row (compressed) rather than out of line: matching reads it for every
    # candidate, and the planner, which does not count TOAST reads, then weighs scans correctly.
    op.execute("ALTER TABLE articles ALTER COLUMN search_vector SET STORAGE MAIN")
    # New entries wait in a pending list that every search reads through until it is merged (by
    # VACUUM, or by the insert that fills it): a short list keeps searches fast while ingesting.
    op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector) WITH (gin_pending_list_limit = 256)")
    # Latest first with undated articles last, as search sorts by date (SQLite's own order of NULL).
    op.execute("CREATE INDEX ix_articles_published_latest ON articles (published DESC NULLS LAST, id DESC)")


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_articles_published_latest")
    op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_config")
    op.execute("DROP FUNCTION IF EXISTS babelwire_search_config(text)")
    names = connection.execute(sa.text("SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE :prefix AND cfgnamespace = current_schema()::regnamespace"),
                               {"prefix": PREFIX.replace("_", "\\_") + "%"}).scalars().all()
    for name in names:
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {quoted(name)}")
