"""Split article text into sentences with a single regex scan, tuned for news.

A paragraph break always ends a sentence, and so does a line with no terminal
punctuation (a heading, a caption). Inside a paragraph every ``.``, ``!``,
``?`` or ellipsis followed by space is a candidate; a period is not a break
after a title ("Dr.", "Gen."), before a number after "No.", or at the head of a
numbered list, and after an ambiguous abbreviation ("U.S.", "Jr.", "Inc.",
an initial) or an ellipsis only when the next word clearly opens a sentence
("The", "He"). A full stop with no space after it ("Wednesday.The stabbing",
lost in a page's markup) is a break too when a capitalised word follows and the
word before is neither an abbreviation nor part of a domain name ("Amazon.Com").
A Chinese or Japanese full stop, exclamation or question mark ends a sentence
with or without a space after it.
A photo caption run into the next sentence with no stop at all ("...during the
match in November The 26-year-old has been in fine form", as DailyMail texts
come) is cut before a capitalised "The", "He", "She", "It", "They", "His",
"Her", "Its" or "Their" that follows a content word and comes before a lowercase
one: mid-sentence those words are not capitalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_CANDIDATE = re.compile(
    r"(\.{2,}|…|[.!?]+)([\"'’”»)\]]*)(?=\s)"
    # glued: "Wednesday.The stabbing", 'he said."The' (a lowercase word, then a capitalised one)
    r"|(?<=[a-z]{2})([.!?])([\"'’”»)\]]*)(?=[\"'‘“]?[A-Z][a-z]+\b(?![.@/-]\w))"
    # Chinese and Japanese stops need no space after them: "発表した。今回は"
    r"|([。！？]+[」』）】》〉”’]*)"
)
_CJK_CLOSING = "」』）】》〉”’"
_QUOTE_PARTICLES = "とっ、のをがはもにで"
_NEXT_TOKEN = re.compile(r"\s+(\S+)")
_OPENING_PUNCTUATION = "\"'‘“«([*•–—-"
_LIST_MARKER = re.compile(r"(?:[•*·▪–—-]|\d{1,2}[.)])\s")
_TERMINAL = re.compile(r"[.!?…:;。！？][\"'’”»)\]」』）]*$")
_CONTINUES_LINE = re.compile(r"[,;:–—(-]$")
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_SPACES = re.compile(r"\s+")
# "...in November The 26-year-old has...": a sentence opener mid-sentence, after a content word
_GLUED_OPENER = re.compile(r"(?<=[a-z0-9)]) (?=(?:The|He|She|It|They|His|Her|Its|Their) [a-z0-9])")
_SURNAME_HE = re.compile(r" He (?:when|and|or|who|in|at|of|to)\b")  # "Vice Premier Liu He"
_WRAPPED_LINE_LENGTH = 60


def split_sentences(text: str) -> list[str]:
    """Split article text (paragraphs separated by blank lines) into sentences, in order."""
    sentences: list[str] = []
    for block in _blocks(text):
        sentences.extend(_split_block(block))
    return sentences


def _blocks(text: str) -> Iterator[str]:
    """Paragraphs, with headings, captions and list items inside them set apart."""
    for paragraph in _PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        if not lines:
            continue
        block = lines[0]
        for line in lines[1:]:
            if _starts_new_block(block, line):
                yield block
                block = line
            else:
                block = f"{block}\n{line}"
        yield block


def _starts_new_block(block: str, line: str) -> bool:
    if _LIST_MARKER.match(line):
        return True
    last_line = block.rsplit("\n", 1)[-1]
    if _TERMINAL.search(last_line) or _CONTINUES_LINE.search(last_line):
        return False
    starts_lower = line[0].islower() or line[0].isdigit()
    return not (starts_lower or len(last_line) >= _WRAPPED_LINE_LENGTH)


def _split_block(block: str) -> Iterator[str]:
    start = 0
    for match in _CANDIDATE.finditer(block):
        if _is_boundary(block, match):
            end = match.end()
            if match.group(3) and block[end - 1] == '"' and block.count('"', start, end) % 2:
                end -= 1  # 'he said."The time...': the quote opens the next sentence
            yield from _clean(block[start:end])
            start = end
    yield from _clean(block[start:])


def _clean(sentence: str) -> list[str]:
    sentence = _SPACES.sub(" ", sentence).strip()
    return _unglued(sentence) if sentence else []


def _unglued(sentence: str) -> list[str]:
    """The sentence cut where a caption ran into the next one with no stop between them."""
    pieces, start = [], 0
    for match in _GLUED_OPENER.finditer(sentence):
        before = sentence[start : match.start()].rsplit(" ", 1)[-1].strip("()")
        surname = before[:1].isupper() and _SURNAME_HE.match(sentence, match.start())
        possessive = before.endswith(("’s", "'s"))  # "Steven Covey’s The 7 Habits"
        if before.lower() in _function_words() or surname or possessive:
            continue
        pieces.append(sentence[start : match.start()])
        start = match.end()
    return [*pieces, sentence[start:]]


def _is_boundary(block: str, match: re.Match[str]) -> bool:
    if (
        match.group(5) is not None
    ):  # 「…発表された。」と言った: a quotation goes on with its particle
        rest = block[match.end() :].strip()
        return bool(rest) and not (
            match.group(5)[-1] in _CJK_CLOSING and rest[0] in _QUOTE_PARTICLES
        )
    if match.group(3) is not None:
        return _glued_boundary(block, match)
    next_token = _NEXT_TOKEN.match(block, match.end())
    if next_token is None:
        return False
    following = next_token.group(1)
    first = following.lstrip(_OPENING_PUNCTUATION)[:1]
    if not first:
        return following[0] in _OPENING_PUNCTUATION
    if first.islower():
        return False
    terminator, closing_quotes = match.group(1), match.group(2)
    if terminator.startswith(("..", "…")) and not closing_quotes:
        # "such as... Maldives", "I'm A Celebrity... Get Me Out": only before a clear opener
        return _opens_sentence(following)
    if terminator != "." or closing_quotes:
        return True
    return _period_ends_sentence(block, match.start(), following)


def _glued_boundary(block: str, match: re.Match[str]) -> bool:
    """A stop with no space after it ends a sentence unless it belongs to a word."""
    word_start = max(block.rfind(" ", 0, match.start()), block.rfind("\n", 0, match.start())) + 1
    word = block[word_start : match.start()].lstrip(_OPENING_PUNCTUATION)
    if "." in word or "@" in word or "/" in word:  # "www.Example", "e.g.The", an address
        return False
    next_word = re.match(r"[\"'‘“]?([A-Za-z]+)", block[match.end() :])
    tail = next_word.group(1).lower() if next_word else ""
    return word.lower() not in _abbreviations() and tail not in _DOMAIN_ENDINGS


_DOMAIN_ENDINGS = frozenset({"com", "org", "net", "gov", "edu", "io", "co", "uk", "info"})


def _period_ends_sentence(block: str, period: int, following: str) -> bool:
    word_start = max(block.rfind(" ", 0, period), block.rfind("\n", 0, period)) + 1
    word = block[word_start:period].lstrip(_OPENING_PUNCTUATION)
    kind = _abbreviations().get(word.lower()) or _pattern_kind(word)
    if kind == "title":
        return False
    if kind == "number" and following[:1].isdigit():
        return False
    if kind == "ambiguous":
        return _opens_sentence(following)
    is_list_number = word.isdigit() and (word_start == 0 or block[word_start - 1] == "\n")
    return not is_list_number


def _opens_sentence(word: str) -> bool:
    return word.lstrip(_OPENING_PUNCTUATION).rstrip(",;:") in _sentence_openers()


def _pattern_kind(word: str) -> str | None:
    if _DOTTED_ACRONYM.fullmatch(word) or (len(word) == 1 and word.isupper()):
        return "ambiguous"
    return None


@cache
def _abbreviations() -> dict[str, str]:
    rows = _data_lines("abbreviations.tsv")[1:]  # first row is the header
    return dict(row.split("\t", 1) for row in rows)


@cache
def _function_words() -> frozenset[str]:
    """Words after which a capitalised "The" goes on the sentence ("told The Times")."""
    return frozenset(_data_lines("stopwords.txt"))


@cache
def _sentence_openers() -> frozenset[str]:
    return frozenset(_data_lines("sentence_openers.txt"))


def _data_lines(name: str) -> list[str]:
    text = resources.files("newsdesk").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
