export type { LeadScore, LeadScoreValue, ReasonCode, ScoreBatch, ScoreBatchResult, Scorer } from './scorer';
export { InProcessScorer, type InProcessScorerOptions } from './inprocess-scorer';
export { SageMakerScorer, type SageMakerScorerOptions, type ScorerOutcome } from './sagemaker-scorer';
export { createScorerFromEnv, type CreateScorerOptions } from './create-scorer';
export { readScorerConfig, type ScorerConfig } from './scorer-config';
export { toLeadScores } from './lead-scores';
export { ScoringError, ScoringConfigError, ScoringErrorCode, SCORING_ERROR_STATUS } from './errors';
