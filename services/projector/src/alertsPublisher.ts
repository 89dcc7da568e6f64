import type { BusProducer } from '@dgt/bus';
import type { AlertView } from '@dgt/readmodels';

/** Where alerts go: the `dg.alerts` topic in production, anything a test wants to watch. */
export interface AlertsPublisher {
  /** Resolves once every alert is durable downstream; rejects otherwise (the projector then stops). */
  publish(alerts: readonly AlertView[]): Promise<void>;
}

export const ALERT_CARRIER_HEADER = 'dgt-alert-carrier';

/** Key = vehicleId (per-vehicle order), value = the AlertView as JSON, carrier in a header for filtering. */
export function busAlertsPublisher(producer: BusProducer, topic: string): AlertsPublisher {
  return {
    publish: (alerts) =>
      producer.send(
        topic,
        alerts.map((a) => ({ key: a.vehicleId, value: JSON.stringify(a), headers: { [ALERT_CARRIER_HEADER]: a.carrierId ?? '' } })),
      ),
  };
}
