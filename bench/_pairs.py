"""Interleaved project/baseline pairs for the in-process SQLite benchmarks: timing, the check that
both computed the same result, and the min / median / max summary.

Not a benchmark itself (``make bench`` runs ``bench_*.py`` only); imported by the benchmarks beside
it, which put this folder on ``sys.path``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MIN_PAIRS = 3


def pairs_argument(description: str) -> int:
    """The number of pairs asked for on the command line (``--pairs``, default and minimum 3)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--pairs", type=int, default=MIN_PAIRS, help=f"interleaved pairs (at least {MIN_PAIRS})")
    pairs = parser.parse_args().pairs
    check_pairs(parser, pairs)
    return pairs


def check_pairs(parser: argparse.ArgumentParser, pairs: int) -> None:
    """Refuse fewer than ``MIN_PAIRS`` pairs: min, median and max need three."""
    if pairs < MIN_PAIRS:
        parser.error(f"--pairs must be at least {MIN_PAIRS}: fewer cannot show the spread of a figure")


def load_averages_text() -> str:
    """The 1-, 5- and 15-minute load averages, as the benchmarks print them when they start."""
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def load_average() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def spread(values: list[float], digits: int = 3) -> str:
    """min / median / max of ``values``."""
    ordered = sorted(values)
    return f"{ordered[0]:.{digits}f} / {statistics.median(ordered):.{digits}f} / {ordered[-1]:.{digits}f}"


@dataclass
class Pairs:
    """The figures of one project step and its baseline, pair by pair."""

    name: str
    project: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        return [p / b for p, b in zip(self.project, self.baseline, strict=True)]

    def median_project(self) -> float:
        return statistics.median(self.project)

    def median_ratio(self) -> float:
        return statistics.median(self.ratios)

    def summary(self) -> list[str]:
        return [
            f"{self.name}, min / median / max of {len(self.project)} pairs:",
            f"  project          {spread(self.project)} s",
            f"  baseline         {spread(self.baseline)} s",
            f"  ratio p/b        {spread(self.ratios, 2)}",
            f"  load (1 min)     {spread(self.loads, 1)}",
        ]


@dataclass
class Run:
    seconds: float
    queries: int
    result: Any


def timed(step: Callable[[], Any]) -> Run:
    """Run ``step`` once: its time, the queries it ran and its result."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    return Run(seconds, len(queries), result)


def queries(count: int) -> str:
    return f"{count} query" if count == 1 else f"{count} queries"


def run_pairs(
    name: str,
    pairs: int,
    project: Callable[[], Any],
    baseline: Callable[[], Any],
    comparable: Callable[[Any], Any],
) -> tuple[Pairs, Run, Run]:
    """Time ``project`` then ``baseline``, ``pairs`` times, after one untimed run of each (so neither
    pays alone for a cold cache). ``comparable`` turns the project's result into the baseline's
    form; every run of both must agree. Returns the figures and the last run of each."""
    figures = Pairs(name)
    same_or_exit(name, comparable(project()), baseline())
    for pair in range(1, pairs + 1):
        ours = timed(project)
        theirs = timed(baseline)
        same_or_exit(name, comparable(ours.result), theirs.result)
        figures.project.append(ours.seconds)
        figures.baseline.append(theirs.seconds)
        figures.loads.append(load_average())
        print(
            f"pair {pair}: {name}: project {ours.seconds:.3f} s ({queries(ours.queries)}), "
            f"baseline {theirs.seconds:.3f} s ({queries(theirs.queries)}), "
            f"ratio {ours.seconds / theirs.seconds:.2f}, load {figures.loads[-1]:.1f}",
            flush=True,
        )
    return figures, ours, theirs


def same_or_exit(name: str, project: Any, baseline: Any) -> None:
    """Stop the benchmark, non-zero, when the baseline did not compute what the project did: a
    faster wrong answer measures nothing."""
    if project == baseline:
        return
    if isinstance(project, list) and isinstance(baseline, list):
        if len(project) != len(baseline):
            detail = f"{len(project)} rows from the project, {len(baseline)} from the baseline"
        else:
            index = next(i for i, (p, b) in enumerate(zip(project, baseline, strict=True)) if p != b)
            detail = f"first difference at row {index}:\n  project  {project[index]!r}\n  baseline {baseline[index]!r}"
    else:
        detail = f"project {project!r}, baseline {baseline!r}"
    sys.exit(f"ERROR: {name}: the baseline's result differs from the project's; {detail}")


def verdict(description: str, figure: str, met: bool) -> str:
    return f"{description}: {figure}: {'met' if met else 'MISSED'}"
