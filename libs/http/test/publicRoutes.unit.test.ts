import { afterEach, describe, expect, it } from 'vitest';
import { buildServiceApp, generateApiKey, hashApiKey, type ServiceApp } from '../src/index.ts';

const bureauKey = generateApiKey();
const apiKeys = [{ id: 'bureau-1', role: 'bureau' as const, sha256: hashApiKey(bureauKey) }];

let app: ServiceApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function build(): Promise<ServiceApp> {
  app = await buildServiceApp({ name: 'test', apiKeys, logLevel: 'silent', defaultMetrics: false });
  return app;
}

describe("roles: 'public' routes", () => {
  it('serve GET and HEAD without a key, and ignore a wrong key', async () => {
    const a = await build();
    a.get('/static/app.js', { config: { roles: 'public' } }, async () => 'console.log(1)');
    expect((await a.inject({ method: 'GET', url: '/static/app.js' })).body).toBe('console.log(1)');
    expect((await a.inject({ method: 'HEAD', url: '/static/app.js' })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/static/app.js', headers: { 'x-api-key': 'wrong' } })).statusCode).toBe(200);
  });

  it('cannot be declared on a method other than GET or HEAD', async () => {
    const a = await build();
    expect(() => a.post('/static/upload', { config: { roles: 'public' } }, async () => 'no')).toThrow(/cannot be public/);
    expect(() => a.route({ method: ['GET', 'DELETE'], url: '/static/x', config: { roles: 'public' }, handler: async () => 'no' })).toThrow(/DELETE/);
  });

  it('leave every other route authenticated, including unknown URLs and other methods on a public path', async () => {
    const a = await build();
    a.get('/static/app.js', { config: { roles: 'public' } }, async () => 'js');
    a.post('/static/app.js', { config: { roles: ['bureau'] } }, async () => 'posted');
    expect((await a.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(401);
    expect((await a.inject({ method: 'GET', url: '/static/missing.js' })).statusCode).toBe(401);
    expect((await a.inject({ method: 'POST', url: '/static/app.js' })).statusCode).toBe(401);
    expect((await a.inject({ method: 'POST', url: '/static/app.js', headers: { authorization: `Bearer ${bureauKey}` } })).body).toBe('posted');
  });
});
