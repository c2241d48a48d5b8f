"""The route as a cycle of phases (after the NJI posters), laid out for an SVG drawn by a template."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

from portal.route.definition import Route

SIZE = 600
NODE_RADIUS = 72
LINE_CHARS = 16


@dataclass(frozen=True)
class Node:
    number: int
    key: str
    label: str
    lines: tuple[str, ...]
    x: float
    y: float
    status: str  # "", "current", "visited", "evaluated" or "skipped"


@dataclass(frozen=True)
class Arrow:
    path: str


@dataclass(frozen=True)
class Diagram:
    title: str
    size: int
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]


def layout(route: Route, states: dict[str, str] | None = None) -> Diagram:
    """Phases evenly on a circle, clockwise from the top; ``states`` marks phases by key."""
    states = states or {}
    count = len(route.phases)
    radius = SIZE / 2 - NODE_RADIUS - 12
    centre = SIZE / 2
    angles = [-math.pi / 2 + 2 * math.pi * i / count for i in range(count)]
    nodes = tuple(
        Node(number=i + 1, key=phase.key, label=phase.label, lines=_wrap(phase.label),
             x=round(centre + radius * math.cos(a), 1), y=round(centre + radius * math.sin(a), 1),
             status=states.get(phase.key, ""))
        for i, (phase, a) in enumerate(zip(route.phases, angles))
    )
    arrows = tuple(_arc(centre, radius, angles[i], angles[(i + 1) % count] + (2 * math.pi if i + 1 == count else 0))
                   for i in range(count)) if count > 1 else ()
    return Diagram(title=route.label, size=SIZE, nodes=nodes, arrows=arrows)


def _wrap(label: str) -> tuple[str, ...]:
    lines = textwrap.wrap(label, LINE_CHARS, break_long_words=False)
    if len(lines) > 4:
        lines = lines[:3] + [lines[3] + "…"]
    return tuple(lines)


def _arc(centre: float, radius: float, start: float, end: float) -> Arrow:
    """A clockwise arc along the cycle from one node's edge to the next node's edge."""
    gap = (NODE_RADIUS + 6) / radius  # the angle a node covers on the circle
    a, b = start + gap, end - gap
    x1, y1 = centre + radius * math.cos(a), centre + radius * math.sin(a)
    x2, y2 = centre + radius * math.cos(b), centre + radius * math.sin(b)
    large = 1 if (b - a) > math.pi else 0
    return Arrow(f"M {x1:.1f} {y1:.1f} A {radius:.1f} {radius:.1f} 0 {large} 1 {x2:.1f} {y2:.1f}")
