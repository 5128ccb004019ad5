"""Blocks of an article and the page furniture among them.

Every kind of input is split into blocks, then passes the same filter, driven by
``data/furniture.txt``: share prompts, "Related Articles" and what follows,
boxes such as "Key Takeaways" with their contents, editorial badges, emoji
lines. What is left is laid out as body, standfirst and picture line.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources

from newsdesk.models import Image

TERMINAL = ".!?:;…\"'”’)"
_SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"})
_MAX_FURNITURE_WORDS = 12
_MAX_BADGE_WORDS = 6


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, heading or list item (a whole list, for HTML)."""

    text: str
    kind: str = "paragraph"  # "paragraph", "heading" or "item"


@dataclass(frozen=True, slots=True)
class _Layout:
    """Which blocks are the article body, the standfirst and the picture line."""

    body: tuple[int, ...]
    dek: int | None = None
    picture: int | None = None
    asides: tuple[int, ...] = ()  # the content of panels set beside the body


@dataclass(slots=True)
class _Sweep:
    """Blocks kept so far, and what kind of furniture was removed before each."""

    kept: list[int] = field(default_factory=list)
    removed: dict[int, set[str]] = field(default_factory=dict)
    asides: list[int] = field(default_factory=list)

    def remove(self, role: str) -> None:
        self.removed.setdefault(len(self.kept), set()).add(role)

    def removed_before(self, position: int) -> set[str]:
        return self.removed.get(position, set())


@cache
def _furniture_rules() -> tuple[tuple[str, str], ...]:
    text = resources.files("newsdesk").joinpath("data/furniture.txt").read_text("utf-8")
    rules = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, pattern = line.split("\t", 1)
            rules.append((kind.strip(), pattern.strip().lower()))
    return tuple(rules)


def _normalise(text: str) -> str:
    straight = text.replace("’", "'").replace("‘", "'").lower()
    words = " ".join(straight.split())
    return re.sub(r"^[\W_]+|[\W_]+$", "", words)


def furniture_role(text: str) -> str | None:
    """ "end", "box" or "line" when `text` is page furniture (see data/furniture.txt)."""
    if len(text.split()) > _MAX_FURNITURE_WORDS:
        return None
    line = _normalise(text)
    for kind, pattern in _furniture_rules():
        if fnmatch.fnmatchcase(line, pattern):
            return kind
    return None


def _is_ornament(text: str) -> bool:
    """Emoji, rules and other lines without a letter or a digit."""
    return not any(char.isalnum() for char in text)


def _is_badge(block: Block) -> bool:
    """A short title-case label without terminal punctuation: "Strategic Insight"."""
    words = block.text.split()
    if block.kind != "paragraph" or not 0 < len(words) <= _MAX_BADGE_WORDS:
        return False
    if block.text.rstrip()[-1] in TERMINAL or any(char.isdigit() for char in block.text):
        return False
    if not all(word[0].isalpha() for word in words):
        return False
    return all(word[0].isupper() or word in _SMALL_WORDS for word in words)


def _same_text(a: str, b: str | None) -> bool:
    return b is not None and _normalise(a) == _normalise(b)


def layout_of(blocks: Sequence[Block], title: str, description: str | None = None) -> _Layout:
    """Where body, standfirst, picture line and asides are among `blocks`."""
    sweep = _drop_furniture(blocks, title)
    while sweep.kept and _is_badge(blocks[sweep.kept[-1]]):
        sweep.kept.pop()
    return replace(_front_matter(blocks, sweep, description), asides=tuple(sweep.asides))


def _drop_furniture(blocks: Sequence[Block], title: str) -> _Sweep:
    sweep = _Sweep()
    index = 0
    while index < len(blocks):
        block = blocks[index]
        role = furniture_role(block.text)
        if role == "end":
            break
        if role == "box":
            end = _skip_box(blocks, index)
            sweep.asides += [i for i in range(index + 1, end) if not furniture_role(blocks[i].text)]
            sweep.remove("box")
            index = end
            continue
        if role == "line" or _is_ornament(block.text) or _same_text(block.text, title):
            sweep.remove("line")
        elif _is_badge(block) and _in_badge_run(blocks, index):
            sweep.remove("badge")
        else:
            sweep.kept.append(index)
        index += 1
    return sweep


def _in_badge_run(blocks: Sequence[Block], index: int) -> bool:
    neighbours = [*blocks[max(index - 1, 0) : index], *blocks[index + 1 : index + 2]]
    return any(_is_badge(block) or furniture_role(block.text) for block in neighbours)


def _skip_box(blocks: Sequence[Block], index: int) -> int:
    """Index of the first block after the box whose heading is at `index`."""
    index += 1
    while index < len(blocks) and furniture_role(blocks[index].text) == "box":
        index += 1
    if index < len(blocks) and blocks[index].kind == "item":
        while index < len(blocks) and blocks[index].kind == "item":
            index += 1
    elif index < len(blocks) and blocks[index].kind == "paragraph":
        index += 1
    return index


def _front_matter(blocks: Sequence[Block], sweep: _Sweep, description: str | None) -> _Layout:
    """Find the standfirst: the description again, or a paragraph set apart by panels."""
    kept = sweep.kept
    if not kept:
        return _Layout(())
    # The description again is a standfirst when it is set as a subheading or panels set
    # it apart; a plain first paragraph that the description copies is the lede.
    first = blocks[kept[0]]
    set_apart = first.kind == "heading" or bool(sweep.removed_before(1))
    if _same_text(first.text, description) and set_apart:
        return _Layout(tuple(kept[1:]), dek=kept[0])
    if len(kept) < 3 or not _could_be_dek(blocks[kept[0]]):
        return _Layout(tuple(kept))
    panels = {"box", "badge"}
    if panels & sweep.removed_before(1):
        return _Layout(tuple(kept[1:]), dek=kept[0])
    picture_between = not sweep.removed_before(1) and _describes_picture(blocks[kept[1]])
    if picture_between and panels & sweep.removed_before(2):
        return _Layout(tuple(kept[2:]), dek=kept[0], picture=kept[1])
    return _Layout(tuple(kept))


def sentence_count(text: str) -> int:
    return len(re.findall(r"[.!?…](?=\s+[\"'“‘]?[A-Z]|\s*$)", text.strip()))


def _could_be_dek(block: Block) -> bool:
    return block.kind == "paragraph" and 8 <= len(block.text.split()) <= 90


def _describes_picture(block: Block) -> bool:
    """A single sentence of modest length: what a caption or alt text looks like."""
    words = len(block.text.split())
    return block.kind == "paragraph" and 4 <= words <= 40 and sentence_count(block.text) == 1


def body_text(blocks: Sequence[Block], indexes: Sequence[int]) -> str:
    parts: list[str] = []
    previous_kind = ""
    for index in indexes:
        block = blocks[index]
        separator = "\n" if block.kind == previous_kind == "item" else "\n\n"
        parts.append((separator if parts else "") + block.text)
        previous_kind = block.kind
    return "".join(parts)


def texts(blocks: Sequence[Block], indexes: Sequence[int]) -> tuple[str, ...]:
    return tuple(blocks[index].text for index in indexes)


def block_text(blocks: Sequence[Block], index: int | None) -> str | None:
    return None if index is None else blocks[index].text


def picture(blocks: Sequence[Block], index: int | None) -> Image | None:
    return None if index is None else Image(url=None, alt=blocks[index].text)
