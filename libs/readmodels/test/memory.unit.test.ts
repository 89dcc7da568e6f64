import { createMemoryReadModelStore } from '../src/memory/memoryReadModelStore.ts';
import { caseReadModelContract } from './caseContract.ts';
import { readModelStoreContract } from './contract.ts';

readModelStoreContract('memory', async () => createMemoryReadModelStore());
caseReadModelContract('memory', async () => createMemoryReadModelStore());
