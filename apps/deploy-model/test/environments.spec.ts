import { readFileSync } from 'node:fs';
import { defaultEnvironmentsFile, readAppConfig } from '../src/app-config';
import { imageUriOf, parseEnvironments } from '../src/environments';
import { DeployErrorCode } from '../src/errors';
import { xgboostImageUri } from '../src/xgboost-image';

const checkedIn = (): Record<string, unknown> =>
  JSON.parse(readFileSync(defaultEnvironmentsFile(), 'utf8')) as Record<string, unknown>;

describe('environments', () => {
  it('validates the checked-in staging and prod environments', () => {
    const envs = parseEnvironments(readFileSync(defaultEnvironmentsFile(), 'utf8'), 'environments.json');
    expect(Object.keys(envs).sort()).toEqual(['prod', 'staging']);
    expect(envs['staging']!.endpointName).toBe('lead-scoring-staging');
    expect(envs['prod']!.endpointName).toBe('lead-scoring-prod');
  });

  it('resolves the region XGBoost 1.7-1 image, and the BYOC image as given', () => {
    const envs = parseEnvironments(readFileSync(defaultEnvironmentsFile(), 'utf8'), 'environments.json');
    expect(imageUriOf(envs['staging']!)).toBe('141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(xgboostImageUri('us-east-1')).toBe('683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    expect(xgboostImageUri('cn-north-1')).toBe(
      '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1',
    );
    const byoc = checkedIn();
    (byoc['staging'] as Record<string, unknown>)['image'] = {
      type: 'byoc',
      uri: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/lead-scoring-model-server:1.0.0',
    };
    expect(imageUriOf(parseEnvironments(JSON.stringify(byoc), 'x')['staging']!)).toMatch(
      /lead-scoring-model-server:1\.0\.0$/,
    );
  });

  it('names every problem of a malformed environment with its path', () => {
    const bad = checkedIn();
    const staging = bad['staging'] as Record<string, unknown>;
    staging['instanceCount'] = 0;
    staging['roleArn'] = 'admin';
    (staging['autoscaling'] as Record<string, unknown>)['maxCapacity'] = 0;
    expect(() => parseEnvironments(JSON.stringify(bad), 'environments.json')).toThrow(
      /staging\.roleArn[\s\S]*staging\.instanceCount[\s\S]*staging\.autoscaling/,
    );
  });

  it('refuses an unknown key and an XGBoost image in a region it does not know', () => {
    const bad = checkedIn();
    (bad['prod'] as Record<string, unknown>)['instanceTyp'] = 'ml.m5.large';
    expect(() => parseEnvironments(JSON.stringify(bad), 'environments.json')).toThrow(/instanceTyp/);
    const mars = checkedIn();
    (mars['prod'] as Record<string, unknown>)['region'] = 'mars-north-1';
    expect(() => parseEnvironments(JSON.stringify(mars), 'environments.json')).toThrow(
      /no XGBoost image known in mars-north-1/,
    );
  });

  it('reads flag > environment variable > default, and names a malformed variable', () => {
    expect(readAppConfig({ configFlag: 'a.json' }, { DEPLOY_MODEL_ENVIRONMENTS: 'b.json' }).environmentsFile).toBe(
      'a.json',
    );
    expect(readAppConfig({}, { DEPLOY_MODEL_ENVIRONMENTS: 'b.json' }).environmentsFile).toBe('b.json');
    expect(readAppConfig({}, {}).pollSeconds).toBe(15);
    expect(() => readAppConfig({}, { DEPLOY_MODEL_POLL_SECONDS: 'soon' })).toThrow(/DEPLOY_MODEL_POLL_SECONDS/);
  });

  it('has unique error codes', () => {
    const codes = Object.values(DeployErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
