"""Page debris: what a scraper kept from the page that is not article text.

Whole lines (embedded posts and their attribution lines, related-article links, share, subscribe
and cookie lines) and small marks inside lines (a stray ` .` after a sentence, an opening
guillemet used as a closing one). Each is recorded as a Debris span and removed from (or, for a
misused guillemet, repaired in) the clean text by an edit, so nothing is lost.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from babelwire.pipeline import DocumentStep
from babelwire.model import Debris, Document
from babelwire.read.layout import Line, content_lines

# Words that introduce an embedded video or post, in the languages news sites use them in.
EMBED_LEAD_WORDS = (
    "watch", "video", "vidéo", "regarder", "regardez", "à voir", "ver", "mira", "vea", "vídeo",
    "ansehen", "sehen sie", "anschauen", "guarda", "guardate", "assista", "veja", "assistir",
    "kijk", "bekijk", "zobacz", "obejrzyj", "podívejte se", "sledujte", "смотрите", "смотри",
    "видео", "дивіться", "izle", "titta", "se videoen", "katso", "nézze", "δείτε", "شاهد",
)
EMBED_URL = re.compile(r"(pic\.twitter\.com/\w+|https?://t\.co/\w+|twitter\.com/\w+/status/\d+|x\.com/\w+/status/\d+|instagram\.com/(p|reel)/|tiktok\.com/@|youtu\.be/|youtube\.com/watch)", re.IGNORECASE)
EMBED_LEAD = re.compile(r"^(" + "|".join(re.escape(word) for word in EMBED_LEAD_WORDS) + r")\s*[:：]", re.IGNORECASE)
# `– Actualités BNO (@BNONews) 18 juin 2024`: the line under an embedded post naming its author.
EMBED_ATTRIBUTION = re.compile(r"^(?:[—–\-‒―]|&mdash;)\s*[^\n]{1,120}?\(@[A-Za-z0-9_]{1,30}\)")
RELATED_LEADS = (
    "read more", "read also", "related", "see also", "more on this", "lire aussi", "lire également",
    "à lire aussi", "à lire également", "voir aussi", "lea también", "lee también", "te puede interesar",
    "más información", "lesen sie auch", "mehr zum thema", "auch interessant", "leggi anche",
    "leia também", "leia mais", "veja também", "lees ook", "zobacz też", "zobacz także", "čtěte také",
    "читайте также", "читайте також", "ayrıca okuyun", "läs också", "lue myös",
)
RELATED_LEAD = re.compile(r"^(" + "|".join(re.escape(lead) for lead in RELATED_LEADS) + r")\b\s*[:：–\-]", re.IGNORECASE)
BRACKETED_LINE = re.compile(r"^\[[^\[\]]{3,300}\]$")
SHARE_WORDS = re.compile(
    r"\b(share (on|this)|partager|partagez|compartir|compartilhe|compartilhar|teilen|condividi|"
    r"subscribe|abonnez-vous|s['’]abonner|suscr[ií]bete|suscribirse|abonnieren|jetzt abonnieren|iscriviti|assine|"
    r"newsletter|cookies?|follow us|suivez-nous|s[ií]guenos|folgen sie uns|seguici|sign up|inscrivez-vous|"
    r"reg[ií]strate|all rights reserved|tous droits réservés|todos los derechos reservados|alle rechte vorbehalten|"
    r"tutti i diritti riservati|advertisement|publicité|publicidad|anzeige|pubblicità|"
    r"cookie-einstellungen|preferences|préférences|preferencias|einstellungen|impostazioni|preferências|"
    r"facebook|twitter|whatsapp|linkedin|telegram|e-?mail this)\b",
    re.IGNORECASE,
)
MAX_SHARE_LINE_WORDS = 12
# ` .` left after a sentence that already ended (`rapporte Reuters. .`).
STRAY_PERIOD = re.compile(r"(?<=[.!?…»”\"])[ \t]+\.(?=[ \t]*(\n|$))")
# `coopération« .`: an opening guillemet glued to the word before it, at the end of a clause.
MISUSED_GUILLEMET = re.compile(r"(?<=\w)«[ \t\u00a0]*(?=[.,;:!?]|$)", re.MULTILINE)
PUNCTUATION_ONLY_LINE = re.compile(r"^[\s.,;:·•|*\-–—]+$")


def classify_line(line: str) -> tuple[str, str] | None:
    """(kind, reason) when a whole line is page debris, else None."""
    words = line.split()
    if EMBED_URL.search(line) or (EMBED_LEAD.match(line) and len(words) <= 40 and "http" in line.lower()):
        return "embed", "embedded social-media post"
    if EMBED_LEAD.match(line) and len(words) <= 30 and not line.rstrip().endswith((".", "!", "?")):
        return "embed", "embedded video or post (lead-in word and no sentence end)"
    if EMBED_ATTRIBUTION.match(line):
        return "embed-attribution", "attribution line of an embedded post (name and @handle)"
    if BRACKETED_LINE.match(line):
        return "related-link", "related-article link in brackets"
    if RELATED_LEAD.match(line) and len(words) <= 40:
        return "related-link", "related-article link"
    if len(words) <= MAX_SHARE_LINE_WORDS and SHARE_WORDS.search(line) and not re.search(r"[.!?]\s*$", line.rstrip("»”\"'")):
        return "share", "share, subscribe, cookie or advertisement line"
    if PUNCTUATION_ONLY_LINE.match(line):
        return "stray-punctuation", "line of punctuation only"
    return None


def _body_lines(document: Document) -> Iterator[Line]:
    reserved = [span for span in (document.metadata.title_span, document.metadata.slug_span, document.metadata.tag_span) if span]
    for line in content_lines(document.text):
        if not any(start <= line.start < end for start, end in reserved):
            yield line


def _line_removal_end(text: str, line: Line) -> int:
    """Where removing a line should stop: through its line break and the blank lines after it."""
    match = re.compile(r"[ \t]*(\r?\n[ \t]*)*").match(text, line.end)
    end = match.end() if match else line.end
    return end if end < len(text) else len(text)


def find_debris(document: Document) -> list[Debris]:
    text = document.text
    found: list[Debris] = []
    for line in _body_lines(document):
        classified = classify_line(line.text)
        if classified:
            kind, reason = classified
            found.append(Debris(line.start, line.end, kind, reason))
            continue
        for match in STRAY_PERIOD.finditer(text, line.start, line.end):
            found.append(Debris(match.start(), match.end(), "stray-punctuation", "period after a sentence that had already ended"))
        for match in MISUSED_GUILLEMET.finditer(text, line.start, line.end):
            found.append(Debris(match.start(), match.end(), "stray-guillemet", "opening guillemet where the quotation closes"))
    return found


def remove_debris(document: Document, debris: Iterable[Debris]) -> None:
    for item in debris:
        if item.kind == "stray-guillemet":
            document.add_edit(item.start, item.end, "quote-mark", "opening guillemet used as a closing one: repaired to »", " »")
        elif item.kind == "stray-punctuation" and not _is_whole_line(document.text, item):
            document.add_edit(item.start, item.end, "debris", item.reason, "")
        else:
            document.add_edit(item.start, _line_removal_end(document.text, Line(item.start, item.end, "")), "debris", f"{item.kind}: {item.reason}", "")


def _is_whole_line(text: str, item: Debris) -> bool:
    line_start = text.rfind("\n", 0, item.start) + 1
    return not text[line_start:item.start].strip()


class DebrisMarker(DocumentStep):
    """Pipeline step: marks page debris and edits it out of the clean text."""

    name = "debris"

    def process(self, document: Document) -> None:
        debris = find_debris(document)
        document.debris.extend(debris)
        remove_debris(document, debris)
