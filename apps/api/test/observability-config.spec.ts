import { loadObservabilityConfig } from '../src/observability-config';
import { configErrorOf } from './support/config-error';

const errorOf = (env: NodeJS.ProcessEnv) => configErrorOf(() => loadObservabilityConfig(env, 'local'));

describe('loadObservabilityConfig', () => {
  it('defaults to metrics, a required Parquet lake in ./var/lake synced every 20 ms, published within 5 minutes, kept 30 days', () => {
    expect(loadObservabilityConfig({}, 'local')).toMatchObject({
      metrics: true,
      lake: 'parquet',
      lakeDir: './var/lake',
      lakeSync: 'interval',
      lakeSyncMs: 20,
      lakeRequired: true,
      lakePublishMs: 300_000,
      lakeRetentionDays: 30,
      driftWindow: 10_000,
    });
  });

  it('syncs before every answer with LAKE_SYNC=always and scores unrecordable leads with LAKE_REQUIRED=off', () => {
    expect(loadObservabilityConfig({ LAKE_SYNC: 'always', LAKE_REQUIRED: 'off' }, 'local')).toMatchObject({
      lakeSync: 'always',
      lakeRequired: false,
    });
  });

  it('keeps the lake off in Lambda unless a Firehose stream is named', () => {
    expect(loadObservabilityConfig({}, 'lambda').lake).toBe('off');
    expect(loadObservabilityConfig({ FIREHOSE_STREAM_NAME: 'scores' }, 'lambda').lake).toBe('firehose');
  });

  it.each([
    ['LAKE_SYNC', { LAKE_SYNC: 'sometimes' }],
    ['LAKE_SYNC_MS', { LAKE_SYNC_MS: '0' }],
    ['LAKE_REQUIRED', { LAKE_REQUIRED: 'yes' }],
    ['LAKE_RETENTION_DAYS', { LAKE_RETENTION_DAYS: '-1' }],
    ['DRIFT_WINDOW', { DRIFT_WINDOW: '10' }],
    ['FIREHOSE_STREAM_NAME', { LAKE: 'firehose' }],
  ])('fails fast naming %s', (variable, env) => {
    expect(errorOf(env).variable).toBe(variable);
  });
});
