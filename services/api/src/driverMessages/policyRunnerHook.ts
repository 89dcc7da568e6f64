import type { EventStore } from '@dgt/eventstore';
import type { ServiceApp } from '@dgt/http';
import type { ReadModelStore } from '@dgt/readmodels';
import type { DriverMessagePolicy } from './policyConfig.ts';
import { startDriverMessagePolicy } from './policyRunner.ts';
import type { DriverMessageRequests } from './requestPublisher.ts';

/** Runs the nearest-lot policy while the app is up; what it does goes to the app's log. */
export function startDriverMessagePolicyFor(app: ServiceApp, o: { store: EventStore; readModels: ReadModelStore; policy: DriverMessagePolicy; requests: DriverMessageRequests; now: () => Date }): void {
  const runner = startDriverMessagePolicy({
    store: o.store,
    zones: () => o.readModels.zones(),
    policy: o.policy,
    requests: o.requests,
    now: o.now,
    onError: (error) => app.log.error({ err: error }, 'the driver message policy failed on a detection; it is read again at the next start'),
    onSkipped: (detectionId, reason) => {
      // The backlog read at each start is mostly stale: not worth a line each.
      if (reason !== 'stale') app.log.info({ detectionId, reason }, 'the driver message policy sent no message');
    },
  });
  void runner.caughtUp().then(() => app.log.info({ ...runner.stats }, 'the driver message policy has caught up with the record'));
  app.addHook('onClose', async () => runner.stop());
}
