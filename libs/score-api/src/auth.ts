import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Builds the `x-api-key` check. With no keys configured every request passes. Keys are compared as
 * SHA-256 digests with `timingSafeEqual`, against every configured key without stopping early, so
 * neither the key's length nor how many characters match (nor which key matched) shows in the timing.
 *
 * @example
 * const allowed = createApiKeyCheck(['k1', 'k2']);
 * allowed('k2'); // true
 */
export function createApiKeyCheck(keys: readonly string[]): (presented: string | undefined) => boolean {
  if (keys.length === 0) return () => true;
  const digests = keys.map(sha256);
  return (presented) => {
    const candidate = sha256(presented ?? '');
    let ok = 0;
    for (const d of digests) ok |= timingSafeEqual(d, candidate) ? 1 : 0;
    return ok === 1 && presented !== undefined && presented !== '';
  };
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}
