import { ConfigError } from '../../src/config';

/** The ConfigError that `load()` throws; fails the test if it returns or throws something else. */
export function configErrorOf(load: () => unknown): ConfigError {
  try {
    load();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}
