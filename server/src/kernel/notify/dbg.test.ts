import Fastify from 'fastify';
import { it } from 'vitest';
it('x', async () => {
  const app = Fastify();
  app.get('/a', async (req, reply) => { reply.hijack(); reply.raw.writeHead(200, {'content-type':'text/event-stream'}); reply.raw.write('event: ready\ndata: 1\n\n'); req.raw.on('close', () => console.log('TM reqclose', Date.now()-t0)); reply.raw.on('close', () => console.log('TM resclose', Date.now()-t0)); });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const t0 = Date.now();
  const ac = new AbortController();
  const res = await fetch(base + '/a', { signal: ac.signal });
  const r = res.body!.getReader(); await r.read();
  console.log('TM read', Date.now()-t0);
  ac.abort();
  await new Promise((r) => setTimeout(r, 100));
  await app.close();
  console.log('TM closed', Date.now()-t0);
});
