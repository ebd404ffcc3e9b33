/** Where a command writes: stdout gets only the JSON result, stderr the progress and messages. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A command's JSON result as printed on stdout. */
export const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Runs `fn` with an AbortSignal that Ctrl-C fires once (a second Ctrl-C kills the process as usual). */
export async function withInterrupt<T>(io: Io, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = (): void => {
    io.stderr('\ninterrupted: stopping (press Ctrl-C again to kill)\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    return await fn(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
