"""Which sentences may stand alone in a brief: not furniture, not logistics, not half a thought.

A takeaway or a standfirst is read out of its article, so it must be a whole
sentence (closing punctuation, balanced double quotes), be prose rather than
the page's furniture (photo captions and pointers at photos, gallery buttons, "DON'T MISS", related
links, headings and list rows), carry news rather than a press call's
logistics (ground rules, embargoes, introductions, bracketed placeholders),
not be a question or part of one (a transcript's "Q" turn), and not lean on
the sentence before ("It...", "This comes after...", "But...").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_DATELINE = re.compile(
    r"^(?:[A-Z][\w .,'’-]{0,60}?\s*)?\((?:CNN|AP|AFP|Reuters|UPI)\)\s*(?:--|—|–|-)?\s*"
)
# A press call's pleasantries, logistics and introductions: nothing a reader needs.
_CALL_OPENING = re.compile(
    r"(?:(?:and|so|but|well|okay|ok|yes|great|all right|alright),?\s+)*"
    r"(?:good (?:morning|afternoon|evening)|thanks?\b|thank you|hi\b|hello\b|welcome\b)",
    re.IGNORECASE,
)  # matched at the start only
_SIGN_OFF = re.compile(
    r"^[A-Z][A-Z .’'-]+, [A-Z][a-z]+ \d{1,2}, \d{4}\.$"
)  # "THE WHITE HOUSE, ..."
# "[senior administration official]", "[Redacted] to be leading ...", "[inaudible]"
_PLACEHOLDER = re.compile(r"\[[a-z][^\]]*\]|\[(?:senior|redacted|name|inaudible)\b[^\]]*\]", re.I)
# A transcript's speaker label: two or more capitalised words ("MR. KIRBY:"), not "NATO:".
_SPEAKER = re.compile(
    r"^(?:(?:[A-Z][A-Z.'’-]*\s+){1,5}[A-Z][A-Z.'’-]+|MODERATOR|OPERATOR):\s*[—–-]*\s*"
)
_QUESTIONER = re.compile(r"^Q\b[:.]?\s")
_CAPTION_LABEL = re.compile(r"^([A-Z][\w'’ -]{0,30}): [A-Z‘'\"“]")
_SPEECH_VERB = re.compile(r"\b(?:said|says|told|tells|added|asked|wrote)\b")
_CLOSE = re.compile(
    r"[.!…。！][\"'’”»)\]」』）】》〉]*$"
)  # a question is not a takeaway: it needs its answer
_QUOTES = re.compile(r"[\"“”]")
LEANS = re.compile(
    r"^(?:It|This|That|These|Those|He|She|They|His|Her|Their|Its|Him|Them|But|And|Also|"
    r"However|Meanwhile|Still|Yet|So|Then|Such|Instead|Because|Moreover|Furthermore|Besides|"
    r"Thus|Therefore|Nevertheless|Nonetheless|Otherwise|Likewise|Similarly|Hence|Or|Nor|Plus|"
    r"The (?:move|decision|latter|same))\b"
)
# "Domestically, this hawkish turn ...": an opening phrase does not make "this" stand alone.
_LEANS_AFTER_OPENER = re.compile(
    r"^(?:[A-Z][a-z]+ly|In (?:turn|short|addition|particular|response)|At the same time|"
    r"As a result|For (?:now|example|instance)|By contrast|In doing so),\s+"
    r"(?:this|that|these|those|it|he|she|they|such)\b"
    # "At that visit, ...", "Since that announcement, ...": the phrase points back
    r"|^(?:At|In|On|By|For|From|With|Since|After|Before|During|Under|Through|Following|Beyond|"
    r"Despite|Amid|Given|Like|Unlike|Besides) (?:(?:that|those|such)\b|(?:this|these)\b"
    # "At this critical juncture" is now, not the sentence before
    r"(?!(?: \w+)? (?:moment|time|juncture|point|stage|week|month|year|morning|afternoon|"
    r"evening)s?\b))"
)
PRONOUN = re.compile(r"^(?:He|She)\b")
POSSESSIVE = re.compile(r"^(?:His|Her)\b")
# A connective that only links to the sentence before; the sentence stands without it.
_CONNECTIVE = re.compile(
    r"^(?:And|But|Yet|So|Also|However|Meanwhile|Still|Moreover|Furthermore|Nevertheless|"
    r"Nonetheless|Besides|Plus)\b,?\s+(?=\S)"
)
MIN_WORDS, MAX_WORDS = 6, 60
# Chinese and Japanese are written without spaces: about two characters make a word.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_CJK_CHARS_PER_WORD = 2


def clean_sentence(sentence: str) -> str:
    """The sentence without a leading dateline ("Boston (CNN) -- ") or speaker ("MR. KIRBY:")."""
    return _SPEAKER.sub("", _DATELINE.sub("", sentence.strip()).strip())


def is_prose(sentence: str) -> bool:
    """Whether a (cleaned) sentence could be read alone: a whole sentence, not furniture."""
    if not MIN_WORDS <= word_count(sentence) <= MAX_WORDS:
        return False
    if not is_complete(sentence) or _is_furniture(sentence):
        return False
    if sentence[:1].islower() and not sentence[1:2].isupper():  # a fragment ("iPhone" is not)
        return False
    label = _CAPTION_LABEL.match(sentence)
    return label is None or _SPEECH_VERB.search(label.group(1)) is not None


def word_count(text: str) -> int:
    """Words in the text, a run of Chinese or Japanese counted by its characters."""
    return sum(_token_words(token) for token in text.split())


def _token_words(token: str) -> int:
    cjk = len(_CJK.findall(token))
    return max(1, cjk // _CJK_CHARS_PER_WORD) if cjk else 1


def is_complete(text: str) -> bool:
    """Closing punctuation and whole quotations: not a heading, a list row or half a quote."""
    return _CLOSE.search(text) is not None and len(_QUOTES.findall(text)) % 2 == 0


def without_connective(text: str) -> str:
    """ "But the kite was too big." as "The kite was too big.": the fact without the link."""
    link = _CONNECTIVE.match(text)
    if link is None:
        return text
    rest = text[link.end() :]
    return rest[:1].upper() + rest[1:]


def leans(text: str) -> bool:
    """Whether the sentence opens on something only the sentence before explains."""
    return LEANS.match(text) is not None or _LEANS_AFTER_OPENER.match(text) is not None


def questions(sentences: Sequence[str]) -> frozenset[int]:
    """Indexes of the sentences a transcript's questioner says ("Q ..." up to the next speaker)."""
    asking, asked = False, set()
    for index, sentence in enumerate(sentences):
        text = sentence.strip()
        if _QUESTIONER.match(text):
            asking = True
        elif _SPEAKER.match(text):
            asking = False
        if asking:
            asked.add(index)
    return frozenset(asked)


def _is_furniture(sentence: str) -> bool:
    if _CALL_OPENING.match(sentence) or _PLACEHOLDER.search(sentence):
        return True
    if _SIGN_OFF.search(sentence):
        return True
    lowered = None if _UNSURE.search(sentence) else sentence.lower()
    return any(pattern.search(sentence, lowered) for pattern in _TRIGGERED)


# The only letters that IGNORECASE matches to a-z and lower() does not turn into them.
_UNSURE = re.compile("[İıſ]")


class _Triggered:
    """A long alternation searched one small part at a time, each only in text that holds
    one of the words every match of that part holds (or opens on one of its openings):
    trying the whole alternation at each character of every sentence is slow.

    `alternatives` are (trigger words, regex) pairs, the words separated by "|", an opening
    written "^word"; `pattern` is the plain alternation, which `search` always agrees with.
    """

    def __init__(self, alternatives: Sequence[tuple[str, str]], flags: int = re.IGNORECASE):
        self.pattern = re.compile("|".join(regex for _, regex in alternatives), flags)
        self.blind = bool(flags & re.IGNORECASE)
        by_word: dict[str, list[str]] = {}
        for words, regex in alternatives:
            for word in words.split("|"):
                by_word.setdefault(word, []).append(regex)
        parts = [(w, re.compile("|".join(r), flags)) for w, r in by_word.items()]
        self.openings = tuple((w[1:], p) for w, p in parts if w.startswith("^"))
        self.words = tuple((w, p) for w, p in parts if not w.startswith("^"))

    def search(self, text: str, lowered: str | None) -> bool:
        """Whether the pattern matches `text`; `lowered` is `text.lower()`, or None when the
        text holds a letter that makes the case-blind screen unsure."""
        if self.blind and lowered is None:
            return self.pattern.search(text) is not None
        screened = lowered if self.blind and lowered is not None else text
        for opening, part in self.openings:
            if screened.startswith(opening) and part.search(text):
                return True
        return any(word in screened and part.search(text) for word, part in self.words)


_FURNITURE = _Triggered(
    [
        ("scroll down for video", r"scroll down for video"),
        ("click here", r"click here"),
        ("read more", r"read more:|^read more\b"),
        ("follow @", r"follow @"),
        ("sign up for", r"sign up for"),
        ("share this", r"share this"),
        ("watch the video", r"watch the video"),
        ("^by . ", r"^by \. "),
        ("published:|updated:", r"\b(?:published|updated):"),
        ("^q", r"^q:? "),  # "Q:" asks in a transcript
        ("don’t miss|don't miss", r"\bdon[’']t miss\b"),
        ("related", r"\brelated(?: stories| articles| coverage)?:"),
        ("see also", r"\bsee also\b"),
        ("photo|image|picture|video", r"\b(?:photo|image|picture|video)s?(?: credit)?:"),
        ("getty images", r"\bgetty images\b"),
        ("ap photo", r"\bAP photo\b"),
        ("show more|show less", r"\bshow (?:more|less)\b"),
        ("subscribe", r"\bsubscribe\b"),
        ("^advertisement", r"^advertisement\b"),
    ]
)
_GLUED_BUTTON = _Triggered([("more|less", r"\b(?:more|less)[A-Z]")], flags=0)  # "Show less"
_SIDES = "left|right|above|below|centre|center"
# A photo caption, or a sentence that points at a photo the brief does not show:
# "Fred Goodwin (pictured)", "Donna (right) and Peter", "Paul Casey, pictured in action,",
# "Pictured is ...", "Schumacher is pictured in the garage" (but "were pictured with" is news).
_CAPTION_MARK = _Triggered(
    [
        ("pictured", r"\((?:not )?pictured\b[^)]*\)"),
        (
            "(",
            rf"\((?:{_SIDES}|inset|top|bottom|front|back|file|second (?:left|right)|"
            r"far (?:left|right)|top (?:left|right)|bottom (?:left|right))\)",
        ),
        ("pictured", r",\s*pictured\b|^pictured\b|\b(?:is|are) pictured\b"),
        (
            "|".join(f", {side}," for side in (*_SIDES.split("|"), "far left", "far right")),
            rf", (?:{_SIDES}|far (?:left|right)),",
        ),
        ("pictured", rf"\bpictured (?:{_SIDES}|here|again)\b"),
        (
            "pictured",  # "Summer pictured volunteering in South Africa": a bare "pictured"
            r"(?<!was )(?<!were )(?<!been )(?<!being )(?<!be )(?<!get )(?<!got )(?<!who )"
            r"\bpictured\b(?! (?:herself|himself|themselves|myself|itself|the|a|an|it|him|her|"
            r"them|what|how|as)\b)",
        ),
    ]
)
# The moderator calling on a reporter: "We'll go to Trevor Hunnicutt with Reuters first."
_CALLING_ON = _Triggered(
    [
        (
            "go to |going to |go over to |going over to ",
            r"\bgo(?:ing)? (?:over )?to (?:[A-Z][\w.’'-]+ ){1,3}(?:with|from|at|of) [A-Z]",
        )
    ],
    flags=0,
)
_QUESTIONS = "questions"
# A press call's pleasantries, logistics and introductions: nothing a reader needs.
_CALL_FURNITURE = _Triggered(
    [
        ("on background", r"\bon background\b"),
        ("embargo", r"\bembargo(?:ed)?\b"),
        ("ground rules", r"\bground rules\b"),
        ("our speaker", r"\bour speakers?\b"),
        ("joining us", r"\bjoining us\b"),
        ("turn |hand ", r"\b(?:turn|hand) (?:it|things|the call|this) (?:over|back)\b"),
        ("hand ", r"\bhand (?:it )?(?:over|off) to\b"),
        ("next question", r"\bnext question\b"),
        (_QUESTIONS, r"\btake (?:your |some |a few )?questions\b"),
        ("start us off", r"\bstart us off\b"),
        ("kick ", r"\bkick (?:us|things) off\b"),
        ("for your patience", r"\bfor your patience\b"),
        ("hereby", r"\bhereby\b"),
        ("attribut", r"\battribut(?:ed|able) to\b|\bfor attribution\b"),
        ("off the record", r"\boff the record\b"),
        ("call", r"\b(?:today[’']s|this) call\b|\b(?:on|join(?:ing)?) the call\b|\bthe call is\b"),
        ("pleased to be joined", r"\bpleased to be joined\b"),
        ("stop there|leave it there", r"\bI[’']ll (?:stop|leave it) there\b"),
        ("with that", r"^(?:and |so )?with that\b"),
        ("please go ahead", r"\bplease go ahead\b"),
        ("as a reminder", r"\bas a reminder\b"),
        # the speaker on the call itself: its purpose, its running order, its audience
        (
            "briefing|backgrounder|gaggle|press call",
            r"\b(?:this|today[’']s|tonight[’']s|the|our|a quick|background) "
            r"(?:briefing|backgrounder|gaggle|press call)\b",
        ),
        ("to preview", r"\b(?:call|briefing|here|going to do|wanted) (?:today )?to preview\b"),
        ("previewing", r"\b(?:we[’']re|we are|I[’']m|I am) (?:going to be )?previewing\b"),
        ("giv", r"\b(?:give|gives|giving) (?:you|folks|everyone|all of you)\b"),
        ("you through", r"\bwalk(?:ing)? you through\b"),
        (
            "give ",
            r"\bgive (?:a|an|some) (?:quick |brief |little )?"
            r"(?:overview|rundown|readout|update|sense)\b",
        ),
        (
            "start|begin",
            r"\b(?:start|begin) (?:off )?(?:by|with) (?:talking|saying|giving|a few)\b",
        ),
        ("spend ", r"\bspend (?:just )?(?:a|one) (?:minute|moment|second|few minutes)\b"),
        ("^i hope", r"^I hope (?:you|everyone)\b"),
        ("sorry", r"\bsorry,? (?:again,? )?(?:to keep|for (?:the delay|starting|keeping))"),
        ("thank ", r"\bthank (?:all of you|everyone|you all) for\b"),
        ("mute", r"\b(?:un)?mute\b"),
        ("trouble hearing", r"\btrouble hearing\b"),
        ("pause there", r"\bpause there\b"),
        (_QUESTIONS, r"\bwelcome (?:any|your) questions\b"),
        ("kick", r"\blet (?:him|her|them|me) kick\b"),
        ("question|caller", r"\b(?:first|next|last|final) (?:question|caller)\b"),
        ("q&a", r"\bQ&A\b"),
        ("open it up|open things up", r"\bopen (?:it|things) up\b"),
        ("open the line", r"\bopen the lines?\b"),
        ("raise ", r"\braise (?:your |a )?\W?hand\b"),
        ("any questions", r"\bany questions\b"),
        ("to read ", r"\bto read (?:out|you)\b"),
        (_QUESTIONS, r"\banswer (?:any|your|some) (?:of your )?questions\b"),
        (_QUESTIONS, r"\bas many questions\b"),
        ("end by saying", r"\bend by saying\b"),
        ("referred to as", r"\breferred to as \W?senior\b"),
    ]
)
_TRIGGERED = (_FURNITURE, _CALL_FURNITURE, _GLUED_BUTTON, _CAPTION_MARK, _CALLING_ON)
