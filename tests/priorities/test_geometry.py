"""The outlines' plane geometry: simplifying rings, hulls, Voronoi cells and their union."""

import pytest

from priorities.geometry import (
    convex_hull,
    padded_hull,
    ring_area,
    simplify_polygons,
    simplify_ring,
    union_of_cells,
    voronoi_cells,
)

SQUARE = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (0.0, 0.0)]


def _with_points_along_each_side(ring, step=10):
    points = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        for i in range(step):
            points.append((x0 + (x1 - x0) * i / step, y0 + (y1 - y0) * i / step))
    return [*points, points[0]]


def test_points_on_a_straight_side_are_dropped():
    assert sorted(set(simplify_ring(_with_points_along_each_side(SQUARE), 1))) == sorted(set(SQUARE))


def test_a_bend_larger_than_the_tolerance_is_kept_a_smaller_one_is_not():
    notched = [(0.0, 0.0), (50.0, 0.0), (55.0, 8.0), (60.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (0, 0)]

    assert (55.0, 8.0) in simplify_ring(notched, 5)
    assert (55.0, 8.0) not in simplify_ring(notched, 10)


def test_a_ring_smaller_than_the_tolerance_vanishes_and_its_polygon_with_it():
    tiny = [(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 0.0)]

    assert simplify_ring(tiny, 5) is None
    assert simplify_polygons([[tiny]], 5) == []


def test_a_hole_too_small_to_draw_is_dropped_the_polygon_kept():
    hole = [(40.0, 40.0), (41.0, 40.0), (41.0, 41.0), (40.0, 40.0)]

    assert simplify_polygons([[SQUARE, hole]], 5) == [[simplify_ring(SQUARE, 5)]]


def test_the_convex_hull_leaves_out_inner_points_and_runs_anticlockwise():
    hull = convex_hull([(0, 0), (10, 0), (10, 10), (0, 10), (5, 5), (2, 7)])

    assert set(hull) == {(0, 0), (10, 0), (10, 10), (0, 10)}
    assert ring_area(hull) == 100


def test_a_padded_hull_reaches_the_margin_beyond_the_outermost_points():
    hull = padded_hull([(0, 0), (100, 0), (50, 80)], 10)

    assert min(x for x, _ in hull) == pytest.approx(-10)
    assert max(x for x, _ in hull) == pytest.approx(110)


def test_voronoi_cells_tile_the_limit_and_each_holds_its_site():
    sites = [(20.0, 20.0), (80.0, 30.0), (50.0, 80.0), (30.0, 60.0)]

    cells = voronoi_cells(sites, SQUARE)

    assert sum(ring_area(cell) for cell in cells) == pytest.approx(100 * 100)
    for site, cell in zip(sites, cells, strict=True):
        assert min(x for x, _ in cell) <= site[0] <= max(x for x, _ in cell)


def test_the_union_of_neighbouring_cells_is_one_polygon_without_their_shared_edge():
    sites = [(25.0, 50.0), (75.0, 50.0)]
    left, right = voronoi_cells(sites, SQUARE)

    (polygon,) = union_of_cells([left, right])

    assert len(polygon) == 1
    assert ring_area(polygon[0]) == pytest.approx(100 * 100)
    assert (50.0, 50.0) not in polygon[0]


def test_cells_that_do_not_touch_make_separate_polygons():
    sites = [(10.0, 50.0), (50.0, 50.0), (90.0, 50.0)]
    left, _, right = voronoi_cells(sites, SQUARE)

    assert len(union_of_cells([left, right])) == 2


def test_a_cell_surrounded_by_others_leaves_a_hole_in_their_union():
    sites = [(50.0, 50.0)] + [(50.0 + dx, 50.0 + dy) for dx, dy in [(-30, -30), (30, -30), (30, 30), (-30, 30)]]
    centre, *around = voronoi_cells(sites, SQUARE)

    (polygon,) = union_of_cells(around)

    assert len(polygon) == 2  # the outer ring and the centre cell's hole
    assert ring_area(polygon[0]) + ring_area(polygon[1]) == pytest.approx(100 * 100 - ring_area(centre))
