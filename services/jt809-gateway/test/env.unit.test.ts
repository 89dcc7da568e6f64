import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError, defaultGatewayConfig, readGatewayEnv } from '../src/index.ts';
import { platformEntry } from './support.ts';

const vehicle = { vehicleId: 'V1', plateNo: '浙J·10001', carrierId: 'C-A' };

describe('readGatewayEnv', () => {
  it('applies the defaults: port 9809, http 9466, dg.positions / dg.consignments, 5 min skew, 7 day back-fill', () => {
    const e = readGatewayEnv({});
    expect(e.gateway).toEqual({ ...defaultGatewayConfig, positionsTopic: 'dg.positions', platformEventsTopic: 'dg.consignments' });
    expect(e.gateway).toMatchObject({ port: 9809, maxFutureSkewMs: 300_000, backfillWindowMs: 604_800_000 });
    expect(e.httpPort).toBe(9466);
    expect(e.platforms).toEqual([]);
    expect(e.vehicles).toEqual([]);
    expect(e.readModelsPath).toBeUndefined();
    expect(e.registerRefreshMs).toBe(2_000);
  });

  it('takes the live register from the projector\'s read models, or a fixed list, never both', () => {
    const e = readGatewayEnv({ DGT_READMODELS_PATH: '/data/readmodels.sqlite', JT809_REGISTER_REFRESH_MS: '500' });
    expect(e).toMatchObject({ readModelsPath: '/data/readmodels.sqlite', registerRefreshMs: 500, vehicles: [] });
    expect(() => readGatewayEnv({ DGT_READMODELS_PATH: '/x', JT809_VEHICLES: JSON.stringify([vehicle]) })).toThrow(/DGT_READMODELS_PATH .* or JT809_VEHICLES .*not both/);
    expect(() => readGatewayEnv({ JT809_REGISTER_REFRESH_MS: '10' })).toThrow(/JT809_REGISTER_REFRESH_MS/);
  });

  it('reads platforms and vehicles inline or from files, limits, the window and the topic prefix', () => {
    const e = readGatewayEnv({
      JT809_PLATFORMS: JSON.stringify([platformEntry()]),
      JT809_VEHICLES: JSON.stringify([vehicle]),
      JT809_PORT: '7000',
      JT809_BACKFILL_WINDOW_S: '86400',
      JT809_DOWN_HEARTBEAT_S: '30',
      DGT_TOPIC_PREFIX: 'x.',
    });
    expect(e.platforms).toEqual([platformEntry()]);
    expect(e.vehicles).toEqual([vehicle]);
    expect(e.gateway).toMatchObject({ port: 7000, backfillWindowMs: 86_400_000, downLinkHeartbeatMs: 30_000, positionsTopic: 'x.positions', platformEventsTopic: 'x.consignments' });
    const dir = mkdtempSync(join(tmpdir(), 'jt809-env-'));
    writeFileSync(join(dir, 'platforms.json'), JSON.stringify([platformEntry({ platformId: 'p2' })]));
    writeFileSync(join(dir, 'vehicles.json'), JSON.stringify([vehicle]));
    const f = readGatewayEnv({ JT809_PLATFORMS_FILE: join(dir, 'platforms.json'), JT809_VEHICLES_FILE: join(dir, 'vehicles.json') });
    expect(f.platforms[0]).toMatchObject({ platformId: 'p2' });
    expect(f.vehicles).toEqual([vehicle]);
  });

  it('refuses a password in clear, a bad platform entry, a duplicate plate and both inline and file, naming what is wrong', () => {
    const { passwordSha256: _, ...rest } = platformEntry();
    expect(() => readGatewayEnv({ JT809_PLATFORMS: JSON.stringify([{ ...rest, password: 'pass1234' }]) })).toThrow(/0\.password: configure passwordSha256/);
    expect(() => readGatewayEnv({ JT809_PLATFORMS: JSON.stringify([platformEntry({ edition: '2013' as never })]) })).toThrow(/JT809_PLATFORMS: 0: edition/);
    expect(() => readGatewayEnv({ JT809_VEHICLES: JSON.stringify([vehicle, { ...vehicle, vehicleId: 'V2', plateNo: '浙J10001' }]) })).toThrow(/1\.plateNo: 浙J10001 is registered twice/);
    expect(() => readGatewayEnv({ JT809_PLATFORMS: '[]', JT809_PLATFORMS_FILE: '/x' })).toThrow(GatewayError);
    expect(() => readGatewayEnv({ JT809_PORT: 'x' })).toThrow(/JT809_PORT/);
  });
});
