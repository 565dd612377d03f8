#!/usr/bin/env python3
"""Read a ccsim results file into pandas and print the day summary and service level per interval.

usage: python3 analysis/read_results.py results/erlang_a_textbook.h5
Needs Debian's python3-h5py and python3-pandas.
"""
import sys

import h5py
import pandas as pd


def table(f, path):
    """A compound dataset as a DataFrame, with fixed-length strings decoded."""
    df = pd.DataFrame(f[path][()])
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].str.decode("utf-8")
    return df


def main(path):
    with h5py.File(path, "r") as f:
        print(f"{f.attrs['scenario_name']}: {f.attrs['replications']} replications, seed {f.attrs['seed']}, "
              f"format {f.attrs['format_version']}")
        print(f"estimator: {f.attrs['summary_estimator']}")
        day = table(f, "/summary/contacts_by_day")
        print(day[["contact_type", "measure", "estimator", "mean", "half_width", "erlang_a", "mean_of_days",
                   "half_width_of_days"]].to_string(index=False))
        per_interval = table(f, "/summary/contacts_by_interval")
        intervals = table(f, "/intervals")
        sl = per_interval[per_interval.measure == "service_level"].merge(
            intervals[["index", "label"]], left_on="interval", right_on="index")
        print(sl[["label", "contact_type", "mean", "ci_low", "ci_high", "erlang_a"]].head(8).to_string(index=False))
        raw = table(f, "/replications/contacts_by_day")
        assert (raw.offered == raw.answered + raw.abandoned).all()


if __name__ == "__main__":
    main(sys.argv[1])
