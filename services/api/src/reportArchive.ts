/**
 * The HTML of recent audits, by audit id, oldest dropped first, as the bytes sent. The audit event
 * in the store is the lasting record; a report that has dropped out is rebuilt by running the
 * audit again, which gives the same bytes. Kept in memory only: nothing of it is written to disk.
 */
export class ReportArchive {
  private readonly reports = new Map<string, Uint8Array>();
  constructor(private readonly capacity: number) {}

  put(auditId: string, html: Uint8Array): void {
    this.reports.set(auditId, html);
    while (this.reports.size > this.capacity) {
      const oldest = this.reports.keys().next().value;
      if (oldest === undefined) break;
      this.reports.delete(oldest);
    }
  }

  get(auditId: string): Uint8Array | undefined {
    return this.reports.get(auditId);
  }
}
