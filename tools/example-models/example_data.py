"""Synthetic training data for the two example models (fit-12 and intent-80).

Each generator returns (DataFrame, labels). Columns are float64 when the feature can be
missing (NaN) and int64 when it never is, so XGBoost records them as 'float' and 'int'.
Every float is rounded to at most 4 decimals (amounts to whole dollars) before training, so
its shortest decimal text, parsed as float64 and rounded to float32, is what XGBoost saw.
"""
import numpy as np
import pandas as pd


def _sig(x):
    return 1.0 / (1.0 + np.exp(-x))


def _missing(values, mask):
    out = np.asarray(values, dtype=np.float64).copy()
    out[mask] = np.nan
    return out


def _zero_if_nan(values):
    return np.nan_to_num(values, nan=0.0)


def _classes(score, shares):
    """Buckets a latent score into classes 0..k-1 holding the given shares of the rows."""
    cuts = np.quantile(score, np.cumsum(shares)[:-1])
    return np.searchsorted(cuts, score, side="right")


# fit-12: will an open opportunity convert to a closed-won deal within 90 days?
FIT12_RATE = 0.20


def fit12(n, rng):
    """12 deal-stage features and a 0/1 label (closed-won within 90 days, about 20%)."""
    fit = rng.normal(size=n)                          # ideal-customer fit of the account
    eng = 0.3 * fit + np.sqrt(1 - 0.09) * rng.normal(size=n)  # buying-group engagement
    no_trial = rng.random(n) < 0.10                   # accounts without a product trial
    c = {}
    c["seats_requested"] = _missing(np.round(np.exp(rng.normal(2.3 + 0.5 * fit, 0.8))), rng.random(n) < 0.10)
    c["stakeholders_engaged"] = rng.poisson(np.exp(0.4 + 0.5 * eng + 0.2 * fit))
    c["trial_active_users"] = _missing(rng.poisson(np.exp(1.0 + 0.6 * eng)), no_trial)
    c["integrations_connected"] = rng.poisson(np.exp(-0.3 + 0.6 * eng))
    c["sso_requested"] = (rng.random(n) < _sig(-1.2 + 0.8 * fit)).astype(np.int64)
    c["security_review_started"] = (rng.random(n) < _sig(-1.8 + 0.7 * eng + 0.5 * fit)).astype(np.int64)
    c["icp_match_ratio"] = _missing(np.round(_sig(1.2 * fit + rng.normal(0, 0.5, n)), 4), rng.random(n) < 0.10)
    c["trial_feature_adoption_ratio"] = _missing(np.round(_sig(0.9 * eng + rng.normal(0, 0.7, n)), 4), no_trial)
    scheduled = rng.poisson(3, n) + 1
    attended = rng.binomial(scheduled, _sig(0.6 + 0.8 * eng))
    c["meeting_attendance_ratio"] = _missing(np.round(attended / scheduled, 4), rng.random(n) < 0.10)
    c["budget_coverage_ratio"] = _missing(np.round(_sig(-0.2 + 0.7 * fit + rng.normal(0, 0.8, n)), 4), rng.random(n) < 0.10)
    c["it_spend_growth_12m"] = _missing(np.round(np.clip(rng.normal(0.05 + 0.08 * fit, 0.15), -0.9, 3), 4), rng.random(n) < 0.10)
    amount = np.round(np.clip(np.exp(rng.normal(np.log(25000) + 0.6 * fit, 1.1)), 500, 15_000_000))
    c["opportunity_amount_usd"] = _missing(amount, rng.random(n) < 0.10)
    x = pd.DataFrame(c)

    # The label depends on the observed features (a missing value adds nothing), so each one carries signal.
    z = (0.25 * np.log1p(_zero_if_nan(x["seats_requested"]))
         + 0.35 * np.log1p(x["stakeholders_engaged"])
         + 0.20 * np.log1p(_zero_if_nan(x["trial_active_users"]))
         + 0.30 * np.log1p(x["integrations_connected"])
         + 0.40 * x["sso_requested"] + 0.70 * x["security_review_started"]
         + 1.20 * _zero_if_nan(x["icp_match_ratio"] - 0.5)
         + 1.00 * _zero_if_nan(x["trial_feature_adoption_ratio"] - 0.5)
         + 1.10 * _zero_if_nan(x["meeting_attendance_ratio"] - 0.6)
         + 0.90 * _zero_if_nan(x["budget_coverage_ratio"] - 0.5)
         + 1.50 * _zero_if_nan(x["it_spend_growth_12m"])
         - 0.15 * _zero_if_nan(np.log(x["opportunity_amount_usd"] / 25000))  # big deals close slower
         + rng.logistic(0, 0.6, n))
    y = (z > np.quantile(z, 1 - FIT12_RATE)).astype(np.int64)
    return x, y


# intent-80: lead temperature (classes 0..4: cold, cool, warm, very warm, hot).
INTENT80_SHARES = [0.45, 0.25, 0.15, 0.10, 0.05]
TOPICS = ["cloud_security", "data_warehouse", "crm_migration", "marketing_automation", "sales_enablement",
          "revenue_operations", "customer_success", "ai_assistants", "compliance_audit", "erp_integration",
          "endpoint_management", "observability", "payments", "hr_software", "ecommerce", "devops_tooling"]
PAGES = ["pricing", "docs", "integrations", "security", "case_studies", "careers", "blog", "api_reference",
         "comparison", "roi_calculator", "partners", "changelog", "webinars", "trust_center", "contact_sales", "login"]
CONTENT = ["ebook", "whitepaper", "analyst_report", "buyer_guide", "checklist", "template", "benchmark_report",
           "solution_brief"]
PERSONAS = ["cfo", "cio", "cto", "vp_sales", "vp_marketing", "it_director", "procurement", "end_user"]
CHANNELS = ["linkedin", "search", "display", "youtube", "newsletter", "podcast", "review_site", "partner"]
MEETINGS = ["discovery", "demo", "technical_review", "executive_briefing", "pricing_review", "security_review"]
MODULES = ["analytics", "automation", "billing", "reporting", "api", "mobile", "admin", "workflows"]
DEPTS = ["engineering", "sales", "marketing", "it", "finance", "data"]
TECH = ["salesforce", "hubspot", "snowflake", "aws"]
# Topics the product sells into: surging on them means a live buying cycle.
CORE_TOPICS = {"data_warehouse", "crm_migration", "sales_enablement", "revenue_operations"}
# Per-feature label weights (on log1p of counts, raw flags and ratios); unlisted features weigh nothing directly.
PAGE_W = {"pricing": 0.35, "contact_sales": 0.30, "integrations": 0.25, "security": 0.20, "roi_calculator": 0.20,
          "comparison": 0.20, "docs": 0.10, "trust_center": 0.10, "careers": -0.20, "login": -0.15}
CONTENT_W = {"analyst_report": 0.30, "buyer_guide": 0.30, "benchmark_report": 0.20, "solution_brief": 0.15}
PERSONA_W = {"cfo": 0.30, "procurement": 0.25, "cio": 0.20, "cto": 0.15, "vp_sales": 0.10}
CHANNEL_W = {"linkedin": 2.0, "search": 1.5, "review_site": 1.5, "partner": 1.0, "display": -0.5}
MEETING_W = {"discovery": 0.20, "demo": 0.60, "technical_review": 0.30, "executive_briefing": 0.40,
             "pricing_review": 0.50, "security_review": 0.20}
TECH_W = {"salesforce": 0.30, "snowflake": 0.20, "hubspot": -0.20}


def intent80(n, rng):
    """80 intent, engagement and firmographic features and a 5-class temperature (45/25/15/10/5 %)."""
    eng = rng.normal(size=n)                                  # web and content engagement
    intent = 0.4 * eng + np.sqrt(1 - 0.16) * rng.normal(size=n)  # third-party research intent
    fit = rng.normal(size=n)                                  # firmographic fit
    c = {}
    no_intent_data = rng.random(n) < 0.11
    focus = rng.random((n, len(TOPICS))) < 0.15               # topics the account researches
    for j, t in enumerate(TOPICS):
        lift = (22 if t in CORE_TOPICS else 14) * focus[:, j] * np.exp(0.4 * intent)
        score = np.clip(18 + lift + rng.normal(0, 9, n), 0, 100)
        c[f"topic_{t}_surge_score"] = _missing(np.round(score, 1), no_intent_data)
    for p in PAGES:
        base = 0.6 if p in ("blog", "docs", "login") else 0.25
        c[f"page_{p}_views_14d"] = rng.poisson(base * np.exp(0.8 * eng + 0.2 * rng.normal(size=n)))
    for a in CONTENT:
        c[f"content_{a}_downloaded"] = (rng.random(n) < _sig(-2.4 + 0.7 * eng)).astype(np.int64)
    org_chart_unknown = rng.random(n) < 0.07
    for r in PERSONAS:
        c[f"persona_{r}_contacts"] = _missing(rng.poisson(np.exp(-0.8 + 0.5 * fit + (0.8 if r == "end_user" else 0))),
                                              org_chart_unknown)
    for ch in CHANNELS:
        impressions = rng.poisson(400, n) + 1
        clicks = rng.binomial(impressions, np.clip(0.01 * np.exp(0.4 * eng + rng.normal(0, 0.5, n)), 0, 1))
        c[f"channel_{ch}_ctr_30d"] = _missing(np.round(clicks / impressions, 4), rng.random(n) < 0.09)
    for m in MEETINGS:
        c[f"meeting_{m}_held_90d"] = rng.poisson(0.15 * np.exp(0.6 * eng + 0.5 * intent))
    no_trial = rng.random(n) < 0.13
    for m in MODULES:
        c[f"trial_{m}_events_7d"] = _missing(rng.poisson(np.exp(0.8 + 0.6 * eng + 0.3 * rng.normal(size=n))), no_trial)
    no_hiring_data = rng.random(n) < 0.08
    for d in DEPTS:
        c[f"hiring_{d}_open_roles"] = _missing(rng.poisson(np.exp(0.2 + 0.7 * fit)), no_hiring_data)
    for t in TECH:
        c[f"tech_{t}_installed"] = (rng.random(n) < _sig(-0.8 + 0.5 * fit)).astype(np.int64)
    x = pd.DataFrame(c)

    z = rng.normal(0, 0.6, n)
    for t in TOPICS:
        z += (0.020 if t in CORE_TOPICS else 0.004) * _zero_if_nan(x[f"topic_{t}_surge_score"] - 18)
    for group, weights, fmt in [(PAGES, PAGE_W, "page_{}_views_14d"), (PERSONAS, PERSONA_W, "persona_{}_contacts"),
                                (MEETINGS, MEETING_W, "meeting_{}_held_90d")]:
        for k in group:
            z += weights.get(k, 0.0) * np.log1p(_zero_if_nan(x[fmt.format(k)]))
    for k, w in CONTENT_W.items():
        z += w * x[f"content_{k}_downloaded"]
    for k, w in CHANNEL_W.items():
        z += w * 10 * _zero_if_nan(x[f"channel_{k}_ctr_30d"])
    for k, w in TECH_W.items():
        z += w * x[f"tech_{k}_installed"]
    z += 0.15 * np.log1p(_zero_if_nan(x[[f"trial_{m}_events_7d" for m in MODULES]].sum(axis=1, min_count=1)))
    z += 0.10 * np.log1p(_zero_if_nan(x["hiring_engineering_open_roles"] + x["hiring_data_open_roles"]))
    return x, _classes(np.asarray(z), INTENT80_SHARES)
