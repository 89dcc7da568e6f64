import type { TopicSpec } from './port.ts';

/** Every topic dgt uses, by role. Names are derived here and nowhere else. */
export const topicRoles = ['positions', 'consignments', 'zones', 'alerts', 'deadletter'] as const;
export type TopicRole = (typeof topicRoles)[number];
export type TopicNames = Readonly<Record<TopicRole, string>>;

export const defaultTopicPrefix = 'dg.';

/**
 * Partition counts: positions are keyed by vehicle and carry almost all traffic; zones are
 * few and their order across zones matters to nobody, but one partition keeps edits in order.
 */
export const defaultTopicPartitions: Readonly<Record<TopicRole, number>> = {
  positions: 6,
  consignments: 3,
  zones: 1,
  alerts: 3,
  deadletter: 1,
};

export interface TopicNamingOptions {
  /** Replaces `dg.` - e.g. `test-3f2a.dg.` to isolate a test run on a shared broker. */
  readonly prefix?: string;
  /** Full names for individual roles; wins over the prefix. */
  readonly overrides?: Partial<Record<TopicRole, string>>;
}

export function topicNames(options: TopicNamingOptions = {}): TopicNames {
  const prefix = options.prefix ?? defaultTopicPrefix;
  const names = {} as Record<TopicRole, string>;
  for (const role of topicRoles) names[role] = options.overrides?.[role] ?? `${prefix}${role}`;
  return names;
}

/** The specs to pass to `bus.ensureTopics` for all dgt topics. */
export function topicSpecs(
  names: TopicNames = topicNames(),
  partitions: Readonly<Record<TopicRole, number>> = defaultTopicPartitions,
): TopicSpec[] {
  return topicRoles.map((role) => ({ topic: names[role], partitions: partitions[role] }));
}
