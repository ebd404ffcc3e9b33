#!/usr/bin/python3
"""Trains the demo lead-scoring model and writes the bundle models/demo/{xgboost-model,manifest.json}.

Run from the repository root (see tools/demo-model/README.md):
    /usr/bin/python3 tools/demo-model/train_demo.py [--features tools/demo-model/features.json] [--out models/demo]
Deterministic for a given seed (single-threaded); set SOURCE_DATE_EPOCH to pin created_at.
"""
import argparse
import datetime
import hashlib
import json
import os
import sys

import numpy as np
import xgboost as xgb

sys.dont_write_bytecode = True  # keep tools/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import synth_leads  # noqa: E402

PARAMS = {
    "objective": "multi:softprob", "num_class": 5, "max_depth": 6, "eta": 0.2, "gamma": 4,
    "min_child_weight": 6, "subsample": 0.8, "tree_method": "hist", "nthread": 1, "seed": 42,
}
ROUNDS = 20
DECILES = [i / 10 for i in range(1, 10)]


def f32(v):
    """The shortest decimal that reads back as the same float32 (what both XGBoost and the evaluator see)."""
    if np.isnan(v):
        return None
    if float(v).is_integer():
        return int(v)
    return float(np.format_float_positional(np.float32(v), unique=True, trim="-"))


def baseline(x, names, scores):
    """Per-feature decile bins over non-missing values (bin i holds edges[i-1] < v <= edges[i]) and the score mix."""
    feats = {}
    for j, name in enumerate(names):
        col = x[:, j]
        present = col[~np.isnan(col)]
        edges = np.unique(np.quantile(present, DECILES)) if len(present) else np.array([0.0])
        counts = np.bincount(np.searchsorted(edges, present, side="left"), minlength=len(edges) + 1)
        feats[name] = {
            "edges": [round(float(e), 6) for e in edges],
            "proportions": [round(float(c) / max(len(present), 1), 6) for c in counts],
            "missing_rate": round(1 - len(present) / len(col), 6),
        }
    mix = np.bincount(scores - 1, minlength=5) / len(scores)
    return {"sample_size": int(len(x)), "features": feats, "scores": {"proportions": [round(float(p), 6) for p in mix]}}


def pick_reference(x, labels, n=20):
    """Rows covering every class and several missing patterns, in a stable order."""
    picked = []
    for cls in range(5):
        picked += list(np.flatnonzero(labels == cls)[:3])
    most_missing = np.argsort(-np.isnan(x).sum(axis=1), kind="stable")
    picked += [i for i in most_missing if i not in picked][: n - len(picked)]
    return sorted(int(i) for i in picked[:n])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--features", default="tools/demo-model/features.json")
    ap.add_argument("--out", default="models/demo")
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--holdout", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--version", default="1.0.0")
    args = ap.parse_args()
    try:
        with open(args.features) as fh:
            features = json.load(fh)
    except OSError as e:
        sys.exit(f"cannot read {args.features} ({e.strerror})")
    names = [s["name"] for s in features]

    rng = np.random.default_rng(args.seed)
    x = synth_leads.to_matrix(synth_leads.generate(args.rows + args.holdout, rng), features)
    intent = synth_leads.intent(x, names, rng)
    cuts = np.quantile(intent[: args.rows], synth_leads.CLASS_CUTS)
    y = synth_leads.bucket(intent, cuts)
    x_train, y_train, x_hold, y_hold = x[: args.rows], y[: args.rows], x[args.rows:], y[args.rows:]

    dtrain = xgb.DMatrix(x_train, label=y_train, feature_names=names, missing=np.nan)
    bst = xgb.train({**PARAMS, "seed": args.seed}, dtrain, num_boost_round=ROUNDS)

    os.makedirs(args.out, exist_ok=True)
    model_path = os.path.join(args.out, "xgboost-model")
    tmp_json = model_path + ".tmp.json"  # save_model picks the format from the extension
    bst.save_model(tmp_json)
    os.replace(tmp_json, model_path)
    with open(model_path, "rb") as fh:
        sha = hashlib.sha256(fh.read()).hexdigest()

    # Score the held-out sample with the model as reloaded from disk, as serving will.
    served = xgb.Booster(model_file=model_path)
    prob_hold = served.predict(xgb.DMatrix(x_hold, feature_names=names, missing=np.nan))
    scores = prob_hold.argmax(axis=1) + 1
    ref_idx = pick_reference(x_hold, y_hold)
    ref_rows = [[f32(v) for v in x_hold[i]] for i in ref_idx]
    ref_x = np.array([[np.nan if v is None else v for v in r] for r in ref_rows], dtype=np.float32)
    ref_pred = served.predict(xgb.DMatrix(ref_x, feature_names=names, missing=np.nan))

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch else datetime.datetime.now(datetime.timezone.utc)
    manifest = {
        "name": "lead-scoring-demo",
        "version": args.version,
        "created_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "framework": {"name": "xgboost", "version": xgb.__version__},
        "model_file": "xgboost-model",
        "model_format": "json",
        "sha256": sha,
        "objective": PARAMS["objective"],
        "num_class": PARAMS["num_class"],
        "features": features,
        "score_mapping": {"type": "class_plus_one"},
        "training": {
            "generator": "tools/demo-model/synth_leads.py", "seed": args.seed, "rows": args.rows,
            "holdout_rows": args.holdout, "rounds": ROUNDS, "params": PARAMS,
            "holdout_accuracy": round(float((scores - 1 == y_hold).mean()), 4),
        },
        "baseline": baseline(x_hold, names, scores),
        "reference": {"rows": ref_rows, "predictions": [[float(p) for p in r] for r in ref_pred]},
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    print(f"wrote {model_path} (sha256 {sha[:12]}...) and manifest.json; "
          f"holdout accuracy {manifest['training']['holdout_accuracy']}, score mix {manifest['baseline']['scores']['proportions']}")


if __name__ == "__main__":
    main()
