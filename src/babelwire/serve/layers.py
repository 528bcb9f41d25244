"""The article page's layered text: the original cut into pieces, each with the layers over it.

Article text is hostile input, so no HTML is built here: the original is split at every layer
boundary into plain-text pieces carrying class names, a link target and a hover title, and the
template writes each piece's text (autoescaped) inside one element. Offsets are Python string
indices into the original, as in the analysis JSON.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

LINE = re.compile(r"[^\r\n]+")
# Edits that the debris layer already shows (struck through) and edits too small to mark.
SHOWN_AS_DEBRIS = {"debris"}
QUIET_EDITS = {"whitespace", "unicode-nfc"}
LANGUAGE_SEGMENT_KINDS = ("fragment", "sentence", "heading", "title", "paragraph")
COLOURS = 8  # language colour classes langc-0 … langc-7


def entity_href(entity_id: str) -> str:
    return "/entities/" + quote(entity_id, safe="")


@dataclass
class Piece:
    text: str
    classes: str = ""
    title: str = ""
    href: str = ""
    lang: str = ""
    inserted: bool = False  # a repair's replacement text, not part of the original
    value: str = ""  # a time expression's resolved value (data-value)

    def key(self) -> tuple:
        return (self.classes, self.title, self.href, self.lang, self.inserted, self.value)


@dataclass
class Block:
    start: int
    end: int
    tag: str = "p"
    classes: str = "block"
    lang: str = ""
    pieces: list[Piece] = field(default_factory=list)


@dataclass
class LayeredText:
    blocks: list[Block]
    languages: list[dict[str, str]]  # the other languages with their colour class, for the legend
    document_language: str


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    layer: str  # segment, debris, edit, mention, time, quote, speaker, figure, sign
    data: dict[str, Any]

    @property
    def length(self) -> int:
        return self.end - self.start


def _spans(record: dict[str, Any], length: int) -> tuple[list[_Span], list[tuple[int, dict[str, Any]]]]:
    """Every non-empty span of every layer, clipped to the text; and the repairs' inserted texts."""
    spans: list[_Span] = []
    insertions: list[tuple[int, dict[str, Any]]] = []

    def add(start, end, layer, data):
        if isinstance(start, int) and isinstance(end, int):
            start, end = max(0, start), min(length, end)
            if start < end:
                spans.append(_Span(start, end, layer, data))

    for segment in record.get("segments", []):
        if segment.get("kind") in LANGUAGE_SEGMENT_KINDS:
            add(segment["start"], segment["end"], "segment", segment)
    for item in record.get("debris", []):
        add(item["start"], item["end"], "debris", item)
    for edit in record.get("edits", []):
        kind = edit.get("kind")
        if kind in SHOWN_AS_DEBRIS or kind in QUIET_EDITS:
            continue
        add(edit["start"], edit["end"], "edit", edit)
        if edit.get("replacement") and isinstance(edit.get("end"), int):
            insertions.append((min(max(edit["end"], 0), length), edit))
    for mention in record.get("mentions", []):
        add(mention["start"], mention["end"], "mention", mention)
    for time in record.get("times", []):
        add(time["start"], time["end"], "time", time)
    for item in record.get("quotes", []):
        add(item["start"], item["end"], "quote", item)
        if item.get("speaker_start") is not None and item.get("speaker_end") is not None:
            add(item["speaker_start"], item["speaker_end"], "speaker", item)
    for figure in record.get("figures", []):
        add(figure["start"], figure["end"], "figure", figure)
    for sign in record.get("diagnostics", {}).get("translation_error_signs", []) or []:
        if sign.get("kind") != "untranslated":  # the language layer already shows those
            add(sign.get("start"), sign.get("end"), "sign", sign)
    return spans, insertions


def _line_blocks(text: str) -> list[Block]:
    return [Block(match.start(), match.end()) for match in LINE.finditer(text) if match.group().strip()]


def _anchor(position: int, blocks: list[Block], starts: list[int]) -> int:
    """Where an inserted text shows: its position, or the end of the last block before it when the
    position falls between blocks (in the line breaks)."""
    index = bisect_right(starts, position) - 1
    if index < 0:
        return blocks[0].start if blocks else 0
    block = blocks[index]
    return min(position, block.end)


def _describe_time(time: dict[str, Any]) -> str:
    parts = [f"{time.get('type', 'time').lower()}: {time.get('value') or 'not resolved'}"]
    if time.get("timezone"):
        parts.append(time["timezone"])
    if time.get("modifier"):
        parts.append(time["modifier"].lower())
    if time.get("anchor") and time.get("anchor") != time.get("value"):
        parts.append(f"relative to {time['anchor']}")
    return ", ".join(parts)


def _describe_quote(item: dict[str, Any]) -> str:
    speaker = item.get("speaker") or "speaker unknown"
    cue = f" ({item['cue']})" if item.get("cue") else ""
    return f"{item.get('kind', 'quotation')} quotation — {speaker}{cue}"


def _describe_figure(figure: dict[str, Any]) -> str:
    value = figure.get("value")
    shown = "?" if value is None else (f"{value:g}" if isinstance(value, (int, float)) else str(value))
    parts = [f"figure: {shown}"]
    if figure.get("unit"):
        parts.append(str(figure["unit"]))
    if figure.get("qualifier"):
        parts.append(f"({figure['qualifier']})")
    return " ".join(parts)


def repair_title(text: str, edit: dict[str, Any]) -> str:
    """`reason: “Beloussovle” → “Beloussov le”`, with the word around the edit for context."""
    start, end = edit["start"], edit["end"]
    left = start
    while left > 0 and start - left < 30 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and right - end < 30 and not text[right].isspace():
        right += 1
    before = text[left:right]
    after = text[left:start] + edit.get("replacement", "") + text[end:right]
    return f"{edit.get('reason', edit.get('kind', 'repair'))}: “{before}” → “{after}”"


def _piece(text: str, active: list[_Span], document_language: str, colours: dict[str, str]) -> Piece:
    classes: list[str] = []
    titles: list[str] = []
    href = value = lang = ""
    segments = [span for span in active if span.layer == "segment"]
    if segments:
        lang = min(segments, key=lambda span: span.length).data.get("language", "")
    for span in sorted(active, key=lambda span: (span.start, -span.end)):
        data = span.data
        if span.layer == "debris":
            classes += ["debris", f"debris-{data.get('kind', 'other')}"]
            titles.append(f"debris ({data.get('kind')}): {data.get('reason', '')}")
            if not lang and data.get("language") not in (None, "", "und"):
                lang = data["language"]
        elif span.layer == "edit":
            kind = data.get("kind", "")
            classes += ["metadata"] if kind == "metadata" else ["replaced", f"edit-{kind}"]
            titles.append(f"{kind}: {data.get('reason', '')}")
        elif span.layer == "mention":
            classes += ["mention", f"type-{data.get('type', 'MISC')}"]
            titles.append(f"{data.get('text')} ({data.get('type')})")
            if data.get("entity_id") and not href:
                href = entity_href(data["entity_id"])
        elif span.layer == "time":
            classes.append("time")
            titles.append(_describe_time(data))
            value = value or (data.get("value") or "")
        elif span.layer == "quote":
            classes += ["quote", f"quote-{data.get('kind', 'statement')}"]
            titles.append(_describe_quote(data))
        elif span.layer == "speaker":
            classes.append("speaker")
            titles.append(f"speaker of a {data.get('kind', '')} quotation")
            if data.get("speaker_entity_id") and not href:
                href = entity_href(data["speaker_entity_id"])
        elif span.layer == "figure":
            classes.append("figure")
            titles.append(_describe_figure(data))
        elif span.layer == "sign":
            classes.append("sign")
            titles.append(f"translation error sign ({data.get('kind')}): {data.get('reason', '')}")
    if lang and lang not in ("und", document_language):
        classes += ["lang-other", colours.setdefault(lang, f"langc-{len(colours) % COLOURS}")]
        titles.insert(0, f"language: {lang}")
    unique_classes = list(dict.fromkeys(classes))
    return Piece(text=text, classes=" ".join(unique_classes), title=" · ".join(dict.fromkeys(titles)), href=href,
                 lang=lang if lang and lang != "und" else "", value=value)


def layered_text(record: dict[str, Any]) -> LayeredText:
    text: str = record.get("text", "")
    document_language = record.get("language", "und")
    blocks = _line_blocks(text)
    spans, insertions = _spans(record, len(text))
    colours: dict[str, str] = {}

    inserted_at: dict[int, list[dict[str, Any]]] = {}
    starts = [block.start for block in blocks]
    for position, edit in insertions:
        inserted_at.setdefault(_anchor(position, blocks, starts), []).append(edit)

    boundaries = sorted({0, len(text)} | {b.start for b in blocks} | {b.end for b in blocks}
                        | {s.start for s in spans} | {s.end for s in spans} | set(inserted_at))
    by_start = sorted(spans, key=lambda span: span.start)
    active: list[_Span] = []
    next_span = 0
    block_index = 0
    at_start: dict[int, list[_Span]] = {}
    for left, right in zip(boundaries, boundaries[1:] + [None]):
        active = [span for span in active if span.end > left]
        while next_span < len(by_start) and by_start[next_span].start <= left:
            if by_start[next_span].end > left:
                active.append(by_start[next_span])
            next_span += 1
        while block_index < len(blocks) and blocks[block_index].end < left:
            block_index += 1
        if block_index >= len(blocks):
            break
        block = blocks[block_index]
        if not block.start <= left <= block.end:
            continue
        if left == block.start:
            at_start[block_index] = list(active)  # what may cover the whole block, for its kind and language
        for edit in inserted_at.get(left, []):
            # A repair's new text, shown where it goes: after what it replaces, or in the gap it fills.
            block.pieces.append(Piece(text=edit["replacement"], classes=f"repair edit-{edit.get('kind', '')}",
                                      title=repair_title(text, edit), inserted=True))
        if right is not None and left < right <= block.end:
            block.pieces.append(_piece(text[left:right], active, document_language, colours))

    for index, block in enumerate(blocks):
        block.pieces = _merged(block.pieces)
        _classify(block, at_start.get(index, []), document_language)
    legend = [{"language": language, "colour": colour} for language, colour in colours.items()]
    return LayeredText(blocks=blocks, languages=legend, document_language=document_language)


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and not piece.inserted and not merged[-1].inserted and merged[-1].key() == piece.key():
            merged[-1].text += piece.text
        else:
            merged.append(piece)
    return merged


def _classify(block: Block, spans: list[_Span], document_language: str) -> None:
    """A block's element and classes: title, heading, metadata line or paragraph; its language."""
    covering = [s for s in spans if s.start <= block.start and s.end >= block.end]
    kinds = {s.data.get("kind") for s in covering if s.layer == "segment"}
    if "title" in kinds:
        block.tag, block.classes = "h2", "block title"
    elif "heading" in kinds:
        block.tag, block.classes = "h3", "block heading"
    elif any(s.layer == "edit" and s.data.get("kind") == "metadata" for s in covering):
        block.classes = "block metadata-line"
    elif any(s.layer == "debris" for s in covering):
        block.classes = "block debris-line"
    languages = [s for s in covering if s.layer == "segment"]
    if languages:
        block.lang = min(languages, key=lambda s: s.length).data.get("language", "")
    if block.lang == "und":
        block.lang = ""


__all__ = ["Block", "LayeredText", "Piece", "entity_href", "layered_text", "repair_title"]
