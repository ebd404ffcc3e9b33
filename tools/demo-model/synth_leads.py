"""Synthetic B2B leads drawn from the feature manifest, with a latent-intent label.

Two hidden traits drive every lead: `eng` (engagement propensity) and `fit` (ideal-customer
fit). Observed features are noisy, correlated consequences of them, with the structural
gaps real data has (no visits -> no pages-per-visit, no third-party intent coverage, ...).
The label is a noisy "intent" function of the observed features, bucketed into 5 classes.
"""
import numpy as np

# Share of leads in classes 0..4 (score 1..5): most leads are cold.
CLASS_CUTS = [0.40, 0.65, 0.82, 0.93]


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _nan_where(values, mask):
    out = values.astype(np.float64)
    out[mask] = np.nan
    return out


def _ratio(num, den, decimals=4):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, np.round(num / np.maximum(den, 1), decimals), np.nan)


def _days(rng, happened, within, n, never_missing_rate):
    """Days since an event: inside `within` when it happened lately, else long ago or never (NaN)."""
    recent = np.floor(rng.random(n) * within)
    old = within + np.round(rng.exponential(240, n))
    never = rng.random(n) < never_missing_rate
    return np.where(happened, recent, np.where(never, np.nan, old))


def generate(n, rng):
    """Returns a dict name -> float64 array (NaN = missing) for n leads."""
    eng = rng.normal(size=n)
    fit = rng.normal(size=n)
    lam = np.exp(0.9 * eng + 0.3 * fit)
    c = {}
    emp = np.round(np.exp(rng.normal(4.5 + 0.8 * fit, 1.8)))
    c["company_employees"] = emp
    c["annual_revenue_usd_m"] = np.round(emp * 0.2 * np.exp(rng.normal(0, 0.6, n)), 2)
    c["industry_index"] = rng.integers(0, 20, n).astype(np.float64)
    c["country_tier"] = np.clip(np.round(1.8 - 0.5 * fit + rng.normal(0, 0.8, n)), 1, 4)
    c["years_in_business"] = np.round(np.exp(rng.normal(2.6, 0.9, n)))
    c["tech_stack_fit_score"] = np.round(np.clip(50 + 18 * fit + rng.normal(0, 12, n), 0, 100), 1)
    c["headcount_growth_12m"] = np.round(np.clip(rng.normal(0.05 + 0.05 * fit, 0.15), -1, 5), 3)
    c["is_target_account"] = (rng.random(n) < _sig(1.5 * fit - 2)).astype(np.float64)

    visits30 = rng.poisson(3 * lam)
    visits7 = rng.binomial(visits30, np.clip(0.25 * np.exp(0.3 * rng.normal(size=n)), 0, 1))
    has_visits = visits30 > 0
    c["web_visits_7d"] = visits7
    c["web_visits_30d"] = visits30
    c["pages_per_visit"] = _nan_where(np.round(np.clip(np.exp(rng.normal(np.log(3) + 0.2 * eng, 0.5)), 1, 100), 2), ~has_visits)
    c["avg_time_on_site_sec"] = _nan_where(np.round(np.clip(np.exp(rng.normal(np.log(120) + 0.3 * eng, 0.7)), 1, 7200), 1), ~has_visits)
    delivered = rng.poisson(12, n)
    opens90 = rng.binomial(delivered, _sig(-1 + 0.8 * eng + rng.normal(0, 0.5, n)))
    clicks90 = rng.binomial(opens90, _sig(-2 + 0.7 * eng))
    c["email_opens_30d"] = rng.binomial(opens90, 0.35)
    c["email_clicks_30d"] = rng.binomial(clicks90, 0.35)
    c["email_open_rate_90d"] = _ratio(opens90, delivered)
    c["email_click_rate_90d"] = _ratio(clicks90, delivered)
    c["click_to_open_rate_90d"] = _ratio(clicks90, opens90)
    c["form_fills_90d"] = rng.poisson(0.4 * lam)
    c["webinars_attended_90d"] = rng.poisson(0.2 * lam)
    c["content_downloads_90d"] = rng.poisson(0.5 * lam)
    demo = (rng.random(n) < _sig(-3.5 + 1.2 * eng + 0.5 * fit)).astype(np.float64)
    c["demo_requested"] = demo
    c["pricing_page_views_30d"] = rng.poisson(0.5 * lam * (1 + 2 * demo))
    c["case_study_views_30d"] = rng.poisson(0.3 * lam)
    c["free_trial_signup"] = (rng.random(n) < _sig(-3 + eng)).astype(np.float64)
    c["product_page_views_30d"] = rng.poisson(2 * lam)
    c["social_engagements_30d"] = rng.poisson(0.5 * lam)
    c["events_attended_12m"] = rng.poisson(0.3 * np.exp(0.5 * eng))

    c["days_since_last_visit"] = _days(rng, has_visits, 30, n, 0.4)
    c["days_since_last_email_open"] = _days(rng, opens90 > 0, 90, n, 0.5)
    c["days_since_last_form_fill"] = _days(rng, c["form_fills_90d"] > 0, 90, n, 0.6)
    c["days_since_first_touch"] = np.round(np.exp(rng.normal(5, 1, n)))
    touches = rng.poisson(6 * np.exp(0.3 * eng))
    c["campaign_touches_90d"] = touches
    c["distinct_campaigns_90d"] = np.minimum(touches, rng.poisson(2, n) + (touches > 0))
    c["paid_ad_clicks_30d"] = rng.poisson(0.3 * lam)

    no_intent = rng.random(n) < 0.25
    c["intent_score"] = _nan_where(np.round(np.clip(40 + 8 * eng + 10 * fit + rng.normal(0, 15, n), 0, 100), 1), no_intent)
    c["intent_topics_surging"] = _nan_where(rng.poisson(np.exp(0.5 + 0.3 * eng)), no_intent)
    for name, bias in (("intent_surge_category", -1.5), ("intent_surge_pricing", -2.0), ("competitor_research", -1.8)):
        c[name] = _nan_where((rng.random(n) < _sig(bias + 0.8 * eng)).astype(np.float64), no_intent)

    c["engagement_trend_ratio"] = _ratio(visits7, visits30 * 7 / 30, 3)
    c["mobile_visit_share"] = _nan_where(np.round(rng.beta(2, 5, n), 3), ~has_visits)
    contacts = np.clip(np.round(np.sqrt(emp) * np.exp(rng.normal(0, 0.5, n))), 1, 10_000)
    c["contacts_engaged_ratio"] = _ratio(rng.binomial(contacts.astype(np.int64), _sig(-2 + 0.6 * eng)), contacts)
    c["is_decision_maker"] = _nan_where((rng.random(n) < 0.3).astype(np.float64), rng.random(n) < 0.15)
    c["has_budget_flag"] = _nan_where((rng.random(n) < _sig(-1 + fit)).astype(np.float64), rng.random(n) < 0.4)
    c["existing_customer"] = (rng.random(n) < 0.12).astype(np.float64)
    sales = rng.poisson(1 + 2 * demo + c["is_target_account"])
    c["sales_touches_90d"] = sales
    c["days_since_last_sales_touch"] = _days(rng, sales > 0, 90, n, 0.5)
    c["opportunity_count"] = rng.poisson(0.2 + 0.5 * c["existing_customer"])
    c["lead_source_index"] = rng.integers(0, 12, n)
    c["contacts_at_account"] = contacts

    # Enrichment gaps: firmographics are unknown for some companies.
    for name in ("company_employees", "annual_revenue_usd_m", "industry_index", "country_tier",
                 "years_in_business", "tech_stack_fit_score", "headcount_growth_12m"):
        c[name] = _nan_where(c[name], rng.random(n) < 0.08)
    return {k: np.asarray(v, dtype=np.float64) for k, v in c.items()}


def to_matrix(cols, features):
    """Columns in manifest order, clipped into each feature's valid range (NaN kept)."""
    x = np.empty((len(next(iter(cols.values()))), len(features)), dtype=np.float64)
    for j, spec in enumerate(features):
        if spec["name"] not in cols:
            raise SystemExit(f"synth_leads.py does not generate feature {spec['name']!r}: add it")
        v = np.clip(cols[spec["name"]], spec["min"], spec["max"])
        if not spec["allow_missing"] and np.isnan(v).any():
            raise SystemExit(f"generated missing values for {spec['name']!r}, which does not allow them")
        x[:, j] = np.round(v) if spec["integer"] else v
    return x


def intent(x, names, rng):
    """The latent intent behind the labels: engagement and fit up, staleness down, plus noise."""
    col = {n: x[:, i] for i, n in enumerate(names)}
    z = lambda n, fill=0.0: np.nan_to_num(col[n], nan=fill)  # noqa: E731
    s = (0.5 * np.log1p(z("web_visits_30d")) + 0.4 * np.log1p(z("pricing_page_views_30d"))
         + 0.3 * np.log1p(z("form_fills_90d")) + 0.2 * np.log1p(z("email_clicks_30d"))
         + 1.0 * z("demo_requested") + 0.6 * z("free_trial_signup") + 0.5 * z("is_decision_maker")
         + 0.7 * z("has_budget_flag") + 0.02 * (z("tech_stack_fit_score", 50) - 50)
         + 0.015 * (z("intent_score", 40) - 40) + 0.3 * z("is_target_account")
         - 0.35 * np.log1p(z("days_since_last_visit", 365)) - 0.15 * np.log1p(z("days_since_last_email_open", 365))
         - 0.15 * (z("country_tier", 2) - 1))
    return s + rng.normal(0, 0.5, len(s))


def bucket(scores, cuts):
    """Class 0..4 by the given intent thresholds."""
    return np.searchsorted(np.asarray(cuts), scores, side="right").astype(np.int64)
