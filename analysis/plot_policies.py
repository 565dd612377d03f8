#!/usr/bin/env python3
"""Plot the service level per interval of every policy in a ccsim results file, with 95% intervals.

usage: python3 analysis/plot_policies.py results/home_work_line.h5 [sl_per_interval.png]
Needs Debian's python3-h5py, python3-pandas and python3-matplotlib.
"""
import sys

import h5py
import matplotlib

matplotlib.use("Agg")  # files, no display
import matplotlib.pyplot as plt

from read_results import table  # beside this script: compound tables as DataFrames, names decoded


def main(path, out):
    with h5py.File(path, "r") as f:
        policies = table(f, "/policies").set_index("index")["name"]
        intervals = table(f, "/intervals").set_index("index")["label"]
        summary = table(f, "/summary/contacts_by_interval")
        tau = f.attrs["service_level_tau_s"]
        title = f.attrs["scenario_name"]
    sl = summary[summary.measure == "service_level"]
    # The pooled series: "all" when there are several contact types.
    pooled = "all" if (sl.contact_type == "all").any() else sl.contact_type.iloc[0]
    sl = sl[sl.contact_type == pooled]
    fig, ax = plt.subplots(figsize=(10, 5))
    for name in policies:
        rows = sl[sl.policy == name].sort_values("interval")  # table() decodes policy indices to names
        x = rows.interval.to_numpy()
        ax.plot(x, 100 * rows["mean"], marker="o", label=name)
        ax.fill_between(x, 100 * rows.ci_low, 100 * rows.ci_high, alpha=0.2)
    ticks = list(intervals.index)
    ax.set_xticks(ticks[:: max(1, len(ticks) // 12)])
    ax.set_xticklabels(intervals.iloc[:: max(1, len(ticks) // 12)], rotation=45)
    ax.set_xlabel("interval start")
    ax.set_ylabel(f"service level: answered within {tau:.0f} s (% of offered)")
    ax.set_ylim(0, 100)
    ax.set_title(f"{title}: service level per interval (mean, 95% CI)")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    print(f"{out}: {len(policies)} policies x {len(intervals)} intervals")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "sl_per_interval.png")
