import { createServer } from 'node:net';
import { freePort, ROOT, runCli, startTsx, waitFor200 } from '../src/index';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('testing support', () => {
  it('finds the workspace root by its nx.json', () => {
    expect(existsSync(join(ROOT, 'nx.json'))).toBe(true);
  });

  it('hands out a port that can be listened on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect((server.address() as { port: number }).port).toBe(port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('runs a CLI and reports its exit code, stdout and stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'testing-'));
    try {
      const main = join(dir, 'cli.js');
      writeFileSync(
        main,
        'process.stdout.write(process.argv.slice(2).join(" ")); process.stderr.write("bad"); process.exit(3);',
      );
      const r = await runCli(main, ['a', 'b']);
      expect(r).toEqual({ code: 3, stdout: 'a b', stderr: 'bad' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails the wait with the output of a child that exits before it is up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'testing-'));
    try {
      writeFileSync(join(dir, 'dies.ts'), 'console.error("no model"); process.exit(1);');
      const child = startTsx(join(dir, 'dies.ts'));
      const port = await freePort();
      await expect(waitFor200(`http://127.0.0.1:${port}/ready`, child, 20_000)).rejects.toThrow(/no model/);
      await child.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
