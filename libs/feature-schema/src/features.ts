/** What a feature measures, which also tells the synthetic generator how to draw it. */
export type FeatureKind = 'count' | 'ratio' | 'flag' | 'days' | 'amount' | 'score' | 'index';

/** One model input: its name, meaning and the values a request may carry for it. */
export interface FeatureSpec {
  /** snake_case name, unique; the position in {@link FEATURES} is the model's column. */
  name: string;
  description: string;
  /** Unit of measure, e.g. `visits`, `days`, `USD millions`, `0..1`. */
  unit: string;
  kind: FeatureKind;
  /** Smallest valid value (inclusive). */
  min: number;
  /** Largest valid value (inclusive). */
  max: number;
  /** Whether `null` (missing) is a valid value; XGBoost routes missing values down each tree's default branch. */
  allowMissing: boolean;
  /** Whether only whole numbers are valid. */
  integer: boolean;
}

type Spec = FeatureSpec;
const f = (
  name: string,
  kind: FeatureKind,
  unit: string,
  range: readonly [number, number],
  description: string,
  opts: { missing?: boolean; integer?: boolean } = {},
): Spec => ({
  name,
  description,
  unit,
  kind,
  min: range[0],
  max: range[1],
  allowMissing: opts.missing ?? false,
  integer: opts.integer ?? (kind === 'count' || kind === 'flag' || kind === 'days' || kind === 'index'),
});
const count = (name: string, unit: string, max: number, description: string, missing = false): Spec =>
  f(name, 'count', unit, [0, max], description, { missing });
const flag = (name: string, description: string, missing = false): Spec =>
  f(name, 'flag', '0/1', [0, 1], description, { missing });
const days = (name: string, description: string): Spec =>
  f(name, 'days', 'days', [0, 3650], `${description} Missing when it never happened.`, { missing: true });
const share = (name: string, description: string): Spec =>
  f(name, 'ratio', '0..1', [0, 1], `${description} Missing when the denominator is zero.`, { missing: true });

/**
 * The 50 lead features in model column order. Never reorder: models and clients index by position.
 *
 * @example
 * const col = FEATURES.findIndex((s) => s.name === 'web_visits_30d'); // 9
 */
export const FEATURES: readonly FeatureSpec[] = Object.freeze([
  // Firmographics (enrichment data: any of it may be unknown).
  f('company_employees', 'count', 'employees', [1, 500_000], 'Headcount of the lead\'s company.', { missing: true }),
  f('annual_revenue_usd_m', 'amount', 'USD millions', [0, 100_000], 'Annual revenue of the company.', { missing: true }),
  f('industry_index', 'index', 'category', [0, 19], 'Industry category code (0..19, see the CRM taxonomy).', { missing: true }),
  f('country_tier', 'index', 'tier', [1, 4], 'Market tier of the company\'s country: 1 = core market .. 4 = unserved.', { missing: true }),
  f('years_in_business', 'count', 'years', [0, 200], 'Years since the company was founded.', { missing: true }),
  f('tech_stack_fit_score', 'score', 'points 0..100', [0, 100], 'How well the company\'s technology stack fits the product.', { missing: true }),
  f('headcount_growth_12m', 'ratio', 'fraction', [-1, 5], 'Headcount growth over 12 months (0.1 = +10%).', { missing: true }),
  flag('is_target_account', 'The account is on the named target-account list.'),
  // Engagement (first-party tracking: zero when nothing happened).
  count('web_visits_7d', 'visits', 500, 'Website sessions in the last 7 days.'),
  count('web_visits_30d', 'visits', 2000, 'Website sessions in the last 30 days.'),
  f('pages_per_visit', 'ratio', 'pages/visit', [0, 100], 'Average pages viewed per session (30 days). Missing without visits.', { missing: true }),
  f('avg_time_on_site_sec', 'amount', 'seconds', [0, 7200], 'Average session duration (30 days). Missing without visits.', { missing: true }),
  count('email_opens_30d', 'opens', 500, 'Marketing email opens in the last 30 days.'),
  count('email_clicks_30d', 'clicks', 500, 'Marketing email link clicks in the last 30 days.'),
  share('email_open_rate_90d', 'Opened / delivered marketing emails over 90 days.'),
  share('email_click_rate_90d', 'Clicked / delivered marketing emails over 90 days.'),
  share('click_to_open_rate_90d', 'Clicked / opened marketing emails over 90 days.'),
  count('form_fills_90d', 'submissions', 100, 'Web form submissions in the last 90 days.'),
  count('webinars_attended_90d', 'webinars', 50, 'Webinars attended in the last 90 days.'),
  count('content_downloads_90d', 'downloads', 200, 'Gated content downloads (e-books, reports) in the last 90 days.'),
  flag('demo_requested', 'The lead requested a product demo.'),
  count('pricing_page_views_30d', 'views', 500, 'Pricing page views in the last 30 days.'),
  count('case_study_views_30d', 'views', 200, 'Case study page views in the last 30 days.'),
  flag('free_trial_signup', 'The lead signed up for a free trial.'),
  count('product_page_views_30d', 'views', 1000, 'Product page views in the last 30 days.'),
  count('social_engagements_30d', 'interactions', 500, 'Likes, shares and comments on company social posts (30 days).'),
  count('events_attended_12m', 'events', 50, 'Trade shows and field events attended in the last 12 months.'),
  // Recency.
  days('days_since_last_visit', 'Days since the last website session.'),
  days('days_since_last_email_open', 'Days since the last marketing email open.'),
  days('days_since_last_form_fill', 'Days since the last form submission.'),
  days('days_since_first_touch', 'Days since the lead\'s first recorded interaction.'),
  days('days_since_last_sales_touch', 'Days since the last call, email or meeting by sales.'),
  // Campaigns.
  count('campaign_touches_90d', 'touches', 500, 'Marketing campaign touches in the last 90 days.'),
  count('distinct_campaigns_90d', 'campaigns', 100, 'Distinct campaigns that touched the lead in the last 90 days.'),
  count('paid_ad_clicks_30d', 'clicks', 500, 'Paid search and social ad clicks in the last 30 days.'),
  // Intent (third-party data: may be unavailable).
  f('intent_score', 'score', 'points 0..100', [0, 100], 'Third-party buyer intent score of the account.', { missing: true }),
  count('intent_topics_surging', 'topics', 50, 'Intent topics currently surging for the account.', true),
  flag('intent_surge_category', 'The account surges on the product category topic.', true),
  flag('intent_surge_pricing', 'The account surges on pricing and vendor comparison topics.', true),
  flag('competitor_research', 'The account researches competitors\' products.', true),
  // Ratios.
  f('engagement_trend_ratio', 'ratio', 'ratio', [0, 50], 'Visits in 7 days over the weekly average of 30 days (>1 = accelerating). Missing without visits.', { missing: true }),
  share('mobile_visit_share', 'Share of sessions from mobile devices (30 days).'),
  share('contacts_engaged_ratio', 'Engaged contacts over known contacts at the account.'),
  // Flags.
  flag('is_decision_maker', 'The lead\'s title indicates purchasing authority.', true),
  flag('has_budget_flag', 'Budget confirmed by sales qualification.', true),
  flag('existing_customer', 'The account already buys another product.'),
  // CRM.
  count('sales_touches_90d', 'touches', 500, 'Sales activities logged in the CRM in the last 90 days.'),
  count('opportunity_count', 'opportunities', 100, 'Open and past opportunities on the account.'),
  f('lead_source_index', 'index', 'category', [0, 11], 'Lead source code (0 = organic .. 11 = partner referral).'),
  f('contacts_at_account', 'count', 'contacts', [1, 10_000], 'Contacts known in the CRM at the lead\'s account.'),
] satisfies Spec[]);

/** Number of model inputs. */
export const NUM_FEATURES = 50;

/** Feature names in model column order. */
export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURES.map((s) => s.name));

/** Column index of each feature name. */
export const FEATURE_INDEX: ReadonlyMap<string, number> = new Map(FEATURE_NAMES.map((n, i) => [n, i]));
