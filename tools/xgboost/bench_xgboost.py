#!/usr/bin/python3
"""Times XGBoost's own C++ predictor (nthread=1) for the evaluator benchmark.

Usage: /usr/bin/python3 tools/xgboost/bench_xgboost.py MODEL ROWS_F32 N_FEATURES PRED_OUT
Prints one JSON object to stdout: batch rows/s (median of 7 after warm-up) and single-row
inplace_predict p50/p99 in microseconds; writes XGBoost's predictions on all rows to PRED_OUT as
little-endian float64 (row-major), so the benchmark can compare them with ours.

Usage: /usr/bin/python3 tools/xgboost/bench_xgboost.py contribs MODEL ROWS_F32 N_FEATURES N_ROWS OUT [--xgboost3]
Times predict(pred_contribs=True) on the first N_ROWS rows (median of 3 after one warm-up; the DMatrix is
built beforehand) and writes the contributions to OUT as little-endian float64 in XGBoost's order. With
--xgboost3, imports XGBoost 3.x from $XGBOOST3_PYTHONPATH (exit status 3 when it is not set).
"""
import json
import os
import statistics
import sys
import time

import numpy as np

RUNS = 7
CONTRIBS_RUNS = 3
SINGLE_CALLS = 5_000
XGBOOST3_ENV = "XGBOOST3_PYTHONPATH"


def import_xgboost(xgboost3):
    """Debian's xgboost, or with xgboost3 the 3.x python-package that $XGBOOST3_PYTHONPATH names."""
    if xgboost3:
        path = os.environ.get(XGBOOST3_ENV)
        if not path:
            print(f"{XGBOOST3_ENV} is not set", file=sys.stderr)
            sys.exit(3)
        sys.path.insert(0, os.path.abspath(path))
    import xgboost

    if xgboost3 and not xgboost.__version__.startswith("3."):
        sys.exit(f"{XGBOOST3_ENV}={path} is XGBoost {xgboost.__version__}, not 3.x")
    return xgboost


def contribs(argv):
    xgb = import_xgboost("--xgboost3" in argv)
    model_path, rows_path, n_features, n_rows, out = argv[0], argv[1], int(argv[2]), int(argv[3]), argv[4]
    bst = xgb.Booster(model_file=model_path)
    bst.set_param({"nthread": 1})
    rows = np.fromfile(rows_path, dtype="<f4").reshape(-1, n_features)[:n_rows]
    dm = xgb.DMatrix(rows, missing=np.nan, nthread=1)
    bst.predict(dm, pred_contribs=True)
    times = []
    for _ in range(CONTRIBS_RUNS):
        start = time.perf_counter_ns()
        values = bst.predict(dm, pred_contribs=True)
        times.append((time.perf_counter_ns() - start) / 1e9)
    np.asarray(values, dtype="<f8").tofile(out)
    print(json.dumps({
        "xgboost_version": xgb.__version__,
        "rows": len(rows),
        "batch_ms": statistics.median(times) * 1e3,
        "rows_per_s": len(rows) / statistics.median(times),
    }))


def main():
    if sys.argv[1:2] == ["contribs"]:
        contribs(sys.argv[2:])
        return
    xgb = import_xgboost(False)
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
