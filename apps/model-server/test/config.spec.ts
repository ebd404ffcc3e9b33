import { readConfig } from '../src/config';
import { ModelServerError, ModelServerErrorCode } from '../src/errors';

describe('readConfig', () => {
  it('defaults to port 8080 and /opt/ml/model as SageMaker expects', () => {
    expect(readConfig({})).toMatchObject({
      port: 8080,
      modelDir: '/opt/ml/model',
      reloadIntervalMs: 1000,
      host: '0.0.0.0',
    });
  });

  it('prefers SAGEMAKER_BIND_TO_PORT over PORT', () => {
    expect(readConfig({ PORT: '8081', SAGEMAKER_BIND_TO_PORT: '9000' }).port).toBe(9000);
    expect(readConfig({ PORT: '8081' }).port).toBe(8081);
  });

  it('rejects a bad port naming the variable', () => {
    const attempt = () => readConfig({ PORT: 'http' });

    expect(attempt).toThrow(ModelServerError);
    expect(attempt).toThrow(/^PORT: must be a whole number/);
  });

  it('rejects a bad reload interval naming the variable', () => {
    expect(() => readConfig({ MODEL_RELOAD_INTERVAL_MS: '-1' })).toThrow(/MODEL_RELOAD_INTERVAL_MS/);
  });

  it('turns metrics on by default and off with METRICS=off', () => {
    expect(readConfig({}).metrics).toBe(true);
    expect(readConfig({ METRICS: 'on' }).metrics).toBe(true);
    expect(readConfig({ METRICS: 'off' }).metrics).toBe(false);
  });

  it('rejects a METRICS value other than on or off naming the variable', () => {
    expect(() => readConfig({ METRICS: 'yes' })).toThrow('METRICS: must be on or off (got "yes")');
  });
});

describe('model server error catalog', () => {
  it('has unique codes', () => {
    const codes = Object.values(ModelServerErrorCode);

    expect(new Set(codes).size).toBe(codes.length);
  });
});
