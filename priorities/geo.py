"""Conversion between WGS84 latitude/longitude (police.uk) and British National Grid (GIAS).

pyproj's EPSG:4326 -> EPSG:27700 transformation uses a Helmert shift without the OSTN15
grid: within about 5 m of the Ordnance Survey's own figures, ample for a 1 km radius.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyproj import Transformer


# pyproj is imported on first use: this module is loaded with the apps, and importing pyproj
# cost every process (a recompute on PostgreSQL needs none of it) about 0.15 s of start-up.
@cache
def _wgs84_to_bng() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


def to_easting_northing(longitudes: Sequence[float], latitudes: Sequence[float]) -> tuple[list[float], list[float]]:
    """British National Grid easting and northing (metres) of each WGS84 point."""
    if not longitudes:
        return [], []
    eastings, northings = _wgs84_to_bng().transform(list(longitudes), list(latitudes))
    return list(eastings), list(northings)


@cache
def _bng_to_wgs84() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def to_latitude_longitude(eastings: Sequence[float], northings: Sequence[float]) -> tuple[list[float], list[float]]:
    """WGS84 latitude and longitude (degrees) of each British National Grid point (GIAS's
    easting/northing), for the school maps; all points in one call."""
    if not eastings:
        return [], []
    longitudes, latitudes = _bng_to_wgs84().transform(list(eastings), list(northings))
    return list(latitudes), list(longitudes)


# Outlines go to the browser in WGS84 degrees with 5 decimals: about 1 m, well under a pixel.
OUTLINE_DECIMALS = 5


def polygons_to_grid(polygons: Sequence[Sequence[Sequence[tuple[float, float]]]]) -> list[list[list[tuple]]]:
    """WGS84 (longitude, latitude) polygons in British National Grid metres; one call for all points."""
    points = [point for polygon in polygons for ring in polygon for point in ring]
    eastings, northings = to_easting_northing([x for x, _ in points], [y for _, y in points])
    converted = iter(zip(eastings, northings, strict=True))
    return [[[next(converted) for _ in ring] for ring in polygon] for polygon in polygons]


def polygons_to_geojson(polygons: Sequence[Sequence[Sequence[tuple[float, float]]]]) -> dict:
    """A GeoJSON MultiPolygon in WGS84 (longitude, latitude) of polygons in British National Grid
    metres; one call for all points."""
    points = [point for polygon in polygons for ring in polygon for point in ring]
    latitudes, longitudes = to_latitude_longitude([x for x, _ in points], [y for _, y in points])
    converted = iter(zip(longitudes, latitudes, strict=True))
    coordinates = [
        [
            [[round(longitude, OUTLINE_DECIMALS), round(latitude, OUTLINE_DECIMALS)] for longitude, latitude in ring]
            for ring in ([next(converted) for _ in ring] for ring in polygon)
        ]
        for polygon in polygons
    ]
    return {"type": "MultiPolygon", "coordinates": coordinates}
