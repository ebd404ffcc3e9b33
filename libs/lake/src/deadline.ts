/** The error a call cut off by its deadline rejects with. */
export class DeadlineError extends Error {
  constructor(what: string) {
    super(`${what}: deadline reached`);
    this.name = 'DeadlineError';
  }
}

/**
 * Runs `call` with an AbortSignal that fires at `deadline` (epoch ms), and rejects with a DeadlineError then
 * even if the call ignores the signal. `Infinity` runs it unbounded (no signal).
 *
 * @example
 * await withDeadline(Date.now() + 500, 'PutObject', (signal) => s3.send(cmd, { abortSignal: signal }));
 */
export async function withDeadline<T>(
  deadline: number,
  what: string,
  call: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (deadline === Infinity) return call(undefined);
  const left = deadline - Date.now();
  if (left <= 0) throw new DeadlineError(what);
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineError(what));
    }, left);
  });
  try {
    return await Promise.race([call(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
