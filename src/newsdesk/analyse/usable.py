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
_FURNITURE = re.compile(
    r"scroll down for video|click here|read more:|^read more\b|follow @|sign up for|share this|"
    r"watch the video|^by \. |\b(?:published|updated):|^q:? |"  # "Q:" asks in a transcript
    r"\bdon[’']t miss\b|\brelated(?: stories| articles| coverage)?:|\bsee also\b|"
    r"\b(?:photo|image|picture|video)s?(?: credit)?:|\bgetty images\b|\bAP photo\b|"
    r"\bshow (?:more|less)\b|\bsubscribe\b|^advertisement\b",
    re.IGNORECASE,
)
_GLUED_BUTTON = re.compile(r"\b(?:more|less)[A-Z]")  # a gallery's "Show less" glued on
# A photo caption, or a sentence that points at a photo the brief does not show:
# "Fred Goodwin (pictured)", "Donna (right) and Peter", "Paul Casey, pictured in action,",
# "Pictured is ...", "Schumacher is pictured in the garage" (but "were pictured with" is news).
_CAPTION_MARK = re.compile(
    r"\((?:not )?pictured\b[^)]*\)|\((?:left|right|above|below|inset|centre|center|top|bottom|"
    r"front|back|file|second (?:left|right)|far (?:left|right)|top (?:left|right)|"
    r"bottom (?:left|right))\)|,\s*pictured\b|^pictured\b|\b(?:is|are) pictured\b|"
    r", (?:left|right|above|below|centre|center|far (?:left|right)),|"
    r"\bpictured (?:left|right|above|below|here|again|centre|center)\b|"
    # "Summer pictured volunteering in South Africa": a bare "pictured" is a caption's
    r"(?<!was )(?<!were )(?<!been )(?<!being )(?<!be )(?<!get )(?<!got )(?<!who )"
    r"\bpictured\b(?! (?:herself|himself|themselves|myself|itself|the|a|an|it|him|her|them|"
    r"what|how|as)\b)",
    re.IGNORECASE,
)
# A press call's pleasantries, logistics and introductions: nothing a reader needs.
_CALL_OPENING = re.compile(
    r"(?:(?:and|so|but|well|okay|ok|yes|great|all right|alright),?\s+)*"
    r"(?:good (?:morning|afternoon|evening)|thanks?\b|thank you|hi\b|hello\b|welcome\b)",
    re.IGNORECASE,
)  # matched at the start only
_CALL_FURNITURE = re.compile(
    r"\bon background\b|\bembargo(?:ed)?\b|\bground rules\b|\bour speakers?\b|\bjoining us\b|"
    r"\b(?:turn|hand) (?:it|things|the call|this) (?:over|back)\b|\bhand (?:it )?(?:over|off) to\b|"
    r"\bnext question\b|\btake (?:your |some |a few )?questions\b|"
    r"\bstart us off\b|\bkick (?:us|things) off\b|\bfor your patience\b|\bhereby\b|"
    r"\battribut(?:ed|able) to\b|\boff the record\b|\bfor attribution\b|"
    r"\b(?:today[’']s|this) call\b|\b(?:on|join(?:ing)?) the call\b|\bthe call is\b|"
    r"\bpleased to be joined\b|\bI[’']ll (?:stop|leave it) there\b|^(?:and |so )?with that\b|"
    r"\bplease go ahead\b|\bas a reminder\b|"
    # the speaker on the call itself: its purpose, its running order, its audience
    r"\b(?:this|today[’']s|tonight[’']s|the|our|a quick|background) (?:briefing|backgrounder|"
    r"gaggle|press call)\b|\b(?:call|briefing|here|going to do|wanted) (?:today )?to preview\b|"
    r"\b(?:we[’']re|we are|I[’']m|I am) (?:going to be )?previewing\b|"
    r"\b(?:give|gives|giving) (?:you|folks|everyone|all of you)\b|\bwalk(?:ing)? you through\b|"
    r"\bgive (?:a|an|some) (?:quick |brief |little )?(?:overview|rundown|readout|update|sense)\b|"
    r"\b(?:start|begin) (?:off )?(?:by|with) (?:talking|saying|giving|a few)\b|"
    r"\bspend (?:just )?(?:a|one) (?:minute|moment|second|few minutes)\b|"
    r"^I hope (?:you|everyone)\b|\bsorry,? (?:again,? )?(?:to keep|for (?:the delay|starting|keeping))|"
    r"\bthank (?:all of you|everyone|you all) for\b|\b(?:un)?mute\b|\btrouble hearing\b|"
    r"\bpause there\b|\bwelcome (?:any|your) questions\b|\blet (?:him|her|them|me) kick\b|"
    r"\b(?:first|next|last|final) (?:question|caller)\b|\bQ&A\b|\bopen (?:it|things) up\b|"
    r"\bopen the lines?\b|\braise (?:your |a )?\W?hand\b|\bany questions\b|\bto read (?:out|you)\b|"
    r"\banswer (?:any|your|some) (?:of your )?questions\b|\bas many questions\b|\bend by saying\b|"
    r"\breferred to as \W?senior\b",
    re.IGNORECASE,
)
# The moderator calling on a reporter: "We'll go to Trevor Hunnicutt with Reuters first."
_CALLING_ON = re.compile(
    r"\bgo(?:ing)? (?:over )?to (?:[A-Z][\w.’'-]+ ){1,3}(?:with|from|at|of) [A-Z]"
)
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
    return (
        _CALL_OPENING.match(sentence) is not None
        or _FURNITURE_SCREEN.search(sentence)
        or _CALL_SCREEN.search(sentence)
        or any(
            pattern.search(sentence)
            for pattern in (
                _GLUED_BUTTON,
                _CAPTION_MARK,
                _CALLING_ON,
                _PLACEHOLDER,
                _SIGN_OFF,
            )
        )
    )


class _Screened:
    """A case-blind pattern searched only in text that holds one of its words (or opens on
    one of its openings): every match does, and the alternation is slow to try at each
    character of every sentence."""

    def __init__(self, pattern: re.Pattern[str], words: str, openings: tuple[str, ...] = ()):
        self.pattern, self.words, self.openings = pattern, tuple(words.split("|")), openings

    def search(self, text: str) -> bool:
        lowered = text.lower()
        # The only letters that IGNORECASE matches to a-z and lower() does not turn into them
        unsure = "İ" in text or "ı" in text or "ſ" in text
        if unsure or lowered.startswith(self.openings) or any(w in lowered for w in self.words):
            return self.pattern.search(text) is not None
        return False


_FURNITURE_SCREEN = _Screened(
    _FURNITURE,
    "scroll down for video|click here|read more|follow @|sign up for|share this|"
    "watch the video|by . |published:|updated:|don’t miss|don't miss|related|see also|"
    "photo|image|picture|video|getty images|show more|show less|subscribe|advertisement",
    openings=("q",),
)
_CALL_SCREEN = _Screened(  # a word of each of _CALL_FURNITURE's alternatives
    _CALL_FURNITURE,
    "background|embargo|ground rules|speaker|joining us|turn |hand|question|start|kick|"
    "patience|hereby|attribut|off the record|call|joined|stop there|leave it there|with that|"
    "go ahead|reminder|briefing|gaggle|preview|giv|through|begin|spend|hope|sorry|thank|mute|"
    "hearing|pause|q&a|open it up|open things up|open the line|to read |saying|referred",
)
