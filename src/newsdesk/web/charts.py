"""Server-rendered SVG: a pair's cooperation-conflict trend and the graph of relationships.

Built with ElementTree, never by string concatenation, so every label is
escaped by construction. No scripts and no style attributes (the CSP allows
neither): presentation attributes only. Each chart has a <title> and <desc>
for screen readers, and every bar and edge its own <title>.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from markupsafe import Markup

from newsdesk.analyse.record import Edge, Period

SVG = "http://www.w3.org/2000/svg"
WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 24, 56
MAX_SCORE = 10.0


def score_colour(score: float) -> str:
    """Red for conflict, grey for neutral, blue for cooperation (colour-blind safe ends)."""
    share = max(-1.0, min(1.0, score / MAX_SCORE))
    grey, end = (136, 136, 136), ((33, 102, 172) if share >= 0 else (178, 24, 43))
    mixed = [round(g + (e - g) * abs(share)) for g, e in zip(grey, end, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*mixed)


def _element(
    parent: ET.Element, tag: str, text: str | None = None, **attributes: object
) -> ET.Element:
    element = ET.SubElement(
        parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = text
    return element


def _svg(title: str, desc: str, width: int, height: int, label: str) -> ET.Element:
    svg = ET.Element("svg", {"xmlns": SVG, "viewBox": f"0 0 {width} {height}", "role": "img",
                             "aria-labelledby": f"{label}-title {label}-desc", "class": "chart"})  # fmt: skip
    _element(svg, "title", title, id=f"{label}-title")
    _element(svg, "desc", desc, id=f"{label}-desc")
    return svg


def _markup(svg: ET.Element) -> Markup:
    return Markup(ET.tostring(svg, encoding="unicode"))  # escaped by ElementTree


def months_between(first: str, last: str) -> list[str]:
    """Every "YYYY-MM" from `first` to `last`, so that quiet months show as gaps."""
    year, month = int(first[:4]), int(first[5:7])
    months: list[str] = []
    while f"{year:04d}-{month:02d}" <= last and len(months) < 600:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def trend_chart(periods: Sequence[Period], pair_name: str) -> Markup:
    """Bars of each month's mean score (above zero cooperative, below conflictual), with counts."""
    if not periods:
        return Markup("")
    months = months_between(periods[0].period, periods[-1].period)
    by_month = {p.period: p for p in periods}
    total = sum(p.events for p in periods)
    desc = (f"{total} events from {months[0]} to {months[-1]}, one bar per month: "
            f"its mean cooperation-conflict score from -10 to +10. "
            + "; ".join(f"{p.period}: {p.events} events, {p.score:+.1f}, {p.change}" for p in periods))  # fmt: skip
    svg = _svg(
        f"Cooperation and conflict between {pair_name}, by month", desc, WIDTH, HEIGHT, "trend"
    )
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(score: float) -> float:
        return TOP + plot_h * (MAX_SCORE - score) / (2 * MAX_SCORE)

    _axes(svg, y, plot_w)
    step = plot_w / len(months)
    for index, month in enumerate(months):
        x = LEFT + index * step
        if index % max(1, len(months) // 8) == 0:
            _element(svg, "text", month, x=f"{x + step / 2:.1f}", y=HEIGHT - BOTTOM + 18,
                     text_anchor="middle", font_size=11, fill="#444")  # fmt: skip
        period = by_month.get(month)
        if period is not None:
            _bar(svg, period, x, step, y)
    _element(svg, "text", "month", x=LEFT + plot_w / 2, y=HEIGHT - 8, text_anchor="middle",
             font_size=12, fill="#444")  # fmt: skip
    return _markup(svg)


def _axes(svg: ET.Element, y: Callable[[float], float], plot_w: float) -> None:
    for tick in (-10, -5, 0, 5, 10):
        _element(svg, "line", x1=LEFT, x2=LEFT + plot_w, y1=f"{y(tick):.1f}", y2=f"{y(tick):.1f}",
                 stroke="#333" if tick == 0 else "#ddd", stroke_width=1)  # fmt: skip
        _element(svg, "text", f"{tick:+d}" if tick else "0", x=LEFT - 6, y=f"{y(tick) + 4:.1f}",
                 text_anchor="end", font_size=11, fill="#444")  # fmt: skip
    _element(svg, "text", "score", x=12, y=TOP + (y(-10) - TOP) / 2, font_size=12, fill="#444",
             transform=f"rotate(-90 12 {TOP + (y(-10) - TOP) / 2:.1f})", text_anchor="middle")  # fmt: skip


def _bar(
    svg: ET.Element, period: Period, x: float, step: float, y: Callable[[float], float]
) -> None:
    top, zero = y(max(period.score, 0.0)), y(0.0)
    height = max(abs(y(period.score) - zero), 1.5)
    group = _element(svg, "g", class_="bar")
    counts = ", ".join(f"{n} {c}" for c, n in period.counts)
    _element(group, "title", f"{period.period}: {period.events} events ({counts}); mean score "
             f"{period.score:+.1f}; {period.change} on the previous months")  # fmt: skip
    width = max(step * 0.7, 2.0)
    _element(group, "rect", x=f"{x + (step - width) / 2:.1f}", y=f"{top if period.score >= 0 else zero:.1f}",
             width=f"{width:.1f}", height=f"{height:.1f}", fill=score_colour(period.score))  # fmt: skip
    if step >= 14:
        label_y = top - 4 if period.score >= 0 else zero + height + 12
        _element(group, "text", str(period.events), x=f"{x + step / 2:.1f}", y=f"{label_y:.1f}",
                 text_anchor="middle", font_size=10, fill="#222")  # fmt: skip


GRAPH_SIZE = 640
MAX_EDGES = 60


def relation_graph(
    edges: Sequence[Edge], names: Callable[[str], str], link: Callable[[str, str], str],
    node_link: Callable[[str], str],
) -> Markup:  # fmt: skip
    """Countries on a circle; an edge per pair, its colour the pair's score, its width the events."""
    shown = list(edges[:MAX_EDGES])
    if not shown:
        return Markup("")
    weight = {c: 0 for e in shown for c in (e.a, e.b)}
    for e in shown:
        weight[e.a] += e.events
        weight[e.b] += e.events
    nodes = sorted(weight, key=lambda c: (-weight[c], c))
    centre, radius = GRAPH_SIZE / 2, GRAPH_SIZE / 2 - 70
    place = {c: (centre + radius * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
                 centre + radius * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2))
             for i, c in enumerate(nodes)}  # fmt: skip
    desc = (
        f"{len(nodes)} countries and the {len(shown)} busiest relationships between them; "
        "an edge's colour is its mean score (blue cooperative, red conflictual), its width its events."
    )
    svg = _svg("Relationships in the record", desc, GRAPH_SIZE, GRAPH_SIZE, "graph")
    busiest = max(e.events for e in shown)
    for edge in shown:
        (x1, y1), (x2, y2) = place[edge.a], place[edge.b]
        anchor = _element(svg, "a", href=link(edge.a, edge.b))
        _element(anchor, "title", f"{names(edge.a)} and {names(edge.b)}: {edge.events} events, "
                 f"mean score {edge.score:+.1f}")  # fmt: skip
        width = 1.5 + 8 * math.log1p(edge.events) / math.log1p(busiest)
        _element(anchor, "line", x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}",
                 stroke=score_colour(edge.score), stroke_width=f"{width:.1f}", stroke_linecap="round")  # fmt: skip
    for code in nodes:
        x, y = place[code]
        anchor = _element(svg, "a", href=node_link(code))
        _element(anchor, "title", f"{names(code)}: {weight[code]} events")
        _element(anchor, "circle", cx=f"{x:.1f}", cy=f"{y:.1f}", r=14, fill="#fff", stroke="#1f3a5f",
                 stroke_width=2)  # fmt: skip
        _element(anchor, "text", code, x=f"{x:.1f}", y=f"{y + 4:.1f}", text_anchor="middle",
                 font_size=10, fill="#1f3a5f")  # fmt: skip
    return _markup(svg)
