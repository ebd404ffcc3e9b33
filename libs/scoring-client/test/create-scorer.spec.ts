import { DEMO_BUNDLE_DIR, loadBundle, type ModelBundle } from '@lead-scoring/model-bundle';
import { createScorerFromEnv } from '../src/create-scorer';
import { ScoringConfigError } from '../src/errors';
import { InProcessScorer } from '../src/inprocess-scorer';
import { SageMakerScorer } from '../src/sagemaker-scorer';

let bundle: ModelBundle;

beforeAll(async () => {
  bundle = await loadBundle(DEMO_BUNDLE_DIR);
});

describe('createScorerFromEnv', () => {
  it('builds the in-process scorer by default', () => {
    const scorer = createScorerFromEnv({ bundle, env: {} });

    expect(scorer).toBeInstanceOf(InProcessScorer);
    expect(scorer.model).toEqual({ name: bundle.manifest.name, version: bundle.manifest.version });
  });

  it('builds the SageMaker scorer when SCORER=sagemaker', async () => {
    const env = { SCORER: 'sagemaker', SAGEMAKER_ENDPOINT_NAME: 'lead-scoring', AWS_REGION: 'eu-west-1' };

    const scorer = createScorerFromEnv({ bundle, env });

    expect(scorer).toBeInstanceOf(SageMakerScorer);
    expect(scorer.kind).toBe('sagemaker');
    await scorer.close();
  });

  it('fails fast naming the missing variable', () => {
    const attempt = () => createScorerFromEnv({ bundle, env: { SCORER: 'sagemaker', AWS_REGION: 'eu-west-1' } });

    expect(attempt).toThrow(ScoringConfigError);
    expect(attempt).toThrow(/SAGEMAKER_ENDPOINT_NAME: is required when SCORER=sagemaker/);
  });
});
