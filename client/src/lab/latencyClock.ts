/**
 * When each update went out, so a prediction's latency can be read off its `seq`: the time
 * from sending update `seq` to the first prediction that includes it. Updates a later
 * prediction covered (latest wins) are forgotten with it, so the map never grows.
 */
export class LatencyClock {
  private readonly sentAt = new Map<number, number>();

  sent(seq: number, now: number): void {
    this.sentAt.set(seq, now);
  }

  /** The latency of the prediction answering `seq`, or null if that update was not timed. */
  answered(seq: number, now: number): number | null {
    const at = this.sentAt.get(seq);
    for (const s of this.sentAt.keys()) if (s <= seq) this.sentAt.delete(s);
    return at === undefined ? null : now - at;
  }

  /** A new connection numbers updates from 1 again. */
  reset(): void {
    this.sentAt.clear();
  }
}
