/**
 * Group commit: callers that wait for durability share one sync round. A round syncs everything written before
 * it started; a caller arriving while one runs waits for the next, so concurrent requests pay one fsync together.
 *
 * @example
 * const commit = new GroupCommit(() => fdatasync(fd), (err) => markFailed(err));
 * writeSync(fd, frame); await commit.wait();
 */
export class GroupCommit {
  private waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly round: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Resolves once a round that started after this call has completed; rejects if that round failed. */
  wait(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.kick();
    });
  }

  /** Starts a round now, or right after the one running. */
  kick(): void {
    if (this.running) this.again = true;
    else this.run();
  }

  /** Resolves when no round runs and none is due. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private run(): void {
    this.again = false;
    const waiters = this.waiters;
    this.waiters = [];
    this.running = this.round()
      .then(
        () => {
          for (const w of waiters) w.resolve();
        },
        (err: unknown) => {
          this.onError(err);
          for (const w of waiters) w.reject(err);
        },
      )
      .finally(() => {
        this.running = null;
        if (this.again || this.waiters.length > 0) this.run();
      });
  }
}
