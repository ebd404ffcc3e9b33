#!/usr/bin/python3
"""The Python reference for `deploy-model rescore`: pandas reads a leads CSV, XGBoost scores it on every core,
pandas writes lead_id, score and the class probabilities as CSV. Prints one JSON line of timings.

    /usr/bin/python3 tools/rescore/reference_rescore.py --model models/demo --input leads.csv --output scores.csv [--xgboost3]

--xgboost3 imports XGBoost 3.x from $XGBOOST3_PYTHONPATH (the python-package folder of a 3.x build) instead
of Debian's 1.7.4. The score is the bundle's mapping for multi-class models (class k is score k + 1) or its
thresholds for single-output ones, so the file holds what `rescore` writes, minus reason codes.
"""
import argparse
import json
import os
import sys
import time

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__


def import_xgboost(three):
    if not three:
        import xgboost
        return xgboost
    path = os.environ.get("XGBOOST3_PYTHONPATH")
    if not path:
        sys.exit("reference_rescore.py --xgboost3: XGBOOST3_PYTHONPATH is not set (the python-package folder of an XGBoost 3.x build)")
    sys.path.insert(0, os.path.abspath(path))
    import xgboost
    if not xgboost.__version__.startswith("3."):
        sys.exit(f"reference_rescore.py --xgboost3: XGBOOST3_PYTHONPATH holds XGBoost {xgboost.__version__}, not 3.x")
    return xgboost


def scores_of(pred, mapping, np):
    if pred.ndim == 2:
        if mapping["type"] == "class_plus_one":
            return pred.argmax(axis=1) + 1
        return np.asarray(mapping["scores"])[pred.argmax(axis=1)]
    return 1 + np.searchsorted(np.asarray(mapping["thresholds"]), pred, side="right")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="bundle folder (xgboost-model + manifest.json)")
    parser.add_argument("--input", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--id-column", default="lead_id")
    parser.add_argument("--xgboost3", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    xgb = import_xgboost(args.xgboost3)
    import numpy as np
    import pandas as pd
    with open(os.path.join(args.model, "manifest.json"), encoding="utf8") as f:
        manifest = json.load(f)
    names = [spec["name"] for spec in manifest["features"]]
    with open(os.path.join(args.model, "xgboost-model"), "rb") as f:
        booster = xgb.Booster()
        booster.load_model(bytearray(f.read()))  # bytes: the file name has no .json extension to go by
    booster.set_param({"nthread": os.cpu_count()})
    t1 = time.perf_counter()
    frame = pd.read_csv(args.input, dtype={args.id_column: str})
    t2 = time.perf_counter()
    x = frame[names].to_numpy(dtype=np.float32)
    pred = booster.inplace_predict(x)
    t3 = time.perf_counter()
    out = pd.DataFrame({args.id_column: frame[args.id_column], "score": scores_of(pred, manifest["score_mapping"], np)})
    if pred.ndim == 2:
        for k in range(pred.shape[1]):
            out[f"probability_{k}"] = pred[:, k]
    else:
        out["prediction"] = pred
    out.to_csv(args.output, index=False)
    t4 = time.perf_counter()
    print(json.dumps({
        "xgboost": xgb.__version__, "rows": len(frame), "threads": os.cpu_count(),
        "load_s": round(t1 - t0, 3), "read_s": round(t2 - t1, 3), "predict_s": round(t3 - t2, 3),
        "write_s": round(t4 - t3, 3), "total_s": round(t4 - t0, 3),
    }))


if __name__ == "__main__":
    main()
