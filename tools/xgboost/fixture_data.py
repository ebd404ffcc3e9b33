"""Synthetic data and test-row builders shared by the fixture and benchmark scripts.

Everything is driven by numpy's PCG64 generator with fixed seeds, so the output is the same
on every run (training uses nthread=1 for the same reason).
"""
import numpy as np

F32_MAX = float(np.finfo(np.float32).max)


def features(rng, n_rows, n_features, missing_rate=0.08):
    """Standard-normal-ish features with a few scales, plus NaN holes."""
    scales = np.array([1.0, 10.0, 0.1, 100.0, 1.0, 3.0, 0.01, 1000.0])
    x = rng.normal(size=(n_rows, n_features)) * np.resize(scales, n_features)
    x[:, ::4] = np.round(x[:, ::4])  # some integer-valued features, so ties on thresholds happen
    holes = rng.random(size=x.shape) < missing_rate
    x[holes] = np.nan
    return x


def signal(rng, x, n_outputs=1):
    """Linear-plus-interaction signal of the (NaN-filled-with-0) features, normalised per column."""
    filled = np.nan_to_num(x / np.nanstd(x, axis=0), nan=0.0)
    w = rng.normal(size=(x.shape[1], n_outputs))
    z = filled @ w + 0.8 * np.sin(filled[:, :1] * filled[:, 1:2])
    z = (z - z.mean(axis=0)) / z.std(axis=0)
    return z + 0.3 * rng.normal(size=z.shape)


def labels(rng, x, objective, num_class=0, shares=None):
    """Labels with real signal for each objective, so trees have informative splits.
    With `shares` (class frequencies, e.g. (0.6, 0.2, 0.1, 0.06, 0.04)), classes of exactly those sizes."""
    if shares is not None:
        return class_labels(rng, x, shares)
    if objective.startswith("multi:"):
        return np.argmax(signal(rng, x, num_class), axis=1).astype(np.float64)
    z = signal(rng, x)[:, 0]
    if objective.startswith("binary:"):
        return (z > 0.3).astype(np.float64)
    if objective == "reg:logistic":
        return 1.0 / (1.0 + np.exp(-1.5 * z))
    if objective in ("count:poisson", "reg:gamma"):
        lam = np.exp(0.8 * z + 0.5)
        return rng.poisson(lam).astype(np.float64) + (0.5 if objective == "reg:gamma" else 0.0)
    return 3.0 * z + 7.0


def class_labels(rng, x, shares):
    """Cuts one signal at its quantiles: the first shares[0] of the rows by signal are class 0, the
    next shares[1] class 1, and so on (binary: (0, 1) makes every label 1)."""
    z = signal(rng, x)[:, 0]
    ranks = np.argsort(np.argsort(z, kind="stable"), kind="stable")
    bounds = np.round(np.cumsum(shares) * len(z))
    return np.searchsorted(bounds, ranks, side="right").astype(np.float64)


def split_points(bst, limit):
    """(feature, float32 threshold) pairs from the first trees' split nodes, in tree order."""
    import json

    model = json.loads(bst.save_raw("json"))
    points = []
    for tree in model["learner"]["gradient_booster"]["model"]["trees"]:
        for node, left in enumerate(tree["left_children"]):
            if left != -1:
                points.append((tree["split_indices"][node], tree["split_conditions"][node]))
            if len(points) >= limit:
                return points
    return points


def test_rows(rng, bst, n_features, n_random=14):
    """Rows that probe the edges: NaN, +-1e30, exact thresholds, float64 values that round onto
    a float32 threshold, -0, the float32 maximum. Returns a float64 matrix (NaN = missing)."""
    rows = [row for row in features(rng, n_random, n_features, missing_rate=0.15)]
    rows.append(np.full(n_features, np.nan))
    rows.append(np.zeros(n_features))
    rows.append(np.full(n_features, -0.0))
    rows.append(np.full(n_features, 1e30))
    rows.append(np.full(n_features, -1e30))
    rows.append(np.full(n_features, F32_MAX))
    mixed = features(rng, 1, n_features, missing_rate=0.0)[0]
    mixed[::3] = 1e30
    mixed[1::3] = -1e30
    rows.append(mixed)
    base = features(rng, 1, n_features, missing_rate=0.0)[0]
    for feature, threshold in split_points(bst, 7):
        t32 = np.float32(threshold)
        below32 = np.nextafter(t32, np.float32(-np.inf))
        ulp = float(t32) - float(below32)
        for value in (
            float(t32),  # exactly on the threshold: goes right
            float(below32),  # the float32 just below: goes left
            float(t32) - ulp / 4,  # float64 below the threshold that rounds up onto it: goes right
            float(below32) + ulp / 4,  # rounds down to the float32 below: goes left
        ):
            row = base.copy()
            row[feature] = value
            rows.append(row)
    return np.array(rows, dtype=np.float64)


def inf_rows(rng, n_features):
    """Rows with +-Infinity (and a float64 that overflows float32), which DMatrix refuses but
    inplace_predict accepts."""
    rows = []
    for value in (np.inf, -np.inf, 1e300, -1e300):
        row = features(rng, 1, n_features, missing_rate=0.1)[0]
        row[::2] = value
        rows.append(row)
    return np.array(rows, dtype=np.float64)
