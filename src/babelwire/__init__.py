"""babelwire: raw multilingual news articles in, clean, structured, linked records out.

    from babelwire import analyze
    result = analyze(text, title=..., url=..., source=..., published=...)
    result.language, result.segments, result.clean_text, to_dict(result)
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babelwire.config import Config
    from babelwire.model import Document


def __getattr__(name: str):
    # Config and Document load on first use so that `import babelwire` stays light.
    if name == "Config":
        from babelwire.config import Config

        return Config
    if name == "Document":
        from babelwire.model import Document

        return Document
    raise AttributeError(f"module 'babelwire' has no attribute {name!r}")


def analyze(text: str, *, title: str | None = None, url: str | None = None, source: str | None = None,
            published: str | None = None, language: str | None = None, config: "Config | None" = None) -> "Document":
    """Analyses one article given as text; metadata the caller knows is passed by keyword."""
    from babelwire.read import read_text

    if not isinstance(text, str):
        raise TypeError(f"analyze() takes the article as str, not {type(text).__name__}")
    document = read_text(text, title=title, url=url, source=source, published=published, language=language)
    return analyze_document(document, config)


def analyze_document(document: "Document", config: "Config | None" = None) -> "Document":
    from babelwire.config import Config
    from babelwire.pipeline import analysis_pipeline

    (result,) = analysis_pipeline(config or Config()).run([document])
    return result


def to_dict(document: "Document") -> dict:
    from babelwire.output import document_to_dict

    return document_to_dict(document)


__all__ = ["Config", "Document", "analyze", "analyze_document", "to_dict", "__version__"]
