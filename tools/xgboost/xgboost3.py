"""The XGBoost 3.x side of make_fixtures.py: finding XGBoost 3.x, and the 3.x-only models and refusals.

XGBoost 3.x is not part of this repository: XGBOOST3_PYTHONPATH names the python-package folder
of an XGBoost 3.x build or source tree whose libxgboost is where that package looks for it
(for a source build, <xgboost>/lib beside <xgboost>/python-package).
"""
import json
import os
import sys

import numpy as np

from fixture_data import features, labels

ENV = "XGBOOST3_PYTHONPATH"

# Class frequencies far from uniform, so each class's intercept differs (60/20/10/6/4 %).
SKEWED = (0.6, 0.2, 0.1, 0.06, 0.04)

# Models only the 3.x set has (same tuple as make_fixtures.MODELS, plus class shares).
MODELS = [
    ("multi-softprob-skewed", "multi:softprob", 6, 8, {"max_depth": 4}, None, 5, 1000, SKEWED),
    ("multi-softmax-skewed", "multi:softmax", 6, 8, {"max_depth": 3}, None, 5, 1000, SKEWED),
    # Every label 1: XGBoost 3.x stores base_score "[1E0]" and clamps it when computing the margin.
    ("binary-logistic-one-class", "binary:logistic", 4, 3, {"max_depth": 2}, None, 0, 300, (0.0, 1.0)),
]

# 1.7.4-set models left out of the 3.x set to keep it small: their 1.7.4 files reach 258 KB (wide-50)
# and 539 KB (many-trees), and XGBoost 3.x writes each tree's JSON about twice as large.
LEFT_OUT = ("many-trees", "wide-50")


def fail(message):
    sys.exit(f"make_fixtures.py --xgboost3: {message}")


def import_xgboost3():
    """Imports xgboost from $XGBOOST3_PYTHONPATH, or exits with a message saying what is missing."""
    path = os.environ.get(ENV)
    if not path:
        fail(f"{ENV} is not set; point it at the python-package folder of an XGBoost 3.x build, "
             f"e.g. {ENV}=/opt/xgboost/python-package")
    path = os.path.abspath(path)
    if not os.path.isfile(os.path.join(path, "xgboost", "__init__.py")):
        fail(f"{ENV}={path} holds no xgboost package (no {path}/xgboost/__init__.py)")
    sys.path.insert(0, path)
    try:
        import xgboost
    except Exception as error:  # XGBoostLibraryNotFound, ImportError: say which and stop.
        fail(f"cannot import xgboost from {path}: {error}")
    if not os.path.abspath(xgboost.__file__).startswith(path + os.sep):
        fail(f"imported xgboost from {xgboost.__file__}, not from {ENV}={path}")
    if not xgboost.__version__.startswith("3."):
        fail(f"{ENV}={path} is XGBoost {xgboost.__version__}, not 3.x")
    return xgboost


def unsupported_files(xgb):
    """Files XGBoost 3.x writes that the evaluator must refuse, as {file name: bytes}: two kinds of
    multi-target model (one tree per target; multi_output_tree's vector leaves) and categorical splits."""
    rng = np.random.default_rng(103)
    x = features(rng, 400, 4)
    base = {"nthread": 1, "seed": 7, "max_depth": 3, "tree_method": "hist"}
    y = np.stack([labels(rng, x, "reg:squarederror") for _ in range(3)], axis=1)
    files = {}
    for name, strategy in (("multi-target", "one_output_per_tree"), ("multi-output-tree", "multi_output_tree")):
        bst = xgb.train({**base, "objective": "reg:squarederror", "multi_strategy": strategy}, xgb.DMatrix(x, y), 3)
        files[f"{name}.model.json"] = bytes(bst.save_raw("json"))
        assert json.loads(files[f"{name}.model.json"])["learner"]["learner_model_param"]["num_target"] == "3"
    xc = x.copy()
    xc[:, 1] = rng.integers(0, 5, size=len(xc))
    yc = ((xc[:, 1] == 1) | (xc[:, 1] == 3)).astype(np.float64)
    dcat = xgb.DMatrix(xc, yc, feature_types=["q", "c", "q", "q"], enable_categorical=True)
    cat = xgb.train({**base, "objective": "binary:logistic"}, dcat, 3)
    files["categorical.model.json"] = bytes(cat.save_raw("json"))
    files["categorical.model.ubj"] = bytes(cat.save_raw("ubj"))
    trees = json.loads(files["categorical.model.json"])["learner"]["gradient_booster"]["model"]["trees"]
    assert any(1 in t["split_type"] for t in trees), "categorical model has no categorical split"
    return files
