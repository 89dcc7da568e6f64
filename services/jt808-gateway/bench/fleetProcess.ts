/**
 * The simulated fleet in its own process (started by gateway.bench.ts), so the gateway's event
 * loop and the terminals' do not share one core. Options arrive as JSON in argv[2]; the result
 * goes back over IPC.
 */
import type { FleetOptions } from '../src/index.ts';
import { runTerminalFleet } from '../src/index.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as FleetOptions;
const result = await runTerminalFleet(options);
process.send?.(result, () => process.exit(0));
