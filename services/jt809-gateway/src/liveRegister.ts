import { epochMs, plateKey } from '@dgt/events';
import type { RegisteredVehicle, VehicleRegister } from './vehicleRegister.ts';

/**
 * The register as the projector keeps it (VehicleRegistered / VehicleTransferred, arbitrated):
 * structurally the read-model store's `generation` and `registrations` (@dgt/readmodels), so the
 * gateway takes the projector's SQLite file opened read-only, or the stack's own store, without
 * depending on how it is kept.
 */
export interface RegisterSource {
  /** Changes whenever the projector commits. */
  generation(): Promise<number>;
  registrations(): Promise<readonly RegisterRow[]>;
}

export interface RegisterRow {
  readonly vehicleId: string;
  readonly plateNo: string;
  /** Oldest first; `from`/`to` ISO instants, null for open ends. */
  readonly periods: readonly { readonly carrierId: string; readonly from: string | null; readonly to: string | null }[];
}

export interface LiveRegisterOptions {
  /** How often the source's generation is asked; a changed one reloads the register. Default 2,000 ms. */
  readonly refreshMs?: number;
  /**
   * An unknown plate asks for a reload at once (a vehicle registered a moment ago), at most this
   * often, so a platform sending plates nobody registered cannot make the gateway reload per fix.
   * Default 1,000 ms.
   */
  readonly missReloadMinMs?: number;
  /** Monotonic milliseconds (tests pin it). */
  readonly monotonicMs?: () => number;
  /** A reload that failed (the read models unreadable for a moment): the last good copy stays in use. */
  readonly onError?: (error: unknown) => void;
}

export interface LiveVehicleRegister extends VehicleRegister {
  /** Loads the register once; resolves when the first copy is in place. */
  start(): Promise<void>;
  /** Reloads if the source's generation changed (or `force`); true when it reloaded. */
  refresh(force?: boolean): Promise<boolean>;
  /** Stops the refresh timer. */
  close(): void;
}

/**
 * A register the gateway can ask synchronously on every fix (`byPlateKey`), kept in step with the
 * record: a copy of the projected register, reloaded whenever the projector has committed since
 * (checked every `refreshMs`) and, rate-limited, when a plate is unknown. A vehicle registered or
 * transferred is therefore known to the gateway within a projector flush and a refresh (~2 s),
 * without a restart; until then its fixes are refused as `unknown-vehicle` (counted) and the
 * platform re-sends or back-fills them. Plates are keyed by `plateKey`, as the register checks
 * uniqueness; an entry whose plate `plateKey` cannot read is kept under its trimmed text.
 * Terminal SIMs are not in the projected register: the 0x1201 SIM check needs JT809_VEHICLES_FILE.
 */
export function liveVehicleRegister(source: RegisterSource, options: LiveRegisterOptions = {}): LiveVehicleRegister {
  const refreshMs = options.refreshMs ?? 2_000;
  const missReloadMinMs = options.missReloadMinMs ?? 1_000;
  const now = options.monotonicMs ?? (() => performance.now());
  let byKey = new Map<string, RegisteredVehicle>();
  let loadedGeneration: number | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let lastMissReload = -Infinity;
  let lastSettle = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const reload = async (force: boolean): Promise<boolean> => {
    const generation = await source.generation();
    if (!force && generation === loadedGeneration) return false;
    const rows = await source.registrations();
    const next = new Map<string, RegisteredVehicle>();
    for (const row of rows) {
      const key = plateKey(row.plateNo) ?? row.plateNo.trim();
      next.set(key, {
        vehicleId: row.vehicleId,
        plateNo: row.plateNo,
        periods: row.periods.map((p) => ({ carrierId: p.carrierId, fromMs: p.from === null ? null : epochMs(p.from), toMs: p.to === null ? null : epochMs(p.to) })),
      });
    }
    byKey = next;
    loadedGeneration = generation;
    return true;
  };
  // One reload at a time, in order: a request made while another loads waits for it and then asks
  // again, so it never answers from a load that began before the commit it is waiting for.
  const refresh = (force = false): Promise<boolean> => {
    const run = queue.then(() => reload(force), () => reload(force));
    queue = run.catch(() => undefined);
    return run;
  };
  const background = (force: boolean) => {
    refresh(force).catch((error: unknown) => options.onError?.(error));
  };

  return {
    async start() {
      await refresh(true);
      if (closed || timer !== undefined) return;
      timer = setInterval(() => background(false), refreshMs);
      timer.unref();
    },
    refresh,
    close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
    settle() {
      const t = now();
      // Within the rate limit the copy counts as fresh: wait only for a load already under way.
      if (closed || t - lastSettle < missReloadMinMs) return queue.then(() => undefined);
      lastSettle = t;
      return refresh(false).then(
        () => undefined,
        (error: unknown) => options.onError?.(error),
      );
    },
    byPlateKey(key) {
      const found = byKey.get(key);
      if (found === undefined && !closed) {
        const t = now();
        if (t - lastMissReload >= missReloadMinMs) {
          lastMissReload = t;
          background(false);
        }
      }
      return found;
    },
    get size() {
      return byKey.size;
    },
  };
}
