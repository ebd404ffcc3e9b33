#!/usr/bin/python3
"""Trains the two "bring your own model" examples and writes models/examples/<name>/.

Run from the repository root (see tools/example-models/README.md):
    /usr/bin/python3 tools/example-models/train_examples.py
Each folder gets the model file (XGBoost's save_model, feature names kept), sample.csv (1,000
training rows, header = feature names, empty field = missing) and expected.json (XGBoost's own
predictions, margins and contributions for the first 64 sample rows). Deterministic (fixed
seeds, nthread=1) and idempotent: every run writes the same bytes. The script reloads what it
wrote and exits non-zero unless XGBoost reproduces expected.json from sample.csv exactly.
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import xgboost as xgb

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import example_data  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "models", "examples")
XGBOOST_VERSION = "1.7.4"
SAMPLE_ROWS = 1000
EXPECTED_ROWS = 64
COMMON = {"tree_method": "hist", "nthread": 1}

EXAMPLES = [
    {
        "name": "fit-12", "model_file": "model.json", "data": example_data.fit12, "rows": 8000, "seed": 12,
        "rounds": 60,
        "params": {"objective": "binary:logistic", "max_depth": 4, "eta": 0.1, "min_child_weight": 5,
                   "subsample": 0.8, "eval_metric": "logloss", "seed": 12},
    },
    {
        "name": "intent-80", "model_file": "model.ubj", "data": example_data.intent80, "rows": 12000, "seed": 80,
        "rounds": 30,
        "params": {"objective": "multi:softprob", "num_class": 5, "max_depth": 4, "eta": 0.3,
                   "min_child_weight": 5, "subsample": 0.8, "colsample_bytree": 0.8, "eval_metric": "mlogloss",
                   "seed": 80},
    },
]


def cell(value):
    """A sample value as one Python scalar: None = missing, int when whole, else the float itself.

    The training floats carry at most 4 decimals, so repr() (the shortest round-trip text, also
    what json writes) parses back to the same float64, and from there to the float32 XGBoost used.
    """
    if np.isnan(value):
        return None
    if float(value).is_integer():
        return int(value)
    return float(value)


def sample_rows(frame):
    return [[cell(v) for v in row] for row in frame.to_numpy(dtype=np.float64)]


def write_sample(path, names, rows):
    with open(path, "w", newline="\n") as fh:
        fh.write(",".join(names) + "\n")
        for row in rows:
            fh.write(",".join("" if v is None else repr(v) for v in row) + "\n")


def write_expected(path, expected):
    """JSON with one row (or one flat number) per line, so diffs stay readable."""
    parts = []
    for key, value in expected.items():
        if isinstance(value, list) and value and not isinstance(value[0], str):
            items = ",\n".join("    " + json.dumps(v, separators=(",", ":")) for v in value)
            parts.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            parts.append(f"  {json.dumps(key)}: {json.dumps(value)}")
    with open(path, "w", newline="\n") as fh:
        fh.write("{\n" + ",\n".join(parts) + "\n}\n")


def outputs(bst, frame):
    """XGBoost's three outputs, as Python lists of floats exactly as the Booster returns them."""
    dm = xgb.DMatrix(frame)
    return {
        "predictions": bst.predict(dm).tolist(),
        "margins": bst.predict(dm, output_margin=True).tolist(),
        "contribs": bst.predict(dm, pred_contribs=True).tolist(),
    }


def train(ex):
    x, y = ex["data"](ex["rows"], np.random.default_rng(ex["seed"]))
    bst = xgb.train({**COMMON, **ex["params"]}, xgb.DMatrix(x, label=y), num_boost_round=ex["rounds"])
    return x, y, bst


def write_example(ex, x, bst):
    folder = os.path.join(OUT, ex["name"])
    os.makedirs(folder, exist_ok=True)
    bst.save_model(os.path.join(folder, ex["model_file"]))  # JSON or UBJSON, chosen by the extension
    sample = x.iloc[:SAMPLE_ROWS]
    rows = sample_rows(sample)
    write_sample(os.path.join(folder, "sample.csv"), list(x.columns), rows)
    config = json.loads(bst.save_config())["learner"]
    expected = {
        "xgboost_version": xgb.__version__,
        "objective": config["objective"]["name"],
        "num_class": int(config["learner_model_param"]["num_class"]),
        "feature_names": list(bst.feature_names),
        "rows": rows[:EXPECTED_ROWS],
        **outputs(bst, sample.iloc[:EXPECTED_ROWS]),
    }
    write_expected(os.path.join(folder, "expected.json"), expected)
    return folder


def same_f32(a, b):
    a, b = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    return a.shape == b.shape and bool(np.all((a == b) | (np.isnan(a) & np.isnan(b))))


def verify(ex, folder, x):
    """Reloads the written files as a consumer would and checks XGBoost reproduces expected.json exactly."""
    problems = []
    bst = xgb.Booster(model_file=os.path.join(folder, ex["model_file"]))
    with open(os.path.join(folder, "expected.json")) as fh:
        expected = json.load(fh)
    if bst.feature_names != list(x.columns) or bst.feature_names != expected["feature_names"]:
        problems.append("feature names differ between model, data and expected.json")
    if any(t not in ("float", "int") for t in bst.feature_types):
        problems.append(f"feature types not plain numeric: {sorted(set(bst.feature_types))}")
    trained = x.iloc[:SAMPLE_ROWS].to_numpy(dtype=np.float64)
    for precision in (None, "round_trip"):
        csv = pd.read_csv(os.path.join(folder, "sample.csv"), float_precision=precision)
        if list(csv.columns) != expected["feature_names"] or not same_f32(csv.to_numpy(dtype=np.float64), trained):
            problems.append(f"sample.csv (float_precision={precision}) does not read back as the training float32s")
        got = outputs(bst, csv.iloc[:EXPECTED_ROWS])
        problems += [f"{k} from sample.csv (float_precision={precision}) differ" for k in got if got[k] != expected[k]]
    json_rows = np.array([[np.nan if v is None else v for v in r] for r in expected["rows"]], dtype=np.float64)
    if not same_f32(json_rows, trained[:EXPECTED_ROWS]):
        problems.append("expected.json rows do not match the training float32s")
    return problems


def describe(ex, x, y, bst, folder):
    counts = np.bincount(y, minlength=int(ex["params"].get("num_class", 2)))
    used = bst.get_score(importance_type="weight")
    sample = x.iloc[:SAMPLE_ROWS]
    missing = sample.isna().mean()
    sizes = {f: os.path.getsize(os.path.join(folder, f)) for f in sorted(os.listdir(folder))}
    print(f"{ex['name']}: labels {' / '.join(f'{c / len(y):.1%}' for c in counts)} of {len(y)} rows; "
          f"{len(used)} of {x.shape[1]} features in splits; sample missing "
          f"{(missing > 0).sum()} features ({missing[missing > 0].min():.1%}..{missing.max():.1%}), "
          f"{(missing == 0).sum()} never; files {sizes}")


def main():
    if xgb.__version__ != XGBOOST_VERSION:
        sys.exit(f"xgboost {xgb.__version__} found; the examples are made with {XGBOOST_VERSION} "
                 "(use Debian's /usr/bin/python3)")
    failed = False
    for ex in EXAMPLES:
        x, y, bst = train(ex)
        folder = write_example(ex, x, bst)
        describe(ex, x, y, bst, folder)
        for problem in verify(ex, folder, x):
            failed = True
            print(f"{ex['name']}: {problem}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
