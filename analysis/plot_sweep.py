#!/usr/bin/env python3
"""Plot a day measure across the points of a sweep, one line per policy, with 95% intervals.

usage: python3 analysis/plot_sweep.py RESULTS.h5 [sweep.png] [--measure service_level]
The x axis is the swept value when the sweep has one axis (the first axis, one line per value of the
second, when it has two), else the point's index; a file without a sweep is one point. Measures are the
names of the /measures table (service_level, asa, abandon_rate, mean_wait, ...), of the pooled series.
Needs Debian's python3-h5py, python3-pandas and python3-matplotlib.
"""
import argparse

import h5py
import matplotlib

matplotlib.use("Agg")  # files, no display
import matplotlib.pyplot as plt

import read_results as rr  # beside this script


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("out", nargs="?", default="sweep.png")
    parser.add_argument("--measure", default="service_level")
    args = parser.parse_args()
    day = rr.days(args.results)
    day = day[day.measure == args.measure]
    if day.empty:
        raise SystemExit(f"{args.results}: no day measure '{args.measure}'")
    pooled = "all" if (day.contact_type == "all").any() else day.contact_type.iloc[0]
    day = day[day.contact_type == pooled]
    points = rr.points(args.results)
    axes = [c for c in points.columns if c != "index"]
    day = day.merge(points, left_on="point", right_on="index", how="left")
    x = axes[0] if axes else "point"
    lines = ["policy"] + axes[1:2]
    with h5py.File(args.results, "r") as f:
        title = f.attrs["scenario_name"]
    fig, ax = plt.subplots(figsize=(8, 5))
    for key, rows in day.groupby(lines if len(lines) > 1 else lines[0], sort=False):
        rows = rows.sort_values(x)
        label = " / ".join(str(k) for k in (key if isinstance(key, tuple) else (key,)))
        ax.errorbar(rows[x], rows["mean"], yerr=rows["half_width"], marker="o", capsize=3, label=label)
    ax.set_xlabel(x)
    ax.set_ylabel(f"{args.measure} ({pooled}, day, ratio of totals)")
    ax.set_title(f"{title}: {args.measure} by point (mean, 95% CI)", fontsize="medium")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    print(f"{args.out}: {args.measure} at {len(points)} point(s), {day.policy.nunique()} policies")


if __name__ == "__main__":
    main()
