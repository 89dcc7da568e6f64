import { type Attachment, type CorrectiveAction, correctiveActionSubmittedData, pointsClearedData } from '@dgt/events';
import { decisionMakerOf } from './actor.ts';
import type { CommandMeta } from './caseCommands.ts';
import { instantMs } from './instants.ts';
import { outstandingPoints } from './ledgerHistory.ts';
import type { LedgerState } from './ledgerState.ts';
import type { Recorded } from './recorded.ts';
import { checkData, type Decision, refuse } from './refusal.ts';
import { ledgerCommandRoles, roleRefusal } from './roles.ts';

/** 整改: the carrier reports a corrective action for the bureau to verify. */
export interface SubmitCorrectiveAction extends CommandMeta {
  readonly type: 'submitCorrectiveAction';
  readonly actionId: string;
  readonly action: CorrectiveAction;
  readonly description: string;
  readonly attachments?: readonly Attachment[];
}

/** 销分: the bureau verified the action and clears points for it. */
export interface ClearPoints extends CommandMeta {
  readonly type: 'clear';
  readonly actionId: string;
  readonly points: number;
}

export type LedgerCommand = SubmitCorrectiveAction | ClearPoints;
export type LedgerDecision = Decision<Recorded<'CorrectiveActionSubmitted'> | Recorded<'PointsCleared'>>;

/**
 * The ledger's decision on a command. Points are recorded by case disposals (`decideCase`), not
 * here. A carrier's key acts only on its own ledger (`not-your-ledger`, answered as 404).
 */
export function decidePoints(ledger: LedgerState, command: LedgerCommand): LedgerDecision {
  // The server's clock, so a programming error rather than a user's: still refused, never thrown.
  if (Number.isNaN(instantMs(command.now))) return refuse('invalid-command', `now: ${command.now} is not an ISO-8601 date-time with offset`);
  const { actor } = command;
  if (actor.role === 'carrier' && actor.carrierId !== ledger.carrierId) return refuse('not-your-ledger', 'no such ledger');
  switch (command.type) {
    case 'submitCorrectiveAction': {
      const denied = roleRefusal(actor, 'submit a corrective action', ledgerCommandRoles.submitCorrectiveAction);
      if (denied) return denied;
      if (ledger.actions.some((a) => a.actionId === command.actionId)) return refuse('action-exists', `corrective action ${command.actionId} was already submitted`);
      const data = checkData(correctiveActionSubmittedData, {
        carrierId: ledger.carrierId,
        actionId: command.actionId,
        action: command.action,
        description: command.description,
        attachments: (command.attachments ?? []).map((a) => ({ ...a })),
        by: decisionMakerOf(actor),
      });
      if (!data.ok) return data;
      return { ok: true, events: [{ type: 'CorrectiveActionSubmitted', occurredAt: command.now, data: data.data }] };
    }
    case 'clear': {
      const denied = roleRefusal(actor, 'clear points', ledgerCommandRoles.clear);
      if (denied) return denied;
      const action = ledger.actions.find((a) => a.actionId === command.actionId);
      if (action === undefined) return refuse('action-not-found', `carrier ${ledger.carrierId} submitted no corrective action ${command.actionId}`);
      if (action.cleared !== null) return refuse('action-already-cleared', `corrective action ${command.actionId} already cleared ${action.cleared.points} points at ${action.cleared.at}`);
      if (!Number.isInteger(command.points) || command.points < 1) return refuse('invalid-points', `points: must be a whole number of at least 1 (got ${command.points})`);
      const outstanding = outstandingPoints(ledger, command.now);
      if (command.points > outstanding) return refuse('points-exceed-outstanding', `points: carrier ${ledger.carrierId} has ${outstanding} points outstanding; ${command.points} cannot be cleared`);
      const data = checkData(pointsClearedData, { carrierId: ledger.carrierId, actionId: command.actionId, points: command.points, by: decisionMakerOf(actor) });
      if (!data.ok) return data;
      return { ok: true, events: [{ type: 'PointsCleared', occurredAt: command.now, data: data.data }] };
    }
    default: {
      const never: never = command;
      throw new Error(`unknown ledger command ${(never as { type: string }).type}`);
    }
  }
}
