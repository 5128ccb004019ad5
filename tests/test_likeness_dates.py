"""Two reports of one kind of event told apart by the month each is dated."""

from __future__ import annotations

import json

from newsdesk.analyse.likeness import Profile, profile, same_story, signals

PATCH = "Microsoft released an emergency patch for Internet Explorer on Wednesday, {date}."


def test_the_month_each_report_names_is_kept_and_compared() -> None:
    september = profile([PATCH.format(date="September 18")])
    also_september = profile([PATCH.format(date="Sept. 18")])
    december = profile([PATCH.format(date="December 17")])
    assert (september.month, also_september.month, december.month) == ("Sep", "Sep", "Dec")
    same = signals(september, also_september, 0.9)
    apart = signals(september, december, 0.9)
    assert (same.same_month, same.first_months_differ) == (1.0, 0.0)
    assert (apart.same_month, apart.first_months_differ) == (0.0, 1.0)
    assert same_story(apart) < same_story(same)


def test_may_the_verb_is_not_a_month_and_profiles_stored_before_months_still_read() -> None:
    found = profile(["Officials said the patch may arrive soon in May."])
    assert found.month == "May"
    stored_before_months = json.loads(found.to_json())
    del stored_before_months["month"]
    assert Profile.from_json(json.dumps(stored_before_months)).month is None
