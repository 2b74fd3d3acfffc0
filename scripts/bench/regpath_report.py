#!/usr/bin/python3
"""Read what the benchmark needs from a regpath report.json.

usage: regpath_report.py report.json out.txt [alphas.txt]

out.txt gets "key value" lines: worst_gap_rel (max over the path of
path.dual_gap / path.null_objective), n_alphas, alpha_max, alpha_min, alpha_1se,
timing_total_s, not_converged (points marked not converged). With alphas.txt, the grid is
written there too, one alpha per line.
"""
import json
import sys


def main():
    report, out = sys.argv[1], sys.argv[2]
    with open(report) as f:
        r = json.load(f)
    fit = r["fits"][0]
    path, cv = fit["path"], fit["cv"]
    null = path["null_objective"]
    res = {
        "worst_gap_rel": f"{max(path['dual_gap']) / null:.6e}",
        "n_alphas": len(path["alphas"]),
        "alpha_max": f"{path['alphas'][0]:.10g}",
        "alpha_min": f"{cv['alpha_min']:.10g}",
        "alpha_1se": f"{cv['alpha_1se']:.10g}",
        "timing_total_s": f"{r.get('timing', {}).get('total_s', float('nan')):.4f}",
        "not_converged": sum(1 for c in path.get("converged", []) if not c),
    }
    with open(out, "w") as f:
        for k, v in res.items():
            f.write(f"{k} {v}\n")
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w") as f:
            f.writelines(f"{a!r}\n" for a in path["alphas"])


if __name__ == "__main__":
    main()
