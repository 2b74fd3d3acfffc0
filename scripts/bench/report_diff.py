#!/usr/bin/python3
"""The largest relative difference |a - b| / max(1, |a|) between any two numbers of two
regpath reports, walked together (every string, boolean and null must be equal, every array
of the same length), as tests/check_mpi.c and tests/check_stream.c compare them.

usage: report_diff.py A/report.json B/report.json [KEY ...]
The members named config and timing, and any KEY given, are left out wherever they are.
"""
import json
import sys

a, b = (json.load(open(f)) for f in sys.argv[1:3])
skip = {"config", "timing", *sys.argv[3:]}


def walk(x, y):
    if isinstance(x, dict):
        return max([walk(v, y[k]) for k, v in x.items() if k not in skip] or [0])
    if isinstance(x, list):
        assert len(x) == len(y), (len(x), len(y))
        return max([walk(u, v) for u, v in zip(x, y)] or [0])
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return abs(x - y) / max(1.0, abs(x))
    assert x == y, (x, y)
    return 0


print("%.1e" % walk(a, b))
