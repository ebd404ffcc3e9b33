import { loadObservabilityConfig } from '../src/observability-config';
import { configErrorOf } from './support/config-error';

const errorOf = (env: NodeJS.ProcessEnv) => configErrorOf(() => loadObservabilityConfig(env, 'local'));

describe('loadObservabilityConfig', () => {
  it('defaults to metrics, a Parquet lake in ./var/lake written with O_DIRECT, and a 10,000-row drift window', () => {
    expect(loadObservabilityConfig({}, 'local')).toMatchObject({
      metrics: true, lake: 'parquet', lakeDir: './var/lake', lakeDirectIo: true, flushRecords: 10_000, driftWindow: 10_000,
    });
  });

  it('writes the lake through the page cache with LAKE_DIRECT_IO=off', () => {
    expect(loadObservabilityConfig({ LAKE_DIRECT_IO: 'off' }, 'local').lakeDirectIo).toBe(false);
  });

  it('keeps the lake off in Lambda unless a Firehose stream is named', () => {
    expect(loadObservabilityConfig({}, 'lambda').lake).toBe('off');
    expect(loadObservabilityConfig({ FIREHOSE_STREAM_NAME: 'scores' }, 'lambda').lake).toBe('firehose');
  });

  it.each([
    ['LAKE_DIRECT_IO', { LAKE_DIRECT_IO: 'yes' }],
    ['DRIFT_WINDOW', { DRIFT_WINDOW: '10' }],
    ['FIREHOSE_STREAM_NAME', { LAKE: 'firehose' }],
  ])('fails fast naming %s', (variable, env) => {
    expect(errorOf(env).variable).toBe(variable);
  });
});
