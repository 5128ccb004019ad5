"""A headline without the site's name: "... | MoreBikes", "LinkNaija | ...: ...".

Pages put their name before or after the headline, set off by a separator. A
part is taken for the site's name only when it is the page's ``og:site_name``
(or the start of it) or the host the page came from, so a headline that merely
contains a separator ("Milan Design Week 2018 | Anastassiades' light
installation") is left whole, and so is a section such as "| Editorial".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

_SEPARATOR = re.compile(r"\s+(?:[|\-–—·•»~:/]{1,2})\s+|:\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")
_MIN_WORDS_LEFT = 2
_GENERIC_LABELS = frozenset({"www", "news", "blog", "m", "amp", "en"})


def clean_title(title: str, site_name: str | None = None, url: str | None = None) -> str:
    """`title` without a leading or trailing site name; unchanged when unsure."""
    title = " ".join(title.split())
    names = _Names(_key(site_name or ""), _host_names(url))
    if not title or not (names.site or names.hosts):
        return title
    for _ in range(2):  # a name on each side: "Site | Headline - Site"
        shorter = _without_name(title, names)
        if shorter == title:
            break
        title = shorter
    return title


@dataclass(frozen=True, slots=True)
class _Names:
    site: str  # og:site_name, as a key
    hosts: frozenset[str]  # what the host could be called: "spacenewscom", "spacenews"

    def match(self, part: str, separator: str) -> bool:
        key = _key(part)
        if len(key) < 3:
            return False
        if separator.strip() == ":":  # "Express: the new train" is a headline
            return key == self.site
        if key == self.site or key in self.hosts:
            return True
        return len(key) >= 4 and self.site.startswith(key)  # "Inexhibit" of "Inexhibit magazine"


def _without_name(title: str, names: _Names) -> str:
    separators = list(_SEPARATOR.finditer(title))
    for count in range(len(separators), 0, -1):  # the longest name first
        leading = separators[count - 1]
        name, rest = title[: leading.start()], title[leading.end() :]
        if names.match(name, leading.group()) and _enough(rest):
            return rest.strip()
        trailing = separators[-count]
        rest, name = title[: trailing.start()], title[trailing.end() :]
        if names.match(name, trailing.group()) and _enough(rest):
            return rest.strip()
    return title


def _enough(text: str) -> bool:
    return len(text.split()) >= _MIN_WORDS_LEFT


def _host_names(url: str | None) -> frozenset[str]:
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:  # "http://[::1/x": no host to go by
        return frozenset()
    labels = [label for label in host.lower().split(".") if label not in _GENERIC_LABELS]
    if not labels:
        return frozenset()
    names = {_key("".join(labels)), _key("".join(labels[:-1])), _key(labels[0])}
    return frozenset(name for name in names if len(name) >= 3)


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.lower())
