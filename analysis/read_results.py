#!/usr/bin/env python3
"""Read a ccsim results file into tidy pandas DataFrames.

As a library (Debian's python3-h5py and python3-pandas):

    import sys; sys.path.insert(0, "analysis")
    import read_results as rr
    day = rr.days("results/erlang_a_textbook.h5")            # the day summary, one row per measure
    sl = rr.intervals("results/erlang_a_textbook.h5")         # per interval, with its label
    calls = rr.records("results.h5")                          # after ccsim run --records contacts

Every table comes back with `policy` (the policy's name) and `point` (the sweep point's index; 0 in a plain
run) columns; indices of contact types and agent groups are replaced by their names and HDF5 enums
(outcome, channel, agent states) by theirs, as `ccsim export --csv` writes them.

As a script it prints the day summary and the service level of the first intervals:
    python3 analysis/read_results.py results/erlang_a_textbook.h5
"""
import sys

import h5py
import pandas as pd

# Integer columns that index a name table, and the table.
_INDEXED = {"policy": "/policies", "contact_type": "/contact_types", "transfer_to": "/contact_types",
            "group": "/agent_groups"}


def _names(f, path):
    if path not in f:
        return None
    rows = f[path][()]
    return {int(i): n.decode("utf-8") for i, n in zip(rows["index"], rows["name"])}


def table(f, path):
    """Any compound table of an open h5py.File as a DataFrame, names and enums decoded, with policy and
    point columns."""
    ds = f[path]
    df = pd.DataFrame(ds[()])
    for col in df.columns:
        kind = ds.dtype[col]
        enum = h5py.check_enum_dtype(kind)
        if enum is not None:
            df[col] = df[col].map({v: k for k, v in enum.items()}).astype("category")
        elif df[col].dtype == object:
            df[col] = df[col].str.decode("utf-8")
        elif col in _INDEXED and kind.kind in "iu" and path not in ("/policies", "/contact_types", "/agent_groups"):
            names = _names(f, _INDEXED[col])
            if names is not None:
                df[col] = df[col].map(lambda i, names=names: names.get(int(i)) if i >= 0 else None)
    if "point" not in df.columns and "policy" in df.columns:
        df.insert(df.columns.get_loc("policy") + 1, "point", 0)
    return df


def _read(path, name):
    with h5py.File(path, "r") as f:
        if name not in f:
            raise KeyError(f"{path} has no table {name}")
        return table(f, name)


def _with_intervals(path, df):
    labels = _read(path, "/intervals")[["index", "day", "label", "start_s", "warmup"]]
    return df.merge(labels.rename(columns={"index": "interval"}), on="interval", how="left")


def intervals(path, subject="contacts"):
    """The summary per interval (subject: contacts or agents), with each interval's day, label and start."""
    return _with_intervals(path, _read(path, f"/summary/{subject}_by_interval"))


def days(path, subject="contacts", per_day=False):
    """The summary of the whole run (all days after warm-up), or per day with per_day=True."""
    return _read(path, f"/summary/{subject}_{'per_day' if per_day else 'by_day'}")


def replications(path, subject="contacts", by="interval"):
    """One row per replication and cell: by 'interval', 'day' (the whole run) or 'per_day'."""
    df = _read(path, f"/replications/{subject}_{'per_day' if by == 'per_day' else 'by_' + by}")
    return _with_intervals(path, df) if by == "interval" else df


def records(path, kind="contacts"):
    """Per-contact records (kind='contacts') or agent state changes (kind='agents'), from run --records."""
    return _read(path, f"/records/{kind}")


def staffing(path, table_name="by_interval"):
    """A staffing file's (ccsim staff -o) table: 'by_interval' or 'achieved'."""
    return _read(path, f"/staffing/{table_name}")


def points(path):
    """The sweep's points (index and one column per swept path); a plain run is one point, index 0."""
    with h5py.File(path, "r") as f:
        if "/points" in f:
            return table(f, "/points")
    return pd.DataFrame({"index": [0]})


def policies(path):
    return _read(path, "/policies")


def main(path):
    with h5py.File(path, "r") as f:
        print(f"{f.attrs['scenario_name']}: {f.attrs['replications']} replications, seed {f.attrs['seed']}, "
              f"format {f.attrs['format_version']}")
        print(f"estimator: {f.attrs['summary_estimator']}")
    day = days(path)
    print(day[["policy", "point", "contact_type", "measure", "estimator", "mean", "half_width", "erlang_a",
               "mean_of_days", "half_width_of_days"]].to_string(index=False))
    per_interval = intervals(path)
    sl = per_interval[per_interval.measure == "service_level"]
    print(sl[["policy", "label", "contact_type", "mean", "ci_low", "ci_high", "erlang_a"]].head(8)
          .to_string(index=False))
    raw = replications(path, by="day")
    assert (raw.offered == raw.answered + raw.abandoned + raw.unserved).all()


if __name__ == "__main__":
    main(sys.argv[1])
