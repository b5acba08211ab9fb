"""The body outline of the body map: front and back, as polygons in a 1000 x 1000 square.

A mark is stored as the point marked (x across, y down, 0 to 1000) and the region it falls in;
a point outside every region is not on the body and is refused. The same polygons draw the SVG,
so what is shown is what is checked. Left and right are the pupil's: on the front view the
pupil's right side is on the viewer's left.
"""

from __future__ import annotations

from dataclasses import dataclass

Point = tuple[int, int]


@dataclass(frozen=True)
class Region:
    key: str
    label: str
    polygon: tuple[Point, ...]

    @property
    def points(self) -> str:
        """The polygon as an SVG ``points`` attribute."""
        return " ".join(f"{x},{y}" for x, y in self.polygon)

    @property
    def centre(self) -> Point:
        """A point inside the region (the mean of its corners; every region is convex)."""
        count = len(self.polygon)
        return (
            round(sum(x for x, _ in self.polygon) / count),
            round(sum(y for _, y in self.polygon) / count),
        )

    def contains(self, x: float, y: float) -> bool:
        return point_in_polygon(x, y, self.polygon)


def point_in_polygon(x: float, y: float, polygon: tuple[Point, ...]) -> bool:
    """Ray casting: a point is inside when a ray from it crosses the polygon's edges an odd number of times."""
    inside = False
    count = len(polygon)
    for index in range(count):
        x1, y1 = polygon[index]
        x2, y2 = polygon[(index + 1) % count]
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


# The shapes, from the viewer's left to right. Every shape is convex, so its centre is inside it.
_HEAD = ((465, 25), (535, 25), (565, 60), (565, 125), (535, 160), (465, 160), (435, 125), (435, 60))
_NECK = ((470, 160), (530, 160), (532, 196), (468, 196))
_UPPER_TRUNK = ((380, 196), (620, 196), (626, 340), (374, 340))
_LOWER_TRUNK = ((374, 340), (626, 340), (630, 480), (370, 480))
_PELVIS = ((370, 480), (630, 480), (630, 560), (370, 560))
_ARM_VIEWER_LEFT = ((378, 198), (372, 280), (322, 478), (272, 468), (330, 210))
_ARM_VIEWER_RIGHT = ((622, 198), (670, 210), (728, 468), (678, 478), (628, 280))
_HAND_VIEWER_LEFT = ((272, 468), (322, 478), (316, 560), (256, 550))
_HAND_VIEWER_RIGHT = ((678, 478), (728, 468), (744, 550), (684, 560))
_LEG_VIEWER_LEFT = ((372, 560), (494, 560), (480, 900), (410, 900))
_LEG_VIEWER_RIGHT = ((506, 560), (628, 560), (590, 900), (520, 900))
_FOOT_VIEWER_LEFT = ((410, 900), (480, 900), (484, 975), (386, 975))
_FOOT_VIEWER_RIGHT = ((520, 900), (590, 900), (614, 975), (516, 975))


def _regions(view: str) -> tuple[Region, ...]:
    # On the front the pupil's right side is on the viewer's left; on the back, on the viewer's right.
    near, far = ("right", "left") if view == "front" else ("left", "right")
    trunk = (
        ("chest", "Chest", "abdomen", "Abdomen", "pelvis", "Pelvis and groin")
        if view == "front"
        else ("upper-back", "Upper back", "lower-back", "Lower back", "buttocks", "Buttocks")
    )
    return (
        Region("head", "Head and face" if view == "front" else "Back of the head", _HEAD),
        Region("neck", "Neck" if view == "front" else "Back of the neck", _NECK),
        Region(trunk[0], trunk[1], _UPPER_TRUNK),
        Region(trunk[2], trunk[3], _LOWER_TRUNK),
        Region(trunk[4], trunk[5], _PELVIS),
        Region(f"{near}-arm", f"{near.capitalize()} arm", _ARM_VIEWER_LEFT),
        Region(f"{far}-arm", f"{far.capitalize()} arm", _ARM_VIEWER_RIGHT),
        Region(f"{near}-hand", f"{near.capitalize()} hand", _HAND_VIEWER_LEFT),
        Region(f"{far}-hand", f"{far.capitalize()} hand", _HAND_VIEWER_RIGHT),
        Region(f"{near}-leg", f"{near.capitalize()} leg", _LEG_VIEWER_LEFT),
        Region(f"{far}-leg", f"{far.capitalize()} leg", _LEG_VIEWER_RIGHT),
        Region(f"{near}-foot", f"{near.capitalize()} foot", _FOOT_VIEWER_LEFT),
        Region(f"{far}-foot", f"{far.capitalize()} foot", _FOOT_VIEWER_RIGHT),
    )


OUTLINE: dict[str, tuple[Region, ...]] = {"front": _regions("front"), "back": _regions("back")}


def region_at(view: str, x: float, y: float) -> Region | None:
    """The region of the view's outline holding the point, or None when the point is off the body."""
    for region in OUTLINE.get(view, ()):
        if region.contains(x, y):
            return region
    return None


def region_named(view: str, key: str) -> Region | None:
    return next((region for region in OUTLINE.get(view, ()) if region.key == key), None)


def region_label(view: str, key: str) -> str:
    region = region_named(view, key)
    return region.label if region else key
