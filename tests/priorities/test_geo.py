import math

from priorities.geo import to_easting_northing, to_latitude_longitude


def test_caister_water_tower_converts_to_its_published_national_grid_position():
    # Ordnance Survey's worked example (Caister Water Tower): ETRS89 52°39'28.8282"N 1°42'57.8663"E
    # is OSGB36 National Grid E 651409.792, N 313177.448 with OSTN15. Without the grid, within 5 m.
    latitude = 52 + 39 / 60 + 28.8282 / 3600
    longitude = 1 + 42 / 60 + 57.8663 / 3600
    (easting,), (northing,) = to_easting_northing([longitude], [latitude])
    assert math.dist((easting, northing), (651409.792, 313177.448)) < 5


def test_no_points_convert_to_no_points():
    assert to_easting_northing([], []) == ([], [])


def test_the_national_grid_position_of_caister_water_tower_converts_back_to_its_latitude_and_longitude():
    (latitude,), (longitude,) = to_latitude_longitude([651409.792], [313177.448])
    # 5 m is about 0.000045 degrees of latitude and 0.00008 of longitude there.
    assert abs(latitude - (52 + 39 / 60 + 28.8282 / 3600)) < 0.00005
    assert abs(longitude - (1 + 42 / 60 + 57.8663 / 3600)) < 0.00008


def test_no_grid_points_convert_to_no_points():
    assert to_latitude_longitude([], []) == ([], [])
