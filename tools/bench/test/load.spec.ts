import { createServer, type Server } from 'node:http';
import { postLoad } from '../src/index';

async function serve(status: number): Promise<{ server: Server; url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/score`, bodies };
}

describe('postLoad', () => {
  it('posts a fresh body for each request when given a generator', async () => {
    const { server, url, bodies } = await serve(200);
    let n = 0;
    try {
      const r = await postLoad({ url, nextBody: () => JSON.stringify([[n++]]), connections: 1, duration: 1, rate: 20 });
      expect(r.requests.total).toBeGreaterThan(0);
      expect(new Set(bodies).size).toBe(bodies.length);
    } finally {
      server.close();
    }
  });

  it('fails when the server answers anything but 2xx, naming the URL and the count', async () => {
    const { server, url } = await serve(503);
    try {
      await expect(postLoad({ url, body: '[]', connections: 1, duration: 1, rate: 20 })).rejects.toThrow(
        /non-2xx answers/,
      );
    } finally {
      server.close();
    }
  });
});
