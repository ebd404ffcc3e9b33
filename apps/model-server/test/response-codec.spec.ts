import { formatPredictions, requestMediaType, responseMediaType } from '../src/response-codec';

describe('media types', () => {
  it('takes a missing Content-Type as CSV and ignores parameters', () => {
    expect(requestMediaType(undefined)).toBe('text/csv');
    expect(requestMediaType('application/json; charset=utf-8')).toBe('application/json');
  });

  it('rejects an unsupported Content-Type with 415', () => {
    expect(() => requestMediaType('text/libsvm')).toThrow(expect.objectContaining({ status: 415 }));
  });

  it('answers in the request type when Accept is absent or a wildcard', () => {
    expect(responseMediaType(undefined, 'application/json')).toBe('application/json');
    expect(responseMediaType('*/*', 'text/csv')).toBe('text/csv');
  });

  it('picks the first supported type in Accept', () => {
    expect(responseMediaType('application/xml, application/json;q=0.9', 'text/csv')).toBe('application/json');
  });

  it('rejects an unsupported Accept with 406', () => {
    expect(() => responseMediaType('application/xml', 'text/csv')).toThrow(expect.objectContaining({ status: 406 }));
  });
});

describe('formatPredictions', () => {
  const probs = new Float64Array([0.25, 0.75, 0.5, 0.5]);

  it('writes CSV one line per row', () => {
    expect(formatPredictions(probs, { nRows: 2, width: 2, type: 'text/csv' })).toBe('0.25,0.75\n0.5,0.5\n');
  });

  it('writes JSON with an array per row for several values and a number per row for one', () => {
    expect(JSON.parse(formatPredictions(probs, { nRows: 2, width: 2, type: 'application/json' }))).toEqual({
      predictions: [
        [0.25, 0.75],
        [0.5, 0.5],
      ],
    });
    expect(JSON.parse(formatPredictions(probs, { nRows: 4, width: 1, type: 'application/json' }))).toEqual({
      predictions: [0.25, 0.75, 0.5, 0.5],
    });
  });
});
