"""Plane geometry for the map's outlines, in metres (British National Grid), free of the database.

No GEOS or shapely ([ADR 2](../docs/adr/0002-no-postgis.md)): outlines are only drawn, never
joined against, so what they need is small: simplifying rings (Douglas-Peucker), and, for the demo
outlines, a convex hull, Voronoi cells and the union of cells.

A polygon is a list of rings (the outer ring first, then holes); a ring is a list of (x, y) points
whose last point repeats the first, as in GeoJSON.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]


def ring_area(ring: Sequence[Point]) -> float:
    """Signed area (shoelace): positive when the ring runs anticlockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False)) / 2


def _distance_to_segment(point: Point, start: Point, end: Point) -> float:
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length_squared = dx * dx + dy * dy
    if length_squared == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length_squared))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _douglas_peucker(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The points of an open line kept by Douglas-Peucker (iterative: rings may be long)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        furthest, index = 0.0, None
        for position in range(first + 1, last):
            distance = _distance_to_segment(points[position], points[first], points[last])
            if distance > furthest:
                furthest, index = distance, position
        if index is not None and furthest > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_ring(ring: Sequence[Point], tolerance: float) -> Ring | None:
    """The closed ring with every point within ``tolerance`` of the original kept out; None when
    what is left encloses less than a square of the tolerance's side (too small to draw)."""
    points = list(ring)
    if points[0] != points[-1]:
        points.append(points[0])
    if len(points) < 4:
        return None
    # Split at the point furthest from the first, so that both halves are open lines.
    far = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))
    simplified = _douglas_peucker(points[: far + 1], tolerance)[:-1] + _douglas_peucker(points[far:], tolerance)
    if len(simplified) < 4 or abs(ring_area(simplified)) < tolerance * tolerance:
        return None
    return simplified


def simplify_polygons(polygons: Sequence[Polygon], tolerance: float) -> list[Polygon]:
    """Each polygon's rings simplified; a hole or a polygon too small to draw is dropped."""
    kept = []
    for polygon in polygons:
        outer = simplify_ring(polygon[0], tolerance)
        if outer is None:
            continue
        holes = [ring for ring in (simplify_ring(hole, tolerance) for hole in polygon[1:]) if ring is not None]
        kept.append([outer, *holes])
    return kept


def convex_hull(points: Sequence[Point]) -> Ring:
    """The convex hull as a closed anticlockwise ring (Andrew's monotone chain)."""
    unique = sorted(set(points))
    if len(unique) < 3:
        raise ValueError("a hull needs three points not all the same")

    def cross(o: Point, a: Point, b: Point) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[Point] = []
    for point in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    upper: list[Point] = []
    for point in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    hull = lower[:-1] + upper[:-1]
    return [*hull, hull[0]]


def padded_hull(points: Sequence[Point], margin: float, *, steps: int = 16) -> Ring:
    """The convex hull of circles of radius ``margin`` round each point (drawn as ``steps``-gons)."""
    circle = [
        (margin * math.cos(2 * math.pi * step / steps), margin * math.sin(2 * math.pi * step / steps))
        for step in range(steps)
    ]
    return convex_hull([(x + dx, y + dy) for x, y in points for dx, dy in circle])


def _clip(ring: Ring, site: Point, other: Point) -> Ring:
    """The part of a convex ring nearer ``site`` than ``other`` (Sutherland-Hodgman, one half-plane)."""
    # Points p with (p - middle) . (other - site) <= 0 are nearer site.
    nx, ny = other[0] - site[0], other[1] - site[1]
    mx, my = (site[0] + other[0]) / 2, (site[1] + other[1]) / 2

    def side(point: Point) -> float:
        return (point[0] - mx) * nx + (point[1] - my) * ny

    clipped: list[Point] = []
    for start, end in zip(ring, ring[1:], strict=False):
        start_side, end_side = side(start), side(end)
        if start_side <= 0:
            clipped.append(start)
        if (start_side < 0 < end_side) or (end_side < 0 < start_side):
            t = start_side / (start_side - end_side)
            clipped.append((start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])))
    if len(clipped) < 3:
        return []
    return [*clipped, clipped[0]]


def voronoi_cells(sites: Sequence[Point], limit: Ring) -> list[Ring]:
    """Each site's Voronoi cell (the places nearer it than any other site) within the convex ring
    ``limit``; sites must be distinct. Quadratic, for the demo's few dozen sites."""
    cells = []
    for index, site in enumerate(sites):
        cell = list(limit)
        for other_index, other in enumerate(sites):
            if other_index != index and cell:
                cell = _clip(cell, site, other)
        cells.append(cell)
    return cells


def union_of_cells(cells: Sequence[Ring], *, snap: float = 0.01) -> list[Polygon]:
    """The union of cells that meet edge to edge (Voronoi cells of one diagram) as polygons: edges
    two cells share cancel out, the rest are chained into rings, and holes are put in the polygon
    that holds them."""
    canonical: list[Point] = []

    def snapped(point: Point) -> Point:
        for known in canonical:
            if abs(known[0] - point[0]) <= snap and abs(known[1] - point[1]) <= snap:
                return known
        canonical.append(point)
        return point

    edges: dict[tuple[Point, Point], int] = {}
    for cell in cells:
        if not cell:
            continue
        points = [snapped(point) for point in cell]
        if ring_area(points) < 0:
            points.reverse()
        for start, end in zip(points, points[1:], strict=False):
            if start == end:
                continue
            if edges.get((end, start)):
                edges[(end, start)] -= 1
                if not edges[(end, start)]:
                    del edges[(end, start)]
            else:
                edges[(start, end)] = edges.get((start, end), 0) + 1
    onward: dict[Point, list[Point]] = {}
    for (start, end), count in edges.items():
        onward.setdefault(start, []).extend([end] * count)
    rings = []
    while onward:
        start = next(iter(onward))
        ring, point = [start], start
        while True:
            following = onward[point]
            nxt = following.pop()
            if not following:
                del onward[point]
            ring.append(nxt)
            point = nxt
            if point == start or point not in onward:
                break
        if ring[0] == ring[-1] and len(ring) >= 4:
            rings.append(ring)
    outers = [ring for ring in rings if ring_area(ring) > 0]
    holes = [ring for ring in rings if ring_area(ring) < 0]
    polygons: list[Polygon] = [[outer] for outer in outers]
    for hole in holes:
        for polygon in polygons:
            if _inside(hole[0], polygon[0]):
                polygon.append(hole)
                break
    return polygons


def _inside(point: Point, ring: Ring) -> bool:
    """Whether the point lies inside the ring (ray casting)."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside
