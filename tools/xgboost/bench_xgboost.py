#!/usr/bin/python3
"""Times XGBoost's own C++ predictor for the evaluator benchmark (libs/xgboost-evaluator/bench).

Debian's XGBoost by default; with --xgboost3, the XGBoost 3.x python-package that $XGBOOST3_PYTHONPATH
names (exit status 3, with a message, when it is not set).

  bench_xgboost.py predict --models M1,M2 --rows R1,R2 --features F --threads 1,2 --out-dir DIR [--single] [--xgboost3]
    inplace_predict on every model x rows file x nthread: batch rows/s, median of 9 timed runs after two
    warm-up runs. With --single, also one-row inplace_predict p50/p99 in microseconds (nthread=1, first
    rows file). Writes the nthread=1 predictions of each model and rows file to
    DIR/<model>.<rows>.xgboost<version>-pred.f64 (little-endian float64, row-major).

  bench_xgboost.py contribs --model M --rows R --features F --count N --out FILE [--xgboost3]
    predict(pred_contribs=True) on the first N rows, nthread=1 (median of 3 after one warm-up; the DMatrix
    is built beforehand); writes the contributions to FILE as little-endian float64 in XGBoost's order.

Each prints one JSON object on stdout.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

RUNS = 9
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


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def time_batches(bst, rows):
    for _ in range(2):
        bst.inplace_predict(rows)
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter_ns()
        pred = bst.inplace_predict(rows)
        seconds.append((time.perf_counter_ns() - start) / 1e9)
    return statistics.median(seconds), pred


def time_single_rows(bst, rows):
    n = rows.shape[0]
    singles = [rows[i % n : i % n + 1] for i in range(SINGLE_CALLS)]
    for row in singles[:500]:
        bst.inplace_predict(row)
    micros = []
    for row in singles:
        start = time.perf_counter_ns()
        bst.inplace_predict(row)
        micros.append((time.perf_counter_ns() - start) / 1e3)
    micros.sort()
    return micros[len(micros) // 2], micros[int(len(micros) * 0.99)]


def predict(args):
    xgb = import_xgboost(args.xgboost3)
    tag = "3" if args.xgboost3 else ""
    threads = [int(t) for t in args.threads.split(",")]
    row_files = args.rows.split(",")
    results, single = [], []
    for model in args.models.split(","):
        bst = xgb.Booster(model_file=model)
        for row_file in row_files:
            rows = np.fromfile(row_file, dtype="<f4").reshape(-1, args.features)
            for nthread in threads:
                bst.set_param({"nthread": nthread})
                median_s, pred = time_batches(bst, rows)
                results.append({"model": model, "rows": row_file, "nthread": nthread,
                                "rows_per_s": rows.shape[0] / median_s, "batch_ms": median_s * 1e3})
                if nthread == 1:
                    out = os.path.join(args.out_dir, f"{stem(model)}.{stem(row_file)}.xgboost{tag}-pred.f64")
                    np.asarray(pred, dtype="<f8").tofile(out)
        if args.single:
            bst.set_param({"nthread": 1})
            rows = np.fromfile(row_files[0], dtype="<f4").reshape(-1, args.features)
            p50, p99 = time_single_rows(bst, rows)
            single.append({"model": model, "p50_us": p50, "p99_us": p99})
    print(json.dumps({"xgboost_version": xgb.__version__, "results": results, "single": single}))


def contribs(args):
    xgb = import_xgboost(args.xgboost3)
    bst = xgb.Booster(model_file=args.model)
    bst.set_param({"nthread": 1})
    rows = np.fromfile(args.rows, dtype="<f4").reshape(-1, args.features)[: args.count]
    dm = xgb.DMatrix(rows, missing=np.nan, nthread=1)
    bst.predict(dm, pred_contribs=True)
    seconds = []
    for _ in range(CONTRIBS_RUNS):
        start = time.perf_counter_ns()
        values = bst.predict(dm, pred_contribs=True)
        seconds.append((time.perf_counter_ns() - start) / 1e9)
    np.asarray(values, dtype="<f8").tofile(args.out)
    print(json.dumps({
        "xgboost_version": xgb.__version__,
        "rows": len(rows),
        "batch_ms": statistics.median(seconds) * 1e3,
        "rows_per_s": len(rows) / statistics.median(seconds),
    }))


def main():
    parser = argparse.ArgumentParser(description="Times XGBoost's C++ predictor for the evaluator benchmark.")
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("predict")
    p.add_argument("--models", required=True)
    p.add_argument("--rows", required=True)
    p.add_argument("--features", type=int, required=True)
    p.add_argument("--threads", default="1")
    p.add_argument("--out-dir", required=True)
    p.add_argument("--single", action="store_true")
    p.add_argument("--xgboost3", action="store_true")
    c = commands.add_parser("contribs")
    c.add_argument("--model", required=True)
    c.add_argument("--rows", required=True)
    c.add_argument("--features", type=int, required=True)
    c.add_argument("--count", type=int, required=True)
    c.add_argument("--out", required=True)
    c.add_argument("--xgboost3", action="store_true")
    args = parser.parse_args()
    (predict if args.command == "predict" else contribs)(args)


if __name__ == "__main__":
    main()
