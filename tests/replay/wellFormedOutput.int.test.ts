import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildApiApp } from '@dgt/api';
import Database from 'better-sqlite3';
import { auditStream, type DgtEvent } from '@dgt/events';
import { openSqliteEventStore, streamFor } from '@dgt/eventstore';
import { generateApiKey, hashApiKey, type ServiceApp } from '@dgt/http';
import { createMemoryReadModelStore, defaultComplianceRules } from '@dgt/readmodels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDgt } from '../src/runDgt.ts';
import { scenarioEvents } from './support/scenarioEvents.ts';
import { tempDir } from './support/seedStore.ts';

/*
 * A store written before ingest refused lone surrogates holds them as `\udXXX` escapes in its
 * JSON text (a plate cut mid-character by a terminal, a zone name pasted from a broken export).
 * Everything written from it must still be well-formed UTF-8 JSON that a strict parser takes.
 */

const LONE = '\\ud800';
let dir: string;
let path: string;

beforeAll(async () => {
  dir = tempDir('dgt-wellformed-');
  path = join(dir, 'events.sqlite');
  const events: DgtEvent[] = scenarioEvents('02-parked-laden-roadside-25min').map((e) => {
    if (e.type === 'ZoneDesignated') return { ...e, data: { ...e.data, name: `${e.data.name} MARK` } } as DgtEvent;
    if (e.type === 'VehiclePositionReported') return { ...e, eventId: `${e.eventId}-MARK` };
    return e;
  });
  const store = openSqliteEventStore({ path });
  for (const e of events) await store.append(streamFor(e), [e]);
  await store.close();
  // As an older version stored them: the escape of half a surrogate pair in the JSON text.
  const db = new Database(path);
  const changed = db.prepare(`UPDATE events SET json = replace(json, 'MARK', ?)`).run(LONE).changes;
  db.close();
  expect(changed).toBeGreaterThan(10);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Strict UTF-8, and no escape that decodes to half a surrogate pair. */
function expectStrictJson(text: string, label: string): void {
  expect([label, /(?<!\\)(?:\\\\)*\\u[dD][89a-fA-F][0-9a-fA-F]{2}/.test(text)]).toEqual([label, false]);
  JSON.parse(text);
}

function expectStrictBytes(bytes: Buffer, label: string, ndjson: boolean): void {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  for (const doc of ndjson ? text.split('\n').filter((l) => l.trim() !== '') : [text]) expectStrictJson(doc, label);
}

const python = spawnSync('python3', ['--version']).status === 0;

/** Python's json module on the bytes, then every string re-encoded as UTF-8: refuses any lone surrogate. */
function expectPythonAccepts(files: string[]): void {
  const script = `
import json, sys
def walk(o):
    if isinstance(o, str): o.encode('utf-8')
    elif isinstance(o, list): [walk(x) for x in o]
    elif isinstance(o, dict): [(walk(k), walk(v)) for k, v in o.items()]
for path in sys.argv[1:]:
    text = open(path, 'rb').read().decode('utf-8')
    docs = [l for l in text.split('\\n') if l.strip()] if path.endswith('.ndjson') else [text]
    for d in docs: walk(json.loads(d))
print('ok', len(sys.argv) - 1)
`;
  const r = spawnSync('python3', ['-c', script, ...files], { encoding: 'utf8' });
  expect([r.status, r.stderr]).toEqual([0, '']);
}

describe('well-formed UTF-8 JSON from a store holding lone surrogates', () => {
  it('dgt replay writes report.json (and the audit record) strictly well-formed; an export replays to the same digest', async () => {
    const out = join(dir, 'report');
    const replay = await runDgt(['replay', '--store', path, '--out', out, '--format', 'json', '--quiet']);
    expect(replay.stderr).toBe('');
    expect(replay.code).toBe(0);
    const report = readFileSync(join(out, 'report.json'));
    expectStrictBytes(report, 'report.json', false);
    expectStrictBytes(Buffer.from(replay.stdout), 'stdout', false);
    expect(report.toString()).toContain('\uFFFD');
    // The files name vehicles and waybills: owner-only.
    for (const f of ['report.json', 'report.html', 'violations.csv', 'advisories.csv']) expect([f, statSync(join(out, f)).mode & 0o777]).toEqual([f, 0o600]);

    const exportFile = join(dir, 'export.ndjson');
    expect((await runDgt(['export', '--store', path, '--out', exportFile, '--quiet'])).code).toBe(0);
    expectStrictBytes(readFileSync(exportFile), 'export', true);
    expect(statSync(exportFile).mode & 0o777).toBe(0o600);
    const recheck = await runDgt(['replay', '--input', exportFile, '--format', 'json', '--quiet']);
    expect(recheck.code).toBe(0);
    expect((JSON.parse(recheck.stdout) as { digest: unknown }).digest).toEqual((JSON.parse(report.toString()) as { digest: unknown }).digest);

    const db = new Database(path, { readonly: true });
    const audit = db.prepare('SELECT json FROM events WHERE stream_id = ?').all(auditStream) as { json: string }[];
    db.close();
    expect(audit).toHaveLength(1);
    expectStrictJson(audit[0]!.json, 'audit record');

    if (python) expectPythonAccepts([join(out, 'report.json'), exportFile]);
  });

  it('POST /v1/audits answers strictly well-formed JSON (the replay runs in a worker on this file)', async () => {
    const key = generateApiKey();
    const store = openSqliteEventStore({ path });
    let app: ServiceApp | undefined;
    try {
      app = await buildApiApp({
        config: {
          port: 0, host: '127.0.0.1', apiKeys: [{ id: 'team', role: 'enforcement', sha256: hashApiKey(key) }], eventStore: { kind: 'sqlite', path }, readModels: { kind: 'memory' },
          bus: { brokers: [], clientId: 't', topics: {} }, auditReportsKept: 2, audits: { running: 1, queued: 0 }, rateLimitPerMinute: 1000, alerts: { groupId: 't', ringSize: 1, clientQueueMax: 1, heartbeatMs: 15_000 },
          fleetCacheFreshMs: 0, complianceRules: defaultComplianceRules, dashboardTileUrl: null, logLevel: 'silent',
        },
        store, readModels: createMemoryReadModelStore(), defaultMetrics: false,
      });
      const res = await app.inject({ method: 'POST', url: '/v1/audits', headers: { 'x-api-key': key }, payload: {} });
      expect(res.statusCode).toBe(200);
      expectStrictBytes(res.rawPayload, 'audit response', false);
      expect(res.body).toContain('\uFFFD');
    } finally {
      await app?.close();
      await store.close();
    }
  });
});
