"""The pandas baseline of the end-to-end benchmark: an analyst's script turning the raw police.uk files
and the GIAS extract into every open school's crime exposure, percentiles, total and rank, as
``import_crime`` followed by ``recompute_priorities`` does (same weights, radius and rules).

Runs in its own environment (bench/requirements-baseline.txt), never the project's:

    .cache/bench-baseline/bin/python bench/baseline_pandas.py CRIME_FOLDER GIAS_CSV
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

# The default scoring model (priorities/defaults.py): weights per crime type, radius, component weights.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from priorities.defaults import DEFAULT_CRIME_TYPE_WEIGHTS  # noqa: E402

RADIUS = 1000.0
WEIGHTS = {"crime": 0.4, "fsm": 0.3, "pupils": 0.1}
COLUMNS = ["Crime ID", "Month", "Longitude", "Latitude", "LSOA code", "Crime type"]


def main(crime_folder: Path, gias: Path) -> None:
    started = time.perf_counter()
    frames = []
    for path in sorted(crime_folder.rglob("*-street.csv")):
        frame = pd.read_csv(path, usecols=COLUMNS, dtype={"Crime ID": "string", "LSOA code": "string"})
        frame = frame[frame["Month"] == path.name[:7]]  # the file's month only
        frame = frame[frame["Crime ID"].isna() | ~frame["Crime ID"].duplicated()]  # a repeated ID once
        frames.append(frame)
    crime = pd.concat(frames, ignore_index=True)
    crime = crime[crime["LSOA code"].notna()]
    crime["weight"] = crime["Crime type"].map({key: float(value) for key, value in DEFAULT_CRIME_TYPE_WEIGHTS.items()})
    lsoas = crime.groupby("LSOA code").agg(
        weighted=("weight", "sum"), longitude=("Longitude", "mean"), latitude=("Latitude", "mean")
    )
    located = lsoas.dropna(subset=["longitude"])
    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    easting, northing = to_grid.transform(located["longitude"].to_numpy(), located["latitude"].to_numpy())
    points = pd.DataFrame({"lsoa": located.index, "e": easting, "n": northing, "w": located["weighted"].to_numpy()})
    points["cx"], points["cy"] = (points["e"] // RADIUS).astype(int), (points["n"] // RADIUS).astype(int)

    schools = pd.read_csv(gias, encoding="cp1252", dtype=str, usecols=[
        "URN", "EstablishmentStatus (name)", "EstablishmentTypeGroup (name)", "NumberOfPupils", "PercentageFSM",
        "Easting", "Northing", "LSOA (code)",
    ])  # fmt: skip
    schools = schools[schools["EstablishmentStatus (name)"].isin(["Open", "Open, but proposed to close"])]
    schools = schools[schools["EstablishmentTypeGroup (name)"] != "Independent schools"].reset_index(drop=True)
    schools["e"], schools["n"] = schools["Easting"].astype(float), schools["Northing"].astype(float)
    schools["cx"], schools["cy"] = (schools["e"] // RADIUS).astype(int), (schools["n"] // RADIUS).astype(int)
    near = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            shifted = schools[["URN", "e", "n", "cx", "cy"]].assign(cx=schools["cx"] + dx, cy=schools["cy"] + dy)
            pairs = shifted.merge(points, on=["cx", "cy"], suffixes=("", "_l"))
            near.append(pairs[(pairs["e"] - pairs["e_l"]) ** 2 + (pairs["n"] - pairs["n_l"]) ** 2 <= RADIUS**2])
    near = pd.concat(near)[["URN", "lsoa", "w"]]
    own = schools[["URN", "LSOA (code)"]].merge(lsoas["weighted"], left_on="LSOA (code)", right_index=True)
    own = own.rename(columns={"LSOA (code)": "lsoa", "weighted": "w"})
    exposure = pd.concat([near, own]).drop_duplicates(["URN", "lsoa"]).groupby("URN")["w"].sum()
    schools["exposure"] = schools["URN"].map(exposure).fillna(0.0)

    def percentile(values: pd.Series) -> pd.Series:
        ordered = np.sort(values.to_numpy())
        return pd.Series(100.0 * np.searchsorted(ordered, values.to_numpy(), side="left") / (len(values) - 1))

    schools["pupils"] = pd.to_numeric(schools["NumberOfPupils"]).fillna(0)
    schools["fsm"] = pd.to_numeric(schools["PercentageFSM"]).fillna(0)
    schools["total"] = (
        (percentile(schools["exposure"]) * WEIGHTS["crime"]).round(2)
        + (schools["fsm"] * WEIGHTS["fsm"]).round(2)
        + (percentile(schools["pupils"]) * WEIGHTS["pupils"]).round(2)
    )
    schools["urn_key"] = schools["URN"].str.len() * 10**9 + schools["URN"].astype(int)
    schools = schools.sort_values(["total", "urn_key"], ascending=[False, True])
    schools["rank"] = np.arange(1, len(schools) + 1)
    print(
        f"{len(crime):,} rows, {len(lsoas):,} LSOAs, {len(schools):,} schools scored "
        f"in {time.perf_counter() - started:.2f}s"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
