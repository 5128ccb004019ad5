"""Share links for one article: each network's own URL format, parameters URL-encoded."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True, slots=True)
class ShareLink:
    network: str
    label: str
    href: str


def share_links(url: str, title: str) -> list[ShareLink]:
    """Where a reader can share `url`; none of them loads anything until clicked."""
    both = f"{title} {url}"
    targets = [
        ("x", "X", "https://x.com/intent/post", {"text": title, "url": url}),
        ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php", {"u": url}),
        ("linkedin", "LinkedIn", "https://www.linkedin.com/sharing/share-offsite/", {"url": url}),
        ("whatsapp", "WhatsApp", "https://wa.me/", {"text": both}),
        ("telegram", "Telegram", "https://t.me/share/url", {"url": url, "text": title}),
        ("reddit", "Reddit", "https://www.reddit.com/submit", {"url": url, "title": title}),
        ("email", "E-mail", "mailto:", {"subject": title, "body": both}),
    ]
    return [
        ShareLink(network, label, f"{base}?{urlencode(params, quote_via=quote)}")
        for network, label, base, params in targets
    ]
