"""The kind of piece as its publisher marks it: title, URL path and byline.

Publishers say when a piece is opinion or analysis: "| Editorial" after the
headline, "Column:" before it, a path under /opinion/ or /commentisfree/, a
byline such as "The Editorial Board". These marks decide the kind; only when
there are none does `labels` read it from the language.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from newsdesk.models import PieceKind

_OPINION_TITLE = re.compile(
    r"^\s*(?:opinion|op-ed|editorial|commentary|column|viewpoint|perspective|letters?)\s*[:|–—-]"
    r"|[|–—-]\s*(?:editorial|opinion|comment|commentary|column|op-ed|letters?)\s*$"
    r"|^\s*the [\w.’' -]+ view on\b",
    re.IGNORECASE,
)
_ANALYSIS_TITLE = re.compile(
    r"^\s*(?:analysis|news analysis|explainer|fact check|factcheck)\s*[:|–—-]"
    r"|[|–—-]\s*(?:analysis|explainer)\s*$",
    re.IGNORECASE,
)
_OPINION_PATHS = frozenset(
    {"opinion", "opinions", "comment", "commentisfree", "editorial", "editorials", "op-ed",
     "oped", "columnists", "columnist", "columns", "column", "views", "voices", "letters"}
)  # fmt: skip
_ANALYSIS_PATHS = frozenset({"analysis", "news-analysis", "explainer", "explainers", "fact-check"})
_OPINION_BYLINE = re.compile(
    r"\b(?:editorial board|the editors|editorial|opinion|columnist|guest column)\b", re.IGNORECASE
)


def marked_kind(title: str, url: str | None = None, author: str | None = None) -> PieceKind | None:
    """The kind the publisher marked, or None when it marked none."""
    if _OPINION_TITLE.search(title) or _OPINION_BYLINE.search(author or ""):
        return PieceKind.OPINION
    segments = {s.lower() for s in _path(url).split("/") if s}
    if segments & _OPINION_PATHS:
        return PieceKind.OPINION
    if _ANALYSIS_TITLE.search(title) or segments & _ANALYSIS_PATHS:
        return PieceKind.ANALYSIS
    return None


def _path(url: str | None) -> str:
    try:
        return urlsplit(url or "").path
    except ValueError:  # an unparsable URL ("http://[::1/x") has no path to go by
        return ""
