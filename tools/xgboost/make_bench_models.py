#!/usr/bin/python3
"""Trains the evaluator benchmark's two models with real XGBoost (not committed; cached).

Run from the workspace root:  /usr/bin/python3 tools/xgboost/make_bench_models.py [--force]
Writes tmp/bench-models/:
  m1.json, m1.ubj  the seed project's hyper-parameters: multi:softprob, 5 classes, 20 rounds,
                   max_depth 6, eta 0.2, gamma 4, min_child_weight 6, subsample 0.8 (100 trees)
  m2.json, m2.ubj  binary:logistic, 500 rounds, max_depth 8
  rows.f32         10,000 x 50 little-endian float32 test rows, ~5% NaN (contributions)
  rows-dense.f32   10,000 x 50 rows without missing values (batch throughput)
  rows-missing.f32 10,000 x 50 rows, ~10% NaN (batch throughput)
Files already present are kept unless --force is given.
"""
import os
import sys

import numpy as np
import xgboost as xgb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_data import features, labels  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tmp", "bench-models")
N_FEATURES = 50
N_TRAIN = 20_000
N_TEST = 10_000

MODELS = {
    "m1": ({"objective": "multi:softprob", "num_class": 5, "max_depth": 6, "eta": 0.2, "gamma": 4,
            "min_child_weight": 6, "subsample": 0.8}, 20),
    "m2": ({"objective": "binary:logistic", "max_depth": 8, "eta": 0.1}, 500),
}

# (file, seed, share of missing values)
ROW_SETS = [("rows.f32", 7, 0.05), ("rows-dense.f32", 8, 0.0), ("rows-missing.f32", 9, 0.10)]


def main():
    force = "--force" in sys.argv[1:]
    os.makedirs(OUT, exist_ok=True)
    for name, (params, rounds) in MODELS.items():
        paths = [os.path.join(OUT, f"{name}.{ext}") for ext in ("json", "ubj")]
        if not force and all(os.path.exists(p) for p in paths):
            print(f"{name}: cached in {os.path.relpath(OUT, ROOT)}")
            continue
        rng = np.random.default_rng(2024 if name == "m1" else 2025)
        x = features(rng, N_TRAIN, N_FEATURES, missing_rate=0.05)
        y = labels(rng, x, params["objective"], params.get("num_class", 0))
        # hist: the exact method takes >10 min for M2 on a busy 2-core machine; the trees are alike.
        bst = xgb.train({**params, "nthread": 2, "seed": 7, "tree_method": "hist"}, xgb.DMatrix(x, y, missing=np.nan), rounds)
        bst.save_model(paths[0])
        bst.save_model(paths[1])
        trees = len(bst.get_dump())
        print(f"{name}: trained {params['objective']} with {trees} trees -> {os.path.relpath(paths[0], ROOT)}")
    for file, seed, missing_rate in ROW_SETS:
        rows_path = os.path.join(OUT, file)
        if force or not os.path.exists(rows_path):
            rows = features(np.random.default_rng(seed), N_TEST, N_FEATURES, missing_rate=missing_rate)
            rows.astype("<f4").tofile(rows_path)
            print(f"rows: {N_TEST} x {N_FEATURES} float32, {missing_rate:.0%} missing -> {os.path.relpath(rows_path, ROOT)}")


if __name__ == "__main__":
    main()
