"""A plain reference traversal over XGBoost's JSON, used to check our reading of the format
(leaf value = split_conditions at a leaf, float32 `<` comparison, NaN takes default_left,
base margin per objective) against XGBoost's own margins before fixtures are written."""
import math

import numpy as np

# binary:logitraw keeps base_score as a raw margin in 1.7 (verified: logit() there is off by 0.5).
LOGIT_BASE = ("binary:logistic", "reg:logistic")


def base_margin(objective, base_score):
    if objective in LOGIT_BASE:
        return math.log(base_score / (1.0 - base_score))
    if objective in ("count:poisson", "reg:gamma"):
        return math.log(base_score)
    return base_score


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
    base = np.float32(base_margin(objective, float(learner["learner_model_param"]["base_score"])))
    gbm = learner["gradient_booster"]["model"]
    out = np.full((len(rows), groups), base, dtype=np.float32)
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
