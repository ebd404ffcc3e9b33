import { BundleError, BundleErrorCode } from '../src/errors';

describe('BundleError', () => {
  it('has unique, prefixed error codes', () => {
    const codes = Object.values(BundleErrorCode);

    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code.startsWith('BUNDLE_')).toBe(true);
  });

  it('keeps its code, name and cause', () => {
    const cause = new Error('disk');

    const err = new BundleError(BundleErrorCode.NOT_FOUND, 'gone', { cause });

    expect(err).toBeInstanceOf(Error);
    expect([err.code, err.name, err.message, err.cause]).toEqual(['BUNDLE_NOT_FOUND', 'BundleError', 'gone', cause]);
  });
});
