#!/usr/bin/python3
"""Trains small models with real XGBoost and writes the evaluator's parity fixtures.

Run from the workspace root:
  /usr/bin/python3 tools/xgboost/make_fixtures.py
      with XGBoost 1.7 (Debian's python3-xgboost): libs/xgboost-evaluator/test/fixtures/
  XGBOOST3_PYTHONPATH=<xgboost 3.x>/python-package /usr/bin/python3 tools/xgboost/make_fixtures.py --xgboost3
      with that XGBoost 3.x: libs/xgboost-evaluator/test/fixtures/xgb3/
Each set holds <name>.model.json, <name>.model.ubj and <name>.expected.json per model, and
unsupported/* (files the evaluator must refuse). Deterministic (fixed seeds, nthread=1) and
idempotent (same bytes on every run with the same XGBoost).
"""
import json
import os
import pickle
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_data import features, inf_rows, labels, test_rows  # noqa: E402
from reference import check_against_reference  # noqa: E402

USAGE = "usage: make_fixtures.py [--xgboost3]"
if sys.argv[1:] not in ([], ["--xgboost3"]):
    sys.exit(USAGE)
XGBOOST3 = sys.argv[1:] == ["--xgboost3"]
if XGBOOST3:
    import xgboost3  # noqa: E402

    xgb = xgboost3.import_xgboost3()
else:
    import xgboost as xgb  # noqa: E402

    if not xgb.__version__.startswith("1.7."):
        sys.exit(f"make_fixtures.py: the default set is written by XGBoost 1.7, found {xgb.__version__} "
                 f"(for an XGBoost 3.x set use --xgboost3)")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.join(ROOT, "libs", "xgboost-evaluator", "test", "fixtures")
OUT = os.path.join(FIXTURES, "xgb3") if XGBOOST3 else FIXTURES

# name, objective, features, rounds, extra params, base_score, num_class, training rows[, class shares]
MODELS = [
    ("binary-logistic", "binary:logistic", 6, 20, {"max_depth": 4}, 0.3, 0, 800),
    ("binary-logitraw", "binary:logitraw", 6, 15, {"max_depth": 3}, None, 0, 800),
    ("reg-squarederror", "reg:squarederror", 5, 25, {"max_depth": 4}, 2.5, 0, 800),
    ("reg-logistic", "reg:logistic", 5, 15, {"max_depth": 3}, 0.2, 0, 800),
    ("reg-pseudohubererror", "reg:pseudohubererror", 5, 20, {"max_depth": 3}, 1.0, 0, 800),
    ("count-poisson", "count:poisson", 5, 20, {"max_depth": 3}, 1.5, 0, 800),
    ("multi-softprob", "multi:softprob", 6, 8, {"max_depth": 4}, None, 5, 1000),
    ("multi-softmax", "multi:softmax", 6, 8, {"max_depth": 3}, 0.1, 4, 1000),
    ("forest", "binary:logistic", 6, 5,
     {"max_depth": 4, "num_parallel_tree": 3, "subsample": 0.8, "colsample_bytree": 0.7}, None, 0, 800),
    ("forest-multi", "multi:softprob", 5, 4,
     {"max_depth": 3, "num_parallel_tree": 2, "subsample": 0.7, "colsample_bynode": 0.8}, None, 3, 900),
    ("deep", "reg:squarederror", 8, 4, {"max_depth": 10, "min_child_weight": 0}, None, 0, 4000),
    ("many-trees", "binary:logistic", 3, 520, {"max_depth": 3, "eta": 0.05}, None, 0, 600),
    ("feature-names", "binary:logistic", 4, 6, {"max_depth": 3}, None, 0, 500),
    ("wide-50", "multi:softprob", 50, 6,
     {"max_depth": 6, "eta": 0.2, "gamma": 4, "min_child_weight": 6, "subsample": 0.8}, None, 5, 3000),
]

FEATURE_NAMES = ["lead_age_days", "email_opens_30d", "company_size", "has_demo_request"]


def params_for(objective, extra, base_score, num_class):
    params = {"objective": objective, "nthread": 1, "seed": 7, "eta": 0.3, **extra}
    if base_score is not None:
        params["base_score"] = base_score
    if num_class:
        params["num_class"] = num_class
    return params


def train(seed, spec, names=None):
    _, objective, n_features, rounds, extra, base_score, num_class, n_rows, *shares = spec
    rng = np.random.default_rng(seed)
    x = features(rng, n_rows, n_features)
    y = labels(rng, x, objective, num_class, *shares)
    dtrain = xgb.DMatrix(x, label=y, missing=np.nan, feature_names=names)
    bst = xgb.train(params_for(objective, extra, base_score, num_class), dtrain, rounds)
    return rng, bst


def encode(value):
    """JSON has no NaN/Infinity: null = missing, infinities as strings (only in inf_rows)."""
    if np.isnan(value):
        return None
    if np.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float(value)


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def write_json(path, obj):
    write_bytes(path, (json.dumps(obj, separators=(",", ":")) + "\n").encode())


def make_model_fixture(index, spec):
    name, objective, n_features, _, _, _, num_class = spec[:7]
    names = FEATURE_NAMES if name == "feature-names" else None
    rng, bst = train(1000 + index, spec, names)
    rows = test_rows(rng, bst, n_features)
    dtest = xgb.DMatrix(rows, missing=np.nan, feature_names=names)
    margin = bst.predict(dtest, output_margin=True)
    prediction = bst.predict(dtest)
    contribs = bst.predict(dtest, pred_contribs=True)
    infs = inf_rows(rng, n_features)
    model_json = bytes(bst.save_raw("json"))
    check_against_reference(name, json.loads(model_json), rows, margin)
    write_bytes(os.path.join(OUT, f"{name}.model.json"), model_json)
    write_bytes(os.path.join(OUT, f"{name}.model.ubj"), bytes(bst.save_raw("ubj")))
    write_json(os.path.join(OUT, f"{name}.expected.json"), {
        "name": name,
        "objective": objective,
        "num_features": n_features,
        "num_class": num_class,
        "num_trees": len(json.loads(model_json)["learner"]["gradient_booster"]["model"]["trees"]),
        "feature_names": names,
        "xgboost_version": xgb.__version__,
        "rows": [[encode(v) for v in row] for row in rows],
        "margin": margin.tolist(),
        "prediction": prediction.tolist(),
        "contribs": contribs.tolist(),
        # DMatrix refuses +-inf ("Input data contains inf"); inplace_predict accepts it, so these
        # rows carry margin/prediction only (inplace_predict has no contributions).
        "inf_rows": [[encode(v) for v in row] for row in infs],
        "inf_margin": bst.inplace_predict(infs, predict_type="margin", missing=np.nan).tolist(),
        "inf_prediction": bst.inplace_predict(infs, predict_type="value", missing=np.nan).tolist(),
    })
    return name, model_json


def make_v2_form(model_json):
    """The bracketed base_score "[2.5E0]" (what XGBoost 3.1+ writes) plus iteration_indptr (2.0+):
    same predictions. Derived from the 1.7 file (1.7 cannot write this form), predictions copied
    unchanged; its version and derived_from still say 2.x, kept so the committed bytes stay the same."""
    model = json.loads(model_json)
    learner = model["learner"]
    learner["learner_model_param"]["base_score"] = "[" + learner["learner_model_param"]["base_score"] + "]"
    gbm = learner["gradient_booster"]["model"]
    gbm["iteration_indptr"] = list(range(len(gbm["trees"]) + 1))
    model["version"] = [2, 1, 4]
    write_bytes(os.path.join(OUT, "reg-squarederror-v2-form.model.json"), json.dumps(model).encode())
    with open(os.path.join(OUT, "reg-squarederror.expected.json"), "rb") as f:
        expected = json.loads(f.read())
    expected["name"] = "reg-squarederror-v2-form"
    expected["derived_from"] = "reg-squarederror (base_score rewritten to XGBoost 2.x's bracketed form)"
    write_json(os.path.join(OUT, "reg-squarederror-v2-form.expected.json"), expected)


def make_unsupported():
    out = os.path.join(OUT, "unsupported")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(99)
    x = features(rng, 400, 4)
    y = labels(rng, x, "binary:logistic")
    base = {"nthread": 1, "seed": 7, "max_depth": 3}
    linear = xgb.train({**base, "booster": "gblinear", "objective": "binary:logistic"}, xgb.DMatrix(x, y), 3)
    write_bytes(os.path.join(out, "gblinear.model.json"), bytes(linear.save_raw("json")))
    gamma = xgb.train({**base, "objective": "reg:gamma"}, xgb.DMatrix(x, labels(rng, x, "reg:gamma")), 3)
    write_bytes(os.path.join(out, "reg-gamma.model.json"), bytes(gamma.save_raw("json")))
    # Categorical splits from plain numpy: feature_types 'c' + enable_categorical (hist only).
    xc = x.copy()
    xc[:, 1] = rng.integers(0, 5, size=len(xc))
    yc = ((xc[:, 1] == 1) | (xc[:, 1] == 3)).astype(np.float64)
    dcat = xgb.DMatrix(xc, yc, feature_types=["q", "c", "q", "q"], enable_categorical=True)
    cat = xgb.train({**base, "objective": "binary:logistic", "tree_method": "hist"}, dcat, 3)
    cat_json = bytes(cat.save_raw("json"))
    trees = json.loads(cat_json)["learner"]["gradient_booster"]["model"]["trees"]
    assert any(1 in t["split_type"] for t in trees), "categorical model has no categorical split"
    write_bytes(os.path.join(out, "categorical.model.json"), cat_json)
    write_bytes(os.path.join(out, "categorical.model.ubj"), bytes(cat.save_raw("ubj")))
    plain = xgb.train({**base, "objective": "binary:logistic"}, xgb.DMatrix(x, y), 3)
    # save_raw("deprecated") is the pre-1.0 binary format that save_model("x.bst") also writes.
    write_bytes(os.path.join(out, "legacy.model.bst"), bytes(plain.save_raw("deprecated")))
    # protocol 4 pickle of a Booster (what joblib/pickle users ship), written from fixed bytes.
    write_bytes(os.path.join(out, "booster.model.pkl"), pickle.dumps(plain, protocol=4))


def model_specs():
    """(seed index, spec) of every model in this run's set; a model keeps its seed in both sets."""
    specs = list(enumerate(MODELS))
    if XGBOOST3:
        specs = [(i, spec) for i, spec in specs if spec[0] not in xgboost3.LEFT_OUT]
        specs += [(len(MODELS) + i, spec) for i, spec in enumerate(xgboost3.MODELS)]
    return specs


def main():
    os.makedirs(OUT, exist_ok=True)
    names = []
    for index, spec in model_specs():
        name, model_json = make_model_fixture(index, spec)
        names.append(name)
        if name == "reg-squarederror" and not XGBOOST3:
            make_v2_form(model_json)
            names.append("reg-squarederror-v2-form")
    if XGBOOST3:
        os.makedirs(os.path.join(OUT, "unsupported"), exist_ok=True)
        for file, data in xgboost3.unsupported_files(xgb).items():
            write_bytes(os.path.join(OUT, "unsupported", file), data)
    else:
        make_unsupported()
    other_set = os.path.join(OUT, "xgb3")
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(OUT) for f in fs if not d.startswith(other_set))
    print(f"XGBoost {xgb.__version__}: wrote {len(names)} model fixtures + unsupported/ to "
          f"{os.path.relpath(OUT, ROOT)} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
