// Entry of an audit worker thread (see auditRunner.ts). Plain JavaScript on purpose: a worker does
// not inherit the TypeScript loader of its parent (tsx or vitest), so this one registers tsx —
// the services run from their TypeScript sources — and then imports the entry it was given.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
