#!/usr/bin/python3
"""Writes N synthetic open leads of the demo model as CSV: a lead_id column, then the 50 features.

Used by the rescore benchmark (apps/deploy-model/bench/rescore.ts) and runnable alone:
    /usr/bin/python3 tools/rescore/make_leads.py --rows 1000000 --out tmp/rescore/leads-1m.csv
The leads come from the demo model's own generator (tools/demo-model/synth_leads.py), clipped into the
published ranges; an empty field is a missing value. Same seed, same bytes.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools", "demo-model"))
import synth_leads  # noqa: E402

BLOCK = 100_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--manifest", default=os.path.join(ROOT, "models", "demo", "manifest.json"))
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    with open(args.manifest, encoding="utf8") as f:
        features = json.load(f)["features"]
    names = [spec["name"] for spec in features]
    integer = [bool(spec["integer"]) for spec in features]
    rng = np.random.default_rng(args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf8", newline="\n") as out:
        out.write("lead_id," + ",".join(names) + "\n")
        for start in range(0, args.rows, BLOCK):
            n = min(BLOCK, args.rows - start)
            x = synth_leads.to_matrix(synth_leads.generate(n, rng), features)
            cols = []
            for j in range(len(names)):
                v = x[:, j]
                text = np.where(np.isnan(v), "", np.char.mod("%d" if integer[j] else "%.6g", np.nan_to_num(v)))
                cols.append(text)
            ids = np.char.mod("crm-%08d", np.arange(start, start + n))
            lines = np.char.add(ids, "")
            for c in cols:
                lines = np.char.add(np.char.add(lines, ","), c)
            out.write("\n".join(lines.tolist()) + "\n")
    os.replace(tmp, args.out)
    print(json.dumps({"out": args.out, "rows": args.rows, "features": len(names)}))


if __name__ == "__main__":
    main()
