import { openMemoryEventStore } from '../src/memory/memoryEventStore.ts';
import { runEventStoreContract } from './contract.ts';

runEventStoreContract('memory', (clock) => openMemoryEventStore({ clock, pageSize: 2 }));
