import { Match } from 'aws-cdk-lib/assertions';
import { getEnvironment } from '../src/config/environments';
import { EnvironmentSchema } from '../src/config/schema';
import { synthesize } from './support/synth';

const staging = getEnvironment('staging');
const uri = `s3://${staging.buckets.models}/models/lead-scoring-demo/2.0.0/model.tar.gz`;

describe('the shadow model of the Lambda', () => {
  it('sets SHADOW_MODEL_S3_URI and lets the function read exactly that artefact', () => {
    const app = synthesize([{ ...staging, lambda: { ...staging.lambda, shadowModelS3Uri: uri } }]);
    try {
      const t = app.template('staging');

      t.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ SHADOW_MODEL_S3_URI: uri }) },
      });
      const policies = JSON.stringify(t.findResources('AWS::IAM::Policy'));
      expect(policies).toContain(`${staging.buckets.models}/models/lead-scoring-demo/2.0.0/model.tar.gz`);
      expect(policies).toContain('kms:Decrypt');
    } finally {
      app.cleanup();
    }
  });

  it('has no shadow variable without a shadow model', () => {
    const app = synthesize([staging]);
    try {
      const vars = Object.values(app.template('staging').findResources('AWS::Lambda::Function')).map((f) =>
        JSON.stringify(f),
      );
      expect(vars.some((v) => v.includes('SHADOW_MODEL_S3_URI'))).toBe(false);
    } finally {
      app.cleanup();
    }
  });

  it("refuses a shadow artefact outside the environment's models bucket", () => {
    const parsed = EnvironmentSchema.safeParse({
      ...staging,
      lambda: { ...staging.lambda, shadowModelS3Uri: 's3://someone-else/models/x/1/model.tar.gz' },
    });

    expect(parsed.success ? [] : parsed.error.issues.map((i) => i.message)).toEqual([
      `must be in the models bucket s3://${staging.buckets.models}/`,
    ]);
  });
});
