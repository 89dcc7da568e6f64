import { createMemoryReadModelStore } from '../src/memory/memoryReadModelStore.ts';
import { readModelStoreContract } from './contract.ts';

readModelStoreContract('memory', async () => createMemoryReadModelStore());
