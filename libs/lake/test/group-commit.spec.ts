import { GroupCommit } from '../src/group-commit';

describe('GroupCommit', () => {
  it('lets concurrent waiters share one round, and starts the next for those arriving meanwhile', async () => {
    let rounds = 0;
    let release: () => void = () => undefined;
    const commit = new GroupCommit(
      () =>
        new Promise<void>((r) => {
          rounds++;
          release = r;
        }),
      () => undefined,
    );

    const first = commit.wait();
    const second = commit.wait();
    const third = commit.wait();
    release();
    await first;
    await new Promise((r) => setImmediate(r)); // the next round starts once this one has settled
    release();
    await Promise.all([second, third]);

    expect(rounds).toBe(2);
  });

  it('rejects the waiters of a failed round and reports the failure', async () => {
    const failures: unknown[] = [];
    const commit = new GroupCommit(
      () => Promise.reject(new Error('EIO')),
      (err) => failures.push(err),
    );

    await expect(commit.wait()).rejects.toThrow('EIO');
    expect(failures).toHaveLength(1);
  });
});
