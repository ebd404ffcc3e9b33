import { loadConfig } from '../src/config';
import { configErrorOf } from './support/config-error';

const errorOf = (env: NodeJS.ProcessEnv) => configErrorOf(() => loadConfig(env));

describe('loadConfig', () => {
  it('defaults to port 8080, 1000 rows, 1 MiB, no keys and the demo model', () => {
    const cfg = loadConfig({});
    expect(cfg).toMatchObject({
      port: 8080,
      maxRows: 1000,
      maxExplainRows: 1000,
      maxBodyBytes: 1048576,
      apiKeys: [],
      model: { kind: 'demo' },
      logLevel: 'INFO',
    });
    expect(cfg.workers).toBeGreaterThanOrEqual(1);
  });

  it('prefers MODEL_S3_URI over MODEL_DIR over the demo', () => {
    expect(loadConfig({ MODEL_DIR: '/m', MODEL_S3_URI: 's3://bucket/models/' }).model).toEqual({
      kind: 's3',
      uri: 's3://bucket/models/',
    });
    expect(loadConfig({ MODEL_DIR: '/m' }).model).toEqual({ kind: 'dir', dir: '/m' });
  });

  it('reads MAX_EXPLAIN_ROWS, the most leads one request may ask reason codes for', () => {
    expect(loadConfig({ MAX_EXPLAIN_ROWS: '200' }).maxExplainRows).toBe(200);
  });

  it('splits API_KEYS on commas, trimming blanks', () => {
    expect(loadConfig({ API_KEYS: ' key-aaaaaaaaaaaaaaaa, ,key-bbbbbbbbbbbbbbbb ' }).apiKeys).toEqual([
      'key-aaaaaaaaaaaaaaaa',
      'key-bbbbbbbbbbbbbbbb',
    ]);
  });

  it.each([
    ['PORT', { PORT: '80a' }, 'PORT: must be a whole number'],
    ['PORT', { PORT: '70000' }, 'PORT:'],
    ['WORKERS', { WORKERS: '0' }, 'WORKERS:'],
    ['MAX_ROWS', { MAX_ROWS: '-1' }, 'MAX_ROWS: must be a whole number'],
    ['MAX_EXPLAIN_ROWS', { MAX_EXPLAIN_ROWS: '0' }, 'MAX_EXPLAIN_ROWS:'],
    ['MAX_BODY_BYTES', { MAX_BODY_BYTES: '1e6' }, 'MAX_BODY_BYTES: must be a whole number'],
    ['MODEL_S3_URI', { MODEL_S3_URI: 'https://bucket/x' }, 'MODEL_S3_URI: must look like s3://'],
    ['LOG_LEVEL', { LOG_LEVEL: 'LOUD' }, 'LOG_LEVEL:'],
    ['SCORER', { SCORER: 'magic' }, 'SCORER:'],
  ])('fails fast naming %s', (variable, env, message) => {
    const err = errorOf(env);
    expect(err.variable).toBe(variable);
    expect(err.message).toContain(message);
  });

  it('rejects short API keys without echoing them', () => {
    const err = errorOf({ API_KEYS: 'short-secret' });
    expect(err.variable).toBe('API_KEYS');
    expect(err.message).not.toContain('short-secret');
  });
});
