#!/usr/bin/python3
"""Times XGBoost's own C++ predictor (nthread=1, inplace_predict) for the evaluator benchmark.

Usage: /usr/bin/python3 tools/xgboost/bench_xgboost.py MODEL ROWS_F32 N_FEATURES PRED_OUT
Prints one JSON object to stdout: batch rows/s (median of 7 after warm-up) and single-row
inplace_predict p50/p99 in microseconds; writes XGBoost's predictions on all rows to PRED_OUT as
little-endian float64 (row-major), so the benchmark can compare them with ours.
"""
import json
import statistics
import sys
import time

import numpy as np
import xgboost as xgb

RUNS = 7
SINGLE_CALLS = 5_000


def main():
    model_path, rows_path, n_features, pred_out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    bst = xgb.Booster(model_file=model_path)
    bst.set_param({"nthread": 1})
    rows = np.fromfile(rows_path, dtype="<f4").reshape(-1, n_features)
    n = rows.shape[0]

    for _ in range(2):
        bst.inplace_predict(rows)
    batch_s = []
    for _ in range(RUNS):
        start = time.perf_counter_ns()
        pred = bst.inplace_predict(rows)
        batch_s.append((time.perf_counter_ns() - start) / 1e9)
    np.asarray(pred, dtype="<f8").tofile(pred_out)

    singles = [rows[i % n : i % n + 1] for i in range(SINGLE_CALLS)]
    for row in singles[:500]:
        bst.inplace_predict(row)
    single_us = []
    for row in singles:
        start = time.perf_counter_ns()
        bst.inplace_predict(row)
        single_us.append((time.perf_counter_ns() - start) / 1e3)
    single_us.sort()

    print(json.dumps({
        "xgboost_version": xgb.__version__,
        "rows": n,
        "batch_ms": statistics.median(batch_s) * 1e3,
        "rows_per_s": n / statistics.median(batch_s),
        "single_p50_us": single_us[len(single_us) // 2],
        "single_p99_us": single_us[int(len(single_us) * 0.99)],
    }))


if __name__ == "__main__":
    main()
