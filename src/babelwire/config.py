"""All of babelwire's settings in one typed object, passed explicitly to the stages that need them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from babelwire.analyse.langid import LanguageIdSettings
from babelwire.analyse.entities import EntitySettings
from babelwire.analyse.figures import FigureSettings
from babelwire.analyse.quotes import QuoteSettings
from babelwire.analyse.times import TimeSettings
from babelwire.link.identity import IdentitySettings
from babelwire.link.stream import LinkSettings


@dataclass(frozen=True)
class ReadSettings:
    max_bytes: int = 10 * 1024 * 1024  # a file over this is rejected, not read
    reader: str | None = None  # force a reader by name instead of detecting one
    # What a folder walk picks up; a file named explicitly is read whatever its extension.
    extensions: tuple[str, ...] = (".txt", ".text", ".jsonl", ".ndjson", ".html", ".htm", ".xhtml")


@dataclass(frozen=True)
class CleanSettings:
    repair_glued_words: bool = True
    mark_headings: bool = True
    max_heading_words: int = 9
    # How frequent (wordfreq Zipf scale) a function word must be for "Lavrovles" to split as "Lavrov les".
    glued_suffix_min_zipf: float = 5.0


@dataclass(frozen=True)
class LanguageSettings:
    # Sentences shorter than this (in words) are not searched for a language switch inside them.
    min_words_for_switch: int = 6
    # A language run inside a sentence needs at least this many words to count as a switch.
    min_run_words: int = 3
    switch_penalty: float = 6.0


@dataclass(frozen=True)
class StoreSettings:
    url: str = "sqlite:///babelwire.db"  # a SQLAlchemy URL, or a path to an SQLite file
    batch_size: int = 50  # articles per transaction when ingesting
    workers: int = 1


@dataclass(frozen=True)
class Config:
    read: ReadSettings = field(default_factory=ReadSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    langid: LanguageIdSettings = field(default_factory=LanguageIdSettings)
    languages: LanguageSettings = field(default_factory=LanguageSettings)
    times: TimeSettings = field(default_factory=TimeSettings)
    entities: EntitySettings = field(default_factory=EntitySettings)
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    quotes: QuoteSettings = field(default_factory=QuoteSettings)
    figures: FigureSettings = field(default_factory=FigureSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    link: LinkSettings = field(default_factory=LinkSettings)

    def with_read(self, **changes) -> "Config":
        return replace(self, read=replace(self.read, **changes))
