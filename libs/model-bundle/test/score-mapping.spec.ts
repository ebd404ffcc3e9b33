import { mapScore } from '../src/score-mapping';
import type { ScoreMapping } from '../src/manifest';

const classes = { score_mapping: { type: 'class_plus_one' } as ScoreMapping };
const cuts = { score_mapping: { type: 'probability_cutpoints', cutpoints: [0.2, 0.4, 0.6, 0.8] } as ScoreMapping };

describe('mapScore', () => {
  it('scores a softprob row as its most probable class + 1', () => {
    expect(mapScore(classes, [0.1, 0.2, 0.6, 0.05, 0.05], 0, 5)).toBe(3);
    expect(mapScore(classes, [0.9, 0.1, 0, 0, 0], 0, 5)).toBe(1);
    expect(mapScore(classes, [0, 0, 0, 0.1, 0.9], 0, 5)).toBe(5);
  });

  it('reads the row at its offset in a batch', () => {
    const batch = Float64Array.from([0.9, 0.1, 0, 0, 0, 0, 0, 0, 0.7, 0.3]);

    expect(mapScore(classes, batch, 0, 5)).toBe(1);
    expect(mapScore(classes, batch, 5, 5)).toBe(4);
  });

  it('breaks ties towards the lower class, as numpy argmax does', () => {
    expect(mapScore(classes, [0.1, 0.4, 0.4, 0.05, 0.05], 0, 5)).toBe(2);
  });

  it('scores a softmax class index as index + 1', () => {
    expect(mapScore(classes, [0, 4, 2], 1, 1)).toBe(5);
    expect(mapScore(classes, [0, 4, 2], 2, 1)).toBe(3);
    expect(mapScore(classes, [0], 0, 1)).toBe(1);
  });

  it('scores a probability as 1 + the number of cutpoints at or below it', () => {
    expect([0, 0.19, 0.2, 0.39, 0.4, 0.6, 0.79, 0.8, 1].map((p) => mapScore(cuts, [p], 0, 1))).toEqual([
      1, 1, 2, 2, 3, 4, 4, 5, 5,
    ]);
  });

  it('scores a class by its entry in class_scores, for any class count', () => {
    const three = { score_mapping: { type: 'class_scores', scores: [1, 3, 5] } as ScoreMapping };

    expect(mapScore(three, [0.2, 0.5, 0.3], 0, 3)).toBe(3);
    expect(mapScore(three, [0.1, 0.1, 0.8], 0, 3)).toBe(5);
    expect(mapScore(three, [2], 0, 1)).toBe(5);
  });

  it('scores any single prediction by thresholds, ties at a threshold going up', () => {
    const thresholds = { score_mapping: { type: 'thresholds', thresholds: [-1, 0, 0, 10] } as ScoreMapping };

    expect([-5, -1, -0.5, 0, 9.9, 10, 1e9].map((p) => mapScore(thresholds, [p], 0, 1))).toEqual([1, 2, 2, 4, 4, 5, 5]);
  });

  it('never leaves 1..5, even on NaN or out-of-range input', () => {
    expect(mapScore(classes, [Number.NaN], 0, 1)).toBe(1);
    expect(mapScore(classes, [9], 0, 1)).toBe(5);
    expect(mapScore(cuts, [Number.NaN], 0, 1)).toBe(1);
  });
});
