import { memoryContentStore } from '../src/cases/contentStore.ts';
import { contentStoreContract } from './support/contentStoreContract.ts';

contentStoreContract('memory', async () => memoryContentStore());
