import { tpKey, type TopicPartition } from './topicStore.ts';

export interface GroupMember {
  readonly memberId: number;
  readonly topics: readonly string[];
  /** Called on every rebalance with the member's new partitions and the group generation. */
  assign(partitions: readonly TopicPartition[], generation: number): void;
}

/**
 * Committed offsets and partition assignment of one consumer group. Partitions of a topic are
 * dealt round-robin to the members subscribed to it, like Kafka's round-robin assignor.
 */
export class ConsumerGroup {
  private readonly committed = new Map<string, number>();
  private readonly members: GroupMember[] = [];
  private generation = 0;

  constructor(private readonly partitionCount: (topic: string) => number) {}

  committedOffset(tp: TopicPartition): number | undefined {
    return this.committed.get(tpKey(tp));
  }

  /** Rejected (false) when the member's generation is over: its partitions moved on. */
  commit(tp: TopicPartition, next: number, generation: number): boolean {
    if (generation !== this.generation) return false;
    const key = tpKey(tp);
    if ((this.committed.get(key) ?? -1) < next) this.committed.set(key, next);
    return true;
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
