import type { CasePolicy, CasesConfig } from '@dgt/cases';
import type { EventStore } from '@dgt/eventstore';
import type { ServiceApp } from '@dgt/http';
import type { ReadModelStore } from '@dgt/readmodels';
import { CaseRepository } from './caseRepository.ts';
import { LedgerRepository } from './ledgerRepository.ts';
import { startCasePolicyRunner } from './policyRunner.ts';

/** Runs the auto-open policy while the app is up: started now, stopped when the app closes; what it does goes to the app's log. */
export function startPolicyRunnerFor(app: ServiceApp, o: { store: EventStore; readModels: ReadModelStore; policy: CasePolicy; config: CasesConfig; now: () => Date }): void {
  const cases = new CaseRepository(o.store, new LedgerRepository(o.store), { config: o.config });
  const runner = startCasePolicyRunner({
    store: o.store,
    policy: o.policy,
    registration: (vehicleId) => o.readModels.registration(vehicleId),
    decide: (caseId, command) => cases.decide(caseId, command),
    now: o.now,
    onError: (error) => app.log.error({ err: error }, 'the case policy runner failed on an opening; it is asked again at the next start'),
    onSkipped: (opening, reason) => app.log.warn({ violationId: opening.occurrence.id, reason }, 'the case policy did not open a case'),
  });
  void runner.caughtUp().then(() => app.log.info({ ...runner.stats }, 'the case policy runner has caught up with the record'));
  app.addHook('onClose', async () => runner.stop());
}
