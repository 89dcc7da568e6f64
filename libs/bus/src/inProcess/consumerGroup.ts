import { tpKey, type TopicPartition } from './partitionLog.ts';

export interface GroupMember {
  readonly memberId: number;
  readonly topics: readonly string[];
  /** Called on every rebalance with the member's new partitions and the group generation. */
  assign(partitions: readonly TopicPartition[], generation: number): void;
}

export interface ConsumerGroupOptions {
  /** Offsets committed before this process (the SQLite bus reads them from its file). */
  readonly committed?: Iterable<readonly [TopicPartition, number]>;
  /** Told every accepted commit, after memory has it (the SQLite bus queues it for its file). */
  readonly onCommit?: (tp: TopicPartition, next: number) => void;
}

/**
 * Committed offsets and partition assignment of one consumer group. Partitions of a topic are
 * dealt round-robin to the members subscribed to it, like Kafka's round-robin assignor.
 */
export class ConsumerGroup {
  private readonly committed = new Map<string, number>();
  private readonly members: GroupMember[] = [];
  private generation = 0;

  constructor(
    private readonly partitionCount: (topic: string) => number,
    private readonly options: ConsumerGroupOptions = {},
  ) {
    for (const [tp, next] of options.committed ?? []) this.committed.set(tpKey(tp), next);
  }

  committedOffset(tp: TopicPartition): number | undefined {
    return this.committed.get(tpKey(tp));
  }

  /** Rejected (false) when the member's generation is over: its partitions moved on. */
  commit(tp: TopicPartition, next: number, generation: number): boolean {
    if (generation !== this.generation) return false;
    const key = tpKey(tp);
    if ((this.committed.get(key) ?? -1) < next) {
      this.committed.set(key, next);
      this.options.onCommit?.(tp, next);
    }
    return true;
  }

  /** Topics the running members consume (none once all stopped): the SQLite bus keeps what they have not committed. */
  subscribedTopics(): string[] {
    return [...new Set(this.members.flatMap((m) => m.topics))];
  }

  join(member: GroupMember): void {
    this.members.push(member);
    this.rebalance();
  }

  leave(member: GroupMember): void {
    const i = this.members.indexOf(member);
    if (i < 0) return;
    this.members.splice(i, 1);
    this.rebalance();
  }

  private rebalance(): void {
    this.generation += 1;
    const assignments = new Map<GroupMember, TopicPartition[]>(this.members.map((m) => [m, []]));
    const topics = [...new Set(this.members.flatMap((m) => m.topics))].sort();
    for (const topic of topics) {
      const subscribers = this.members
        .filter((m) => m.topics.includes(topic))
        .sort((a, b) => a.memberId - b.memberId);
      const count = this.partitionCount(topic);
      for (let partition = 0; partition < count; partition++) {
        const owner = subscribers[partition % subscribers.length];
        if (owner !== undefined) assignments.get(owner)?.push({ topic, partition });
      }
    }
    for (const [member, partitions] of assignments) member.assign(partitions, this.generation);
  }
}
