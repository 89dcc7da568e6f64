import { openSqliteReadModelStore } from '@dgt/readmodels';
import type { GatewayEnv } from './env.ts';
import { liveVehicleRegister } from './liveRegister.ts';
import { createVehicleRegister, type VehicleRegister } from './vehicleRegister.ts';

/**
 * The standalone gateway's register: the fixed list when one is configured, else the projector's
 * read models opened read-only and followed live (see liveRegister.ts).
 */
export async function openRegister(
  env: Pick<GatewayEnv, 'vehicles' | 'readModelsPath' | 'registerRefreshMs'>,
  onError: (error: unknown) => void,
): Promise<{ register: VehicleRegister; close: () => Promise<void> }> {
  if (env.readModelsPath === undefined) return { register: createVehicleRegister(env.vehicles), close: async () => {} };
  const store = await openSqliteReadModelStore({ path: env.readModelsPath, readonly: true });
  const register = liveVehicleRegister(store, { refreshMs: env.registerRefreshMs, onError });
  try {
    await register.start();
  } catch (e) {
    register.close();
    await store.close();
    throw e;
  }
  return {
    register,
    close: async () => {
      register.close();
      await store.close();
    },
  };
}
