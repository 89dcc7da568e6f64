// Regenerates seeds/taizhou/products.ndjson from seeds/taizhou/fleet.json:
//   npx tsx seeds/tools/writeProducts.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { productsNdjson, type FleetSeed } from './buildProducts.ts';

const fleetPath = fileURLToPath(new URL('../taizhou/fleet.json', import.meta.url));
const outPath = fileURLToPath(new URL('../taizhou/products.ndjson', import.meta.url));
writeFileSync(outPath, productsNdjson(JSON.parse(readFileSync(fleetPath, 'utf8')) as FleetSeed));
console.log(`wrote ${outPath}`);
