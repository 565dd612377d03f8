#!/usr/bin/env python3
"""Tests analysis/read_results.py on files the test suite writes (ctest python_read_results_api):
    test_read_results.py RESULTS.h5 STAFFING.h5
RESULTS.h5 from `ccsim run` with several policies and --records contacts,agents; STAFFING.h5 from
`ccsim staff -o`. Exits non-zero with a message on the first relation that fails."""
import os
import sys

import h5py

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "analysis"))
import read_results as rr  # noqa: E402


def check(ok, what):
    if not ok:
        sys.exit(f"FAILED: {what}")


def main(results, staffing):
    with h5py.File(results, "r") as f:
        policy_names = [n.decode() for n in f["/policies"]["name"]]
        type_names = {n.decode() for n in f["/contact_types"]["name"]}
        group_names = {n.decode() for n in f["/agent_groups"]["name"]}
    check(len(policy_names) > 1, "the test file has several policies")
    frames = {"intervals": rr.intervals(results), "days": rr.days(results),
              "per_day": rr.days(results, per_day=True), "agents by interval": rr.intervals(results, "agents"),
              "replications": rr.replications(results), "replications by day": rr.replications(results, by="day"),
              "records": rr.records(results), "agent records": rr.records(results, "agents")}
    for name, df in frames.items():
        check(len(df) > 0, f"{name}: rows")
        check({"policy", "point"} <= set(df.columns), f"{name}: policy and point columns")
        check(set(df.policy) == set(policy_names), f"{name}: policy names decoded ({set(df.policy)})")
        check((df.point == 0).all(), f"{name}: point 0 in a plain run")
    check(frames["intervals"].label.notna().all(), "intervals carry their labels")
    check(set(frames["days"].contact_type) <= type_names | {"all"}, "contact types decoded")
    calls, agents = frames["records"], frames["agent records"]
    check(set(calls.contact_type) <= type_names, "record contact types decoded")
    check(set(calls.group.dropna()) <= group_names, "record groups decoded")
    check(set(calls.outcome.astype(str)) <= {"answered", "abandoned", "balked", "blocked", "unserved",
                                             "transferred", "no_show", "callback_accepted",
                                             "callback_completed", "callback_not_reached",
                                             "callback_unserved"},
          "outcomes decoded")
    check(set(agents["to"].astype(str)) <= {"off", "idle", "busy", "wrap", "on_break", "shrinkage",
                                            "interrupted"}, "agent states decoded")
    # Counts by outcome and the ASA from the records equal the replication tables (the records' replications).
    reps = frames["replications"]
    reps = reps[reps.contact_type.isin(type_names)]
    keys = ["policy", "replication", "contact_type"]
    table = reps.groupby(keys)[["offered", "answered", "abandoned", "wait_answered_s"]].sum()
    served = calls[calls.outcome.isin(["answered", "transferred"])]
    got = served.groupby(keys).agg(answered=("wait_s", "size"), wait_answered_s=("wait_s", "sum"))
    left = calls[calls.outcome.isin(["abandoned", "balked"])].groupby(keys).size()
    offered = calls[calls.outcome != "no_show"].groupby(keys).size()
    for key, row in got.iterrows():
        t = table.loc[key]
        check(row.answered == t.answered, f"{key}: answered {row.answered} records, {t.answered} in the table")
        check(abs(row.wait_answered_s - t.wait_answered_s) <= 1e-6 * (1 + t.wait_answered_s),
              f"{key}: the mean wait of answered records is the ASA")
        check(offered.get(key, 0) == t.offered and left.get(key, 0) == t.abandoned, f"{key}: offered, abandoned")
    # A staffing file reads too.
    by_interval, achieved = rr.staffing(staffing), rr.staffing(staffing, "achieved")
    check({"label", "group", "required", "available"} <= set(by_interval.columns), "staffing by interval")
    check(len(achieved) > 0, "staffing achieved")
    check(list(rr.points(results)["index"]) == [0], "a plain run is one point")
    print("read_results.py: all relations hold")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
