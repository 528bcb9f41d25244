"""Pipelines are lists of steps; each step has one method, ``run(documents) -> documents``.

Where the steps run is the executor's business (here: in this process, one document at a time,
so that a document that fails is reported and the others go on).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Iterator, Protocol

from typing import TYPE_CHECKING

from babelwire.model import Document

if TYPE_CHECKING:  # config imports the steps' settings, which import this module
    from babelwire.config import Config


class Step(Protocol):
    name: str

    def run(self, documents: Iterable[Document]) -> Iterator[Document]: ...


class DocumentStep:
    """A step that handles each document on its own: subclasses write ``process``."""

    name = "step"

    def process(self, document: Document) -> None:
        raise NotImplementedError

    def run(self, documents: Iterable[Document]) -> Iterator[Document]:
        for document in documents:
            self.process(document)
            yield document


@dataclass
class Pipeline:
    steps: list[Step]

    def run(self, documents: Iterable[Document]) -> Iterator[Document]:
        for step in self.steps:
            documents = step.run(documents)
        yield from documents


@dataclass(frozen=True)
class Failure:
    """A document the pipeline could not analyse, and why."""

    name: str
    problem: str


class LocalExecutor:
    """Runs a pipeline in this process, document by document."""

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def run(self, documents: Iterable[Document], on_each: Callable[[], None] | None = None) -> Iterator[Document | Failure]:
        for document in documents:
            try:
                yield from self.pipeline.run([document])
            except Exception as error:  # one broken document must not stop the batch
                yield Failure(document.metadata.path or document.id, f"analysis failed: {type(error).__name__}: {error}")
            if on_each:
                on_each()


@lru_cache(maxsize=4)
def analysis_pipeline(config: "Config") -> Pipeline:
    """The analysis of one article; built once per process and configuration (models load once)."""
    from babelwire.analyse.debris import DebrisMarker
    from babelwire.analyse.entities import EntityRecognizer
    from babelwire.analyse.figures import FigureFinder
    from babelwire.analyse.quotes import QuoteFinder
    from babelwire.analyse.diagnostics import Diagnostics
    from babelwire.analyse.langid import LanguageIdentifier
    from babelwire.analyse.languages import LanguageSegmenter
    from babelwire.analyse.published import PublishedDate
    from babelwire.analyse.repairs import TextRepairer
    from babelwire.analyse.times import TimeTagger
    from babelwire.link.identity import EntityLinker

    identifier = LanguageIdentifier(config.langid)
    return Pipeline([
        DebrisMarker(),
        TextRepairer(config.clean, identifier),
        LanguageSegmenter(config.languages, config.clean, identifier),
        PublishedDate(),
        TimeTagger(config.times),  # after the date of writing, which relative expressions need
        EntityRecognizer(config.entities),  # each language segment to its own language's recogniser
        EntityLinker(config.identity),  # one identity per entity across spellings, languages, scripts
        QuoteFinder(config.quotes),  # after entities, so that speakers link to them
        FigureFinder(config.figures),
        Diagnostics(),
    ])
