#!/usr/bin/python3
"""The largest relative difference |a - b| / max(1, |a|) between any two numbers of two
regpath reports, walked together (every string, boolean and null must be equal, every array
of the same length), as tests/check_mpi.c and tests/check_stream.c compare them.

usage: report_diff.py [--any-names] A/report.json B/report.json [KEY ...]
The members named config and timing, and any KEY given, are left out wherever they are.
With --any-names the two reports may name their features and files differently (a CSV
file and its svmlight copy): strings are not compared, and objects whose members are
named differently are walked in order.
"""
import json
import sys

args = sys.argv[1:]
any_names = args[:1] == ["--any-names"]
args = args[1:] if any_names else args
a, b = (json.load(open(f)) for f in args[:2])
skip = {"config", "timing", *args[2:]}


def walk(x, y):
    if isinstance(x, dict) and any_names and list(x) != list(y):
        assert len(x) == len(y), (list(x), list(y))
        return max([walk(u, v) for (k, u), v in zip(x.items(), y.values()) if k not in skip] or [0])
    if isinstance(x, dict):
        return max([walk(v, y[k]) for k, v in x.items() if k not in skip] or [0])
    if isinstance(x, list):
        assert len(x) == len(y), (len(x), len(y))
        return max([walk(u, v) for u, v in zip(x, y)] or [0])
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return abs(x - y) / max(1.0, abs(x))
    assert x == y or (any_names and isinstance(x, str)), (x, y)
    return 0


print("%.1e" % walk(a, b))
