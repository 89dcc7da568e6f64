import type { VehicleEntry } from '@dgt/jt809-gateway';
import type { DemoPlatform } from './demoPlatform.ts';
import type { Jt809DemoDelivery } from './jt809DemoSink.ts';
import type { Stack } from './startStack.ts';

/** Wall time between the demo platform's simulated outages, and their length (fixes meanwhile are back-filled). */
export const DEMO_OUTAGE_EVERY_MS = 5 * 60_000;
export const DEMO_OUTAGE_FOR_MS = 30_000;

/**
 * The carrier whose vehicles the demo platform delivers: the second carrier with a desk key when
 * there is one, so the first desk still shows vehicles reported over HTTP and the second those of
 * the platform; with a fleet of one carrier, that one.
 */
export function platformCarrier(demoCarriers: readonly string[]): string {
  return demoCarriers[1] ?? demoCarriers[0] ?? 'C001';
}

/** What the demo simulator needs to act as the platform: where to connect, its login, its vehicles' plates. */
export function demoJt809Delivery(jt809: NonNullable<Stack['jt809']>, platform: DemoPlatform, register: readonly VehicleEntry[]): Jt809DemoDelivery {
  const carriers = new Set(platform.account.carriers);
  return {
    link: {
      host: connectHost(jt809.host),
      port: jt809.port,
      edition: '2019',
      accessCode: platform.accessCode,
      userId: platform.userId,
      password: platform.password,
      keys: platform.keys,
    },
    plates: new Map(register.filter((v) => carriers.has(v.carrierId)).map((v) => [v.vehicleId, v.plateNo.replace('·', '')])),
    outageEveryMs: DEMO_OUTAGE_EVERY_MS,
    outageForMs: DEMO_OUTAGE_FOR_MS,
  };
}

/** A wildcard listen address is reached over loopback. */
function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

/** The banner's JT/T 809 lines. */
export function jt809BannerLines(jt809: Stack['jt809'], platform: DemoPlatform | undefined, sim: boolean): string[] {
  if (jt809 === undefined || platform === undefined) return ['off (--jt809-port off)'];
  const delivers = sim ? `carrier ${platform.account.carriers.join(', ')}'s vehicles; outage + 0x1203 every ${DEMO_OUTAGE_EVERY_MS / 60_000} min` : 'not running (--no-sim)';
  return [
    `tcp ${jt809.host}:${jt809.port} (platforms' main links)`,
    `demo platform ${platform.accessCode}/${platform.userId}: ${delivers}`,
    `(its password and keys: ${platform.path})`,
  ];
}
