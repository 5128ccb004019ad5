"""Entity names in a text as links to their pages: the text escaped, each name an <a>."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from newsdesk.models import Entity
from newsdesk.web.links import Links

MAX_NAMES = 60


def entity_links(text: str, entities: Sequence[Entity], links: Links) -> Markup:
    """`text` as safe HTML with the first mention of each entity's name linked."""
    names = sorted(
        {e.name: e for e in entities if len(e.name) > 2}.items(), key=lambda n: -len(n[0])
    )
    names = names[:MAX_NAMES]
    if not names:
        return Markup(escape(text))
    by_name = dict(names)
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n, _ in names) + r")(?!\w)")
    out, done, at = [], set(), 0
    for match in pattern.finditer(text):
        name = match.group(1)
        if name in done:
            continue
        done.add(name)
        entity = by_name[name]
        href = escape(links.entity(str(entity.kind), entity.name))
        out += [
            escape(text[at : match.start()]),
            f'<a class="entity-link" href="{href}">{escape(name)}</a>',
        ]
        at = match.end()
    out.append(escape(text[at:]))
    return Markup("".join(out))  # every piece escaped above
