import type { SqliteBus } from '@dgt/bus';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * The embedded bus's own figures on the API's /metrics, read from it at each scrape: its commits
 * and appended messages, and its in-memory tail (size against its budget; reads it answered and
 * reads that had to go to the file — misses mean a consumer fell further behind than the tail holds).
 */
export function registerEmbeddedBusMetrics(registry: Registry, bus: SqliteBus): void {
  const registers = [registry];
  new Counter({
    name: 'dgt_bus_transactions_total',
    help: 'Transactions the embedded bus committed (sends, consumer offsets and retention share them).',
    registers,
    collect() {
      setCounter(this, bus.stats().transactions);
    },
  });
  new Counter({
    name: 'dgt_bus_messages_appended_total',
    help: 'Messages appended to the embedded bus file.',
    registers,
    collect() {
      setCounter(this, bus.stats().messages);
    },
  });
  new Gauge({
    name: 'dgt_bus_tail_bytes',
    help: 'Bytes of committed messages the embedded bus keeps in memory for its consumers.',
    registers,
    collect() {
      this.set(bus.stats().tail.bytes);
    },
  });
  new Gauge({
    name: 'dgt_bus_tail_budget_bytes',
    help: 'The most the embedded bus keeps in memory (tailBytes).',
    registers,
    collect() {
      this.set(bus.stats().tail.budgetBytes);
    },
  });
  new Counter({
    name: 'dgt_bus_tail_reads_total',
    help: 'Consumer reads of the embedded bus, answered from its in-memory tail or from the file.',
    labelNames: ['source'],
    registers,
    collect() {
      const tail = bus.stats().tail;
      this.reset();
      this.inc({ source: 'memory' }, tail.hits);
      this.inc({ source: 'file' }, tail.misses);
    },
  });
}

/** A counter set to a total kept elsewhere (prom-client counters only go up through inc). */
function setCounter(counter: Counter, total: number): void {
  counter.reset();
  counter.inc(total);
}
