import type { TerminalEntry } from '@dgt/jt808-gateway';
import type { Jt808SimTerminal } from '@dgt/simulator';
import type { DemoTerminalCodes } from './demoTerminalCodes.ts';
import type { DemoTerminals } from './demoTerminals.ts';
import type { Stack } from './startStack.ts';

/** What the demo simulator needs to drive part of the fleet as JT/T 808 terminals. */
export interface Jt808DemoDelivery {
  readonly host: string;
  readonly port: number;
  readonly terminals: readonly Jt808SimTerminal[];
  /** Codes the gateway issued earlier, kept here as each new one is issued. */
  readonly codes: DemoTerminalCodes;
}

/**
 * Which simulated vehicles report as JT/T 808 terminals: `share` of those with a terminal record
 * that the JT/T 809 platform does not deliver (a vehicle reaches the stack by one path only),
 * spread evenly over the fleet (the 1st, 11th, 21st … at 10 %), at least one when the share is
 * above zero. A small fleet is all one carrier's, the platform's (the first 21 vehicles): then the
 * share is taken from the platform's vehicles, which report over JT/T 808 instead, so every demo
 * exercises both protocols. Deterministic: a restart drives the same vehicles with the codes they kept.
 */
export function jt808Vehicles(simulated: readonly string[], viaJt809: ReadonlySet<string>, records: readonly TerminalEntry[], share: number): TerminalEntry[] {
  const byVehicle = new Map(records.map((r) => [r.vehicleId ?? r.plate, r]));
  const recorded = simulated.filter((id) => byVehicle.has(id));
  const outsidePlatform = recorded.filter((id) => !viaJt809.has(id));
  const candidates = outsidePlatform.length > 0 ? outsidePlatform : recorded;
  if (share <= 0 || candidates.length === 0) return [];
  const count = Math.min(candidates.length, Math.max(1, Math.round(candidates.length * share)));
  const picked: TerminalEntry[] = [];
  for (let k = 0; k < count; k++) picked.push(byVehicle.get(candidates[Math.floor((k * candidates.length) / count)]!)!);
  return picked;
}

/**
 * The simulated terminals: identity exactly as recorded (what the gateway matches 0x0100
 * against), alternating 2019 and 2013 headers so both editions are exercised.
 */
export function demoJt808Delivery(jt808: NonNullable<Stack['jt808']>, entries: readonly TerminalEntry[], codes: DemoTerminalCodes): Jt808DemoDelivery {
  return {
    host: connectHost(jt808.host),
    port: jt808.port,
    codes,
    terminals: entries.map((e, i) => ({
      vehicleId: e.vehicleId ?? e.plate,
      phone: e.phone,
      flavour: i % 2 === 0 ? '2019' : '2013',
      identity: { manufacturerId: e.manufacturerId, terminalModel: e.terminalModel, terminalId: e.terminalId, plateColour: e.plateColour, plate: e.plate },
    })),
  };
}

/** A wildcard listen address is reached over loopback. */
function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

/** The banner's JT/T 808 lines: where terminals connect, where their records are, what the simulator drives. */
export function jt808BannerLines(jt808: Stack['jt808'], terminals: DemoTerminals | undefined, simulated: number, vehicles: number, sim: boolean): string[] {
  if (jt808 === undefined || terminals === undefined) return ['off (--jt808-port off)'];
  const drives = !sim ? 'not running (--no-sim)' : simulated === 0 ? 'none of them (--jt808-share 0)' : `${simulated} of the ${vehicles} simulated vehicles, the rest over HTTP`;
  return [
    `tcp ${jt808.host}:${jt808.port} (BeiDou terminals; point a terminal's main server here)`,
    `terminals: ${jt808.terminals} records, phones and plates in ${terminals.path}`,
    `simulated terminals: ${drives}`,
  ];
}
