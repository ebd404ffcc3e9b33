"""A plain reference traversal over XGBoost's JSON, used to check our reading of the format
(leaf value = split_conditions at a leaf, float32 `<` comparison, NaN takes default_left,
base margin per objective and per class) against XGBoost's own margins before fixtures are written."""
import math

import numpy as np

# binary:logitraw keeps base_score as a raw margin in 1.7 (verified: logit() there is off by 0.5) and
# in 3.4.1, whose estimated intercept for it is the mean label, used as the margin all the same.
LOGIT_BASE = ("binary:logistic", "reg:logistic")
ONE = np.float32(1.0)
RT_EPS = np.float32(1e-6)


def base_margin(objective, base_score):
    if objective in LOGIT_BASE:
        # In float32 as XGBoost does (-logf(1/p - 1)); >= 3.2 clamps p to [1e-6, 1 - 1e-6] (a
        # one-class training set stores 1), where float32 rounding moves the margin by 0.07.
        p = min(max(np.float32(base_score), RT_EPS), ONE - RT_EPS)
        return -np.log(ONE / p - ONE)
    if objective in ("count:poisson", "reg:gamma"):
        return math.log(base_score)
    return base_score


def base_scores(text, groups):
    """base_score as stored: "5E-1" (up to 3.0), "[5E-1]" (3.1+), or one value per class (3.1+ multi:*)."""
    values = [float(v) for v in text.strip("[]").split(",")]
    if len(values) not in (1, groups):
        raise AssertionError(f"base_score {text} has neither 1 nor {groups} values")
    return values * groups if len(values) == 1 else values


def leaf(tree, row):
    node = 0
    left, right = tree["left_children"], tree["right_children"]
    while left[node] != -1:
        value = row[tree["split_indices"][node]]
        if np.isnan(value):
            go_left = tree["default_left"][node] == 1
        else:
            go_left = np.float32(value) < np.float32(tree["split_conditions"][node])
        node = left[node] if go_left else right[node]
    return np.float32(tree["split_conditions"][node])


def reference_margins(model, rows):
    learner = model["learner"]
    objective = learner["objective"]["name"]
    groups = max(1, int(learner["learner_model_param"]["num_class"]))
    scores = base_scores(learner["learner_model_param"]["base_score"], groups)
    base = np.array([base_margin(objective, s) for s in scores], dtype=np.float32)
    gbm = learner["gradient_booster"]["model"]
    out = np.tile(base, (len(rows), 1))
    for tree, group in zip(gbm["trees"], gbm["tree_info"]):
        for r, row in enumerate(rows):
            out[r, group] = np.float32(out[r, group] + leaf(tree, row))
    return out if groups > 1 else out[:, 0]


def check_against_reference(name, model, rows, margin):
    """Raise if the reference traversal disagrees with XGBoost's margins beyond 1e-6 relative."""
    ours = reference_margins(model, rows)
    if ours.shape != margin.shape:
        raise AssertionError(f"{name}: reference shape {ours.shape} != xgboost {margin.shape}")
    diff = np.abs(ours.astype(np.float64) - margin.astype(np.float64))
    tol = 1e-6 * np.maximum(1.0, np.abs(margin))
    if np.any(diff > tol):
        raise AssertionError(f"{name}: reference traversal differs from xgboost by {diff.max()}")
    base_weight_leaves = sum(
        1
        for t in model["learner"]["gradient_booster"]["model"]["trees"]
        for n, l in enumerate(t["left_children"])
        if l == -1 and np.float32(t["base_weights"][n]) != np.float32(t["split_conditions"][n])
    )
    print(f"{name}: reference traversal matches xgboost (max diff {diff.max():.3g}); "
          f"leaves whose base_weights != split_conditions: {base_weight_leaves}")
