import { type CellRow, type LotRow, type MetaRow, type PlanningRowRecord, type SegmentRow } from './rows.ts';

/** The aggregate rows of a store (or a fold), parsed and grouped. */
export interface PlanningRows {
  readonly lots: LotRow[];
  readonly cells: CellRow[];
  readonly segments: SegmentRow[];
  readonly meta: MetaRow | undefined;
}

export function parsePlanningRows(records: readonly PlanningRowRecord[]): PlanningRows {
  const lots: LotRow[] = [];
  const cells: CellRow[] = [];
  const segments: SegmentRow[] = [];
  let meta: MetaRow | undefined;
  for (const r of records) {
    switch (r.kind) {
      case 'lot':
        lots.push(JSON.parse(r.data) as LotRow);
        break;
      case 'cell':
        cells.push(JSON.parse(r.data) as CellRow);
        break;
      case 'segment':
        segments.push(JSON.parse(r.data) as SegmentRow);
        break;
      case 'meta':
        meta = JSON.parse(r.data) as MetaRow;
        break;
      default: {
        const never: never = r.kind;
        throw new Error(`unknown planning row kind ${String(never)}`);
      }
    }
  }
  return { lots, cells, segments, meta };
}
