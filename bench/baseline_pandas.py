"""The pandas baseline of the end-to-end benchmark: an analyst's script turning the raw police.uk files
and the GIAS extract into every open school's crime exposure, percentiles, total, rank and band, as
``import_crime`` followed by ``recompute_priorities`` does with the default scoring model (same
weights, window, radius, rounding, tie-breaker and bands).

Runs in its own environment (bench/requirements-baseline.txt), never the project's:

    .cache/bench-baseline/bin/python bench/baseline_pandas.py CRIME_FOLDER GIAS_CSV [OUTPUT_CSV]

It prints its own time (the work, without the interpreter's and the libraries' start-up); with
OUTPUT_CSV it then writes URN,total,rank_in_bcu,band for the benchmark to check its answer against
the project's, school by school.

What the raw files cannot say, the benchmark's database does not have either: no partner advice
and no SSO postings (advice and coverage are 0 points for every school), and no BCU (every school
ranks in one group, as the project's schools without a BCU do).
"""

from __future__ import annotations

import datetime
import math
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

# The default scoring model (priorities/defaults.py): weights per crime type, radius, component weights.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from priorities.defaults import DEFAULT_CRIME_TYPE_WEIGHTS  # noqa: E402

# ScoringModel's field defaults (priorities/models.py), which the default model keeps.
RADIUS = 1000.0
CRIME_MONTHS = 12
WEIGHTS = {name: Decimal(value) for name, value in {"crime": "0.4", "fsm": "0.3", "pupils": "0.1"}.items()}
COLUMNS = ["Crime ID", "Month", "Longitude", "Latitude", "LSOA code", "Crime type"]
# GIAS type groups the importer counts as state-funded (priorities/importers.py); others are not scored.
STATE_FUNDED_TYPE_GROUPS = ["Academies", "Free Schools", "Local authority maintained schools", "Special schools"]
OPEN_STATUSES = ["Open", "Open, but proposed to close"]


def crime_window(months: list[str], today: datetime.date) -> tuple[str, str]:
    """The model's months of crime ("YYYY-MM", inclusive), ending with the latest month up to today."""
    last = max((month for month in months if month <= f"{today:%Y-%m}"), default=f"{today:%Y-%m}")
    year, month = int(last[:4]), int(last[5:])
    first = (year * 12 + month - 1) - (CRIME_MONTHS - 1)
    return f"{first // 12:04d}-{first % 12 + 1:02d}", last


def points_in_hundredths(numerator: np.ndarray, denominator: int | np.ndarray, weight: Decimal) -> np.ndarray:
    """``numerator / denominator`` times ``weight`` in hundredths, rounded half away from zero, in
    integers. The project rounds the float's shortest decimal (``scoring.points``); the two agree
    for the default weights, whose percentiles at a half-hundredth are short decimals."""
    weight_numerator, weight_denominator = weight.as_integer_ratio()
    top = 100 * numerator * weight_numerator
    bottom = denominator * weight_denominator
    return np.sign(top) * ((2 * np.abs(top) + bottom) // (2 * bottom))


def main(crime_folder: Path, gias: Path, output: Path | None = None) -> None:
    started = time.perf_counter()
    paths = sorted(crime_folder.rglob("*-street.csv"))
    first_month, last_month = crime_window([path.name[:7] for path in paths], datetime.date.today())
    frames = []
    for path in paths:
        if not first_month <= path.name[:7] <= last_month:
            continue
        frame = pd.read_csv(path, usecols=COLUMNS, dtype={"Crime ID": "string", "LSOA code": "string"})
        frame = frame[frame["Month"] == path.name[:7]]  # the file's month only
        frame = frame[frame["Crime ID"].isna() | ~frame["Crime ID"].duplicated()]  # a repeated ID once
        frames.append(frame)
    crime = pd.concat(frames, ignore_index=True)
    crime = crime[crime["LSOA code"].notna()]
    # Weights in hundredths, as integers, as the project sums them: exact whatever the weights.
    hundredths = {key: int(Decimal(value) * 100) for key, value in DEFAULT_CRIME_TYPE_WEIGHTS.items()}
    crime["weight"] = crime["Crime type"].map(hundredths).fillna(0).astype("int64")
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
    schools = schools[schools["EstablishmentStatus (name)"].isin(OPEN_STATUSES)]
    schools = schools[schools["EstablishmentTypeGroup (name)"].isin(STATE_FUNDED_TYPE_GROUPS)].reset_index(drop=True)
    # A grid reference of 0 or none is no point (as the importer reads it): only the own LSOA counts.
    schools["e"] = pd.to_numeric(schools["Easting"]).replace(0, np.nan)
    schools["n"] = pd.to_numeric(schools["Northing"]).replace(0, np.nan)
    placed = schools.dropna(subset=["e", "n"])
    placed = placed.assign(cx=(placed["e"] // RADIUS).astype(int), cy=(placed["n"] // RADIUS).astype(int))
    near = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            shifted = placed[["URN", "e", "n", "cx", "cy"]].assign(cx=placed["cx"] + dx, cy=placed["cy"] + dy)
            pairs = shifted.merge(points, on=["cx", "cy"], suffixes=("", "_l"))
            near.append(pairs[(pairs["e"] - pairs["e_l"]) ** 2 + (pairs["n"] - pairs["n_l"]) ** 2 <= RADIUS**2])
    near = pd.concat(near)[["URN", "lsoa", "w"]]
    own = schools[["URN", "LSOA (code)"]].merge(lsoas["weighted"], left_on="LSOA (code)", right_index=True)
    own = own.rename(columns={"LSOA (code)": "lsoa", "weighted": "w"})
    exposure = pd.concat([near, own]).drop_duplicates(["URN", "lsoa"]).groupby("URN")["w"].sum()
    schools["exposure"] = schools["URN"].map(exposure).fillna(0.0)

    # A percentile is the share of the other schools strictly below: 100 * below / (n - 1).
    others = len(schools) - 1

    def below(values: pd.Series) -> np.ndarray:
        return np.searchsorted(np.sort(values.to_numpy()), values.to_numpy(), side="left").astype(np.int64)

    pupils = pd.to_numeric(schools["NumberOfPupils"]).fillna(0)
    # The importer keeps FSM % to one decimal place: tenths, as integers.
    fsm_tenths = (pd.to_numeric(schools["PercentageFSM"]).fillna(0) * 10).round().astype(np.int64).to_numpy()
    if others > 0:
        crime_points = points_in_hundredths(100 * below(schools["exposure"]), others, WEIGHTS["crime"])
        pupil_points = points_in_hundredths(100 * below(pupils), others, WEIGHTS["pupils"])
    else:
        crime_points = pupil_points = np.zeros(len(schools), dtype=np.int64)
    fsm_points = points_in_hundredths(fsm_tenths, 10, WEIGHTS["fsm"])
    # Advice and coverage: 0 on the 0-100 scale for every school, so 0 points whatever their weights.
    schools["total"] = crime_points + fsm_points + pupil_points
    schools["urn_length"] = schools["URN"].str.len()
    schools = schools.sort_values(["total", "urn_length", "URN"], ascending=[False, True, True])
    schools["rank"] = np.arange(1, len(schools) + 1)
    high, medium = math.ceil(len(schools) * 0.2), math.ceil(len(schools) * 0.5)
    schools["band"] = np.where(schools["rank"] <= high, "high", np.where(schools["rank"] <= medium, "medium", "low"))
    print(
        f"{len(crime):,} rows, {len(lsoas):,} LSOAs, {len(schools):,} schools scored "
        f"in {time.perf_counter() - started:.2f}s",
        flush=True,
    )
    if output is not None:
        # Hundredths written as a decimal with two places, in integers: no float on the way.
        totals = schools["total"].abs()
        sign = np.where(schools["total"] < 0, "-", "")
        frame = pd.DataFrame(
            {
                "URN": schools["URN"],
                "total": sign + (totals // 100).astype(str) + "." + (totals % 100).astype(str).str.zfill(2),
                "rank_in_bcu": schools["rank"],
                "band": schools["band"],
            }
        )
        frame.to_csv(output, index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]) if len(sys.argv) > 3 else None)
