import { registryEventTypes } from '@dgt/events';
import type { MessageSink, SimMessage, SinkStats } from '@dgt/simulator';

const registryTypes = new Set<string>(registryEventTypes);

/**
 * `dgt simulate --ingest` with `--registry-key`: the seeds' register (carriers, vehicles) goes
 * through its own sink, posted with the registry key — the gateway refuses it from an ingest key
 * — and everything else through the ingest key's sink. The register is flushed before the first
 * message that is not part of it, so the gateway has it before the fixes of its vehicles.
 */
export class RegistrySplitSink implements MessageSink {
  #registerPending = false;

  constructor(
    private readonly ingest: MessageSink,
    private readonly registry: MessageSink,
  ) {}

  async write(m: SimMessage): Promise<void> {
    if (m.kind === 'event' && registryTypes.has(m.event.type)) {
      this.#registerPending = true;
      return this.registry.write(m);
    }
    if (this.#registerPending) {
      this.#registerPending = false;
      await this.registry.flush();
    }
    return this.ingest.write(m);
  }

  async flush(): Promise<void> {
    await this.registry.flush();
    await this.ingest.flush();
  }

  async close(): Promise<void> {
    await this.registry.close();
    await this.ingest.close();
  }

  stats(): SinkStats {
    const a = this.ingest.stats();
    const b = this.registry.stats();
    return { sent: a.sent + b.sent, accepted: a.accepted + b.accepted, rejected: a.rejected + b.rejected, skipped: a.skipped + b.skipped };
  }
}
