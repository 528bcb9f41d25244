"""The readable terminal report of one analysis."""

from __future__ import annotations

import textwrap

from babelwire.model import Document

MAX_QUOTE = 70


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _quote(text: str, limit: int = MAX_QUOTE) -> str:
    flat = " ".join(text.split())
    return f"“{flat}”" if len(flat) <= limit else f"“{flat[: limit - 1]}…”"


def render_report(document: Document) -> str:
    from babelwire.output import document_to_dict

    return render_record(document_to_dict(document))


class _Record:
    """Attribute access over the analysis JSON, so the report reads like the model."""

    def __init__(self, data):
        self._data = data

    def __getattr__(self, name):
        value = self._data.get(name)
        if isinstance(value, dict):
            return _Record(value)
        if isinstance(value, list):
            return [_Record(item) if isinstance(item, dict) else item for item in value]
        return value

    def __getitem__(self, key):
        return self._data[key]

    def get(self, key, default=None):
        return self._data.get(key, default)


def render_record(record: dict) -> str:
    """The readable report of one analysis, from its JSON (stored or fresh)."""
    document = _Record(record)
    text, meta, diag = document.text, document.metadata, record.get("diagnostics", {})
    out: list[str] = [meta.path or document.id]
    if record.get("article_id"):
        out[0] += f"  (article {record['article_id']})"
    if meta.title:
        out.append(f"  title      {_quote(meta.title, 100)}")
    foreign = diag.get("foreign_share", 0.0)
    others = sorted({lang for lang in diag.get("languages", {}) if lang not in (document.language, "und")})
    language_line = f"  language   {document.language} (confidence {document.language_confidence:.2f})"
    if others:
        language_line += f"; {foreign:.0%} of the body in {', '.join(others)}"
    out.append(language_line)
    published = document.published
    if published.value:
        out.append(f"  written    {published.value} ({published.source}, confidence {published.confidence:.2f})")
        for evidence in published.evidence:
            out.append(f"             {_quote(evidence.text, 40)}: {evidence.reason}")
    else:
        out.append("  written    unknown (no date field, nothing in the text dates it)")
    if meta.slug is not None:
        agrees = "agrees with the headline" if diag.get("slug_agrees_with_title") else "does NOT agree with the headline"
        out.append(f"  slug       {_quote(meta.slug)} ({agrees})")
    if meta.tag:
        out.append(f"  tag        {meta.tag}")
    for key in ("url", "source", "author"):
        if getattr(meta, key):
            out.append(f"  {key:<10} {getattr(meta, key)}")
    out.append(f"  structure  {diag.get('paragraphs', 0)} paragraphs, {diag.get('headings', 0)} headings, {diag.get('sentences', 0)} sentences")
    for heading in [s for s in document.segments if s.kind == "heading"]:
        out.append(f"             heading L{_line_of(text, heading.start)} {_quote(text[heading.start:heading.end])}")

    foreign_parts = [s for s in document.segments if s.kind in ("fragment", "sentence", "heading") and s.language not in (document.language, "und")]
    foreign_parts = [s for s in foreign_parts if s.kind != "sentence" or not any(f.kind == "fragment" and s.start <= f.start < s.end for f in document.segments)]
    foreign_debris = [d for d in document.debris if d.language not in (document.language, "und")]
    if foreign_parts or foreign_debris:
        out.append("  other languages")
        for part in foreign_parts:
            out.append(f"    {part.language} L{_line_of(text, part.start):<4} {part.kind:<9} {_quote(text[part.start:part.end])}")
        for item in foreign_debris:
            out.append(f"    {item.language} L{_line_of(text, item.start):<4} {'debris':<9} {_quote(text[item.start:item.end])}")
    if document.debris:
        out.append(f"  debris     {len(document.debris)} removed from the clean text")
        for item in document.debris:
            out.append(f"    L{_line_of(text, item.start):<4} {item.kind:<18} {_quote(text[item.start:item.end], 60)}")
    repairs = [e for e in document.edits if e.kind not in ("debris", "metadata", "whitespace")]
    whitespace = sum(1 for e in document.edits if e.kind == "whitespace")
    if repairs or whitespace:
        out.append(f"  repairs    {len(repairs)}" + (f" (and {whitespace} white-space fixes)" if whitespace else ""))
        for edit in sorted(repairs, key=lambda e: e.start):
            start = max(0, edit.start - 12)
            end = min(len(text), edit.end + 12)
            before = text[start:end]
            after = text[start:edit.start] + edit.replacement + text[edit.end:end]
            out.append(f"    L{_line_of(text, edit.start):<4} {edit.kind:<14} {_quote(before, 40)} → {_quote(after, 40)}")
    signs = diag.get("translation_error_signs", [])
    if signs:
        out.append(f"  translation-error signs {len(signs)}")
        for sign in signs:
            if sign["kind"] != "untranslated":
                out.append(f"    L{_line_of(text, sign['start']):<4} {sign['kind']:<14} {_quote(text[sign['start']:sign['end']], 40)}")
    out.extend(_who_when_what(record))
    for note in document.notes:
        out.extend(textwrap.wrap(note, 100, initial_indent="  note       ", subsequent_indent="             "))
    return "\n".join(out)


QUALIFIER_SIGNS = {"more-than": ">", "less-than": "<", "about": "~", "at-least": "≥", "at-most": "≤", "up-to": "≤"}


def _who_when_what(record: dict) -> list[str]:
    """Entities, dates and times, quotations and figures: who, when, who said what."""
    text = record["text"]
    out: list[str] = []
    mentions = record.get("mentions", [])
    if record.get("entities"):
        counts: dict[str, int] = {}
        for mention in mentions:
            counts[mention.get("entity_id")] = counts.get(mention.get("entity_id"), 0) + 1
        entities = sorted(record["entities"], key=lambda e: (-counts.get(e["id"], 0), e["name"]))
        out.append(f"  entities   {len(entities)} from {len(mentions)} mentions")
        for entity in entities[:25]:
            others = [alias for alias in entity.get("aliases", []) if alias != entity["name"]]
            also = f"  (also: {', '.join(others[:6])})" if others else ""
            out.append(f"    {entity['type']:<4} {entity['name']}{also} ×{counts.get(entity['id'], 0)}")
        if len(entities) > 25:
            out.append(f"    … and {len(entities) - 25} more")
    if record.get("times"):
        out.append(f"  when       {len(record['times'])} dates and times")
        for time in record["times"]:
            zone = f" {time['timezone']}" if time.get("timezone") else ""
            out.append(f"    L{_line_of(text, time['start']):<4} {_quote(time['text'], 40)} → {time.get('value') or '?'} ({time['type']}{zone})")
    if record.get("quotes"):
        out.append(f"  who said   {len(record['quotes'])} quotations")
        for quote in record["quotes"]:
            speaker = quote.get("speaker") or "unknown speaker"
            cue = f" ({quote['cue']})" if quote.get("cue") else ""
            out.append(f"    L{_line_of(text, quote['start']):<4} {quote['kind']:<9} {speaker}{cue}: {_quote(quote['text'], 60)}")
    if record.get("figures"):
        out.append(f"  figures    {len(record['figures'])}")
        for figure in record["figures"]:
            sign = QUALIFIER_SIGNS.get(figure.get("qualifier") or "", "")
            value = figure.get("value")
            shown = f"{sign}{value:g}" if isinstance(value, (int, float)) else (figure.get("qualifier") or "?")
            unit = f" {figure['unit']}" if figure.get("unit") else ""
            out.append(f"    L{_line_of(text, figure['start']):<4} {_quote(figure['text'], 50)} → {shown}{unit}")
    return out
