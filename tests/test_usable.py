"""The furniture screens: each searches a small part of its pattern, only in sentences that
hold one of that part's words, and must say what the whole pattern says."""

import pytest

from newsdesk.analyse import usable
from newsdesk.analyse.usable import is_prose

SENTENCES = [
    "Scroll down for video of the rescue in the harbour this morning.",
    "Fred Goodwin (pictured) left the bank in 2009 after the crisis began.",
    "Donna, left, and Peter were married in a small church in Kent.",
    "Summer pictured volunteering in South Africa with her two friends.",
    "The leaders were pictured with the prime minister at the summit.",
    "We'll go to Trevor Hunnicutt with Reuters first, then Beijing.",
    "And with that, I will hand it over to our speakers for the call.",
    "I hope everyone had a good weekend before this press call began.",
    "The ministers signed a defence pact in Manila on Tuesday afternoon.",
    "Show lessPhotos of the storm damage were shared across the region.",
    "Q: Did the president call the prime minister about the attack?",
    "İ am happy to take your questions on the agreement this evening.",
    "Tokyo will ſubscribe to the plan, officials said on Monday night.",
]


@pytest.mark.parametrize("sentence", SENTENCES + [s.upper() for s in SENTENCES])
def test_each_screen_agrees_with_its_whole_pattern(sentence: str) -> None:
    lowered = None if usable._UNSURE.search(sentence) else sentence.lower()
    for screen in usable._TRIGGERED:
        assert screen.search(sentence, lowered) == (screen.pattern.search(sentence) is not None)


def test_furniture_and_call_logistics_are_not_prose_but_news_is() -> None:
    assert not is_prose(SENTENCES[0])
    assert not is_prose(SENTENCES[1])
    assert not is_prose(SENTENCES[6])
    assert not is_prose(SENTENCES[11])  # "take your questions", found past the dotted İ
    assert is_prose(SENTENCES[4])
    assert is_prose(SENTENCES[8])
