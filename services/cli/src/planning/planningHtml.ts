import { beijingWeek, type CandidateArea, type DemandCell, type DwellClass, type LotOccupancy, type NearestLot, type SegmentExposure, WEEK_MS } from '@dgt/planning';
import { type Column, escapeHtml as h, kv, reportStyle, table } from '@dgt/replay';
import { barChart, chartKey } from './barChart.ts';
import { demandBreaks, demandKey, NUMBERED_CANDIDATES, renderHexMap } from './hexMap.ts';
import type { PlanningReport } from './planningReport.ts';

/*
 * index.html of `dgt report planning`: one self-contained page (inline CSS and SVG, no script, no
 * font, no tile, no external URL) in Chinese with English alongside, rendered from the report
 * model alone — no run time, no path — so the same record and options give the same bytes. Every
 * string from the record (names, ids, cells, classes, carriers) is escaped. The page furniture
 * (style, tables, the map's scale bar and north arrow) is the replay report's.
 */

/** Rows shown in the demand tables; every cell is in the CSV and GeoJSON files. */
export const DEMAND_ROWS = 50;
/** Lots drawn as charts, and segments drawn as charts (most laden passages first). */
const LOT_CHARTS = 40;
const SEGMENT_CHARTS = 12;
/** Weeks drawn in a segment's trend at most (the latest). */
const TREND_WEEKS = 260;

const colours = { peak: '#b7e4c7', mean: '#2d6a4f', capacity: '#d62828', passages: '#e09f3e', trend: '#b35c00' } as const;

const planningStyle = `html{-webkit-text-size-adjust:100%}.en{color:#666;font-weight:normal}.lead{font-size:14px}
.chart{max-width:760px;margin:.2rem 0 1rem}.chart svg{display:block;width:100%;height:auto}
.pair{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:0 1.2rem}
.key .swatch{vertical-align:middle;margin-left:8px}.key .dash{display:inline-block;width:18px;height:0;border-top:2px dashed;vertical-align:middle;margin:0 4px 0 8px}
h4{font-size:.9rem;margin:.6rem 0 .1rem}
@media print{.chart,.pair{break-inside:avoid}}`;

/** A heading in Chinese with its English alongside. */
const bi = (zh: string, en: string): string => `${zh} <span class="en">${en}</span>`;
/** A figure with fixed decimals, or a dash. */
const fixed = (n: number | null | undefined, decimals: number): string => (n === null || n === undefined ? '—' : n.toFixed(decimals));
const int = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : String(n));
const mono = (s: string): string => `<span class="mono">${h(s)}</span>`;
const named = (name: string, id: string): string => `${h(name)}<br>${mono(id)}`;
const nearest = (n: NearestLot | null): string => (n === null ? '—' : `${h(n.name)} ${mono(n.lotId)}<br>${int(n.distanceM)} m`);
const classList = (classes: readonly { hazardClass: string; stops?: number; passages?: number }[]): string =>
  classes.length === 0 ? '—' : classes.map((c) => `${h(c.hazardClass)}: ${c.stops ?? c.passages ?? 0}`).join(', ');

function duration(s: number): string {
  return s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`;
}

export function dwellLabel(d: Pick<DwellClass, 'fromS' | 'toS'>): string {
  if (d.fromS === 0 && d.toS !== null) return `< ${duration(d.toS)}`;
  if (d.toS === null) return `≥ ${duration(d.fromS)}`;
  return `${duration(d.fromS)} – ${duration(d.toS)}`;
}

// --- header

function header(r: PlanningReport): string {
  const longCells = r.demand.find((t) => t.kind === 'long' && t.res === r.inputs.candidateRes)?.cells ?? [];
  const shortCells = r.demand.find((t) => t.kind === 'short' && t.res === r.inputs.candidateRes)?.cells ?? [];
  const sum = (cells: readonly DemandCell[], f: (c: DemandCell) => number) => cells.reduce((s, c) => s + f(c), 0);
  return `<h1>${bi('危险货物运输规划报告', 'Planning report')}</h1>
<p class="lead">时段 Window <b>${h(r.window.from)}</b> — <b>${h(r.window.to)}</b>（北京时间 Beijing time；含起点、不含终点 from inclusive, to exclusive；${fixed(r.window.days, 2)} 天 days）</p>
<p class="muted small">语言 Language: 中文为主，英文并列；编号、名称与数字按记录原样 — Chinese first, English alongside; ids, names and figures as recorded. 本报告不含生成时间：同一记录、同一参数生成的每个文件逐字节相同 — no run time in it: the same record and options give the same bytes in every file.</p>
<p class="small">目录 Contents: <a href="#lots">专用停车场 Lots</a> · <a href="#demand">停车需求 Demand</a> · <a href="#segments">事故多发路段 Segments</a> · <a href="#inputs">生成参数 Inputs</a></p>
${kv([
  ['专用停车场 dedicated lots', r.lots.length],
  [`长时停车 long laden stops outside lots (r${r.inputs.candidateRes}): stops, cells, vehicle-hours`, `stops ${sum(longCells, (c) => c.stops)}, cells ${longCells.length}, vehicle-hours ${fixed(sum(longCells, (c) => c.vehicleHours), 2)}`],
  [`短时停车 short laden stops outside lots (r${r.inputs.candidateRes}): stops, cells, vehicle-hours`, `stops ${sum(shortCells, (c) => c.stops)}, cells ${shortCells.length}, vehicle-hours ${fixed(sum(shortCells, (c) => c.vehicleHours), 2)}`],
  ['候选区域 candidate areas for a new lot', r.candidates.length],
  ['事故多发路段 accident-prone segments, laden passages', `segments ${r.segments.length}, laden passages ${r.segments.reduce((s, x) => s + x.ladenPassages, 0)}`],
  ['读取事件 events read (fed to the engine; positions)', `${r.counts.read} (${r.counts.fed}; ${r.counts.positions})`],
])}`;
}

// --- lots

const lotCols: Column[] = [
  { head: '停车场 Lot', width: 20 },
  { head: '容量 Capacity' },
  { head: '峰值 Peak' },
  { head: '平均在场 Mean vehicles' },
  { head: '满位小时 Hours at/over capacity' },
  { head: '到访 Visits' },
  { head: '平均停留 Mean dwell (min)' },
  { head: '截止时在场 Inside at end (laden / empty)' },
  { head: '状态 Status' },
];

function lotRow(l: LotOccupancy): string[] {
  return [
    named(l.name, l.lotId),
    int(l.capacity),
    int(l.peak),
    fixed(l.meanVehicles, 2),
    fixed(l.hoursAtOrOverCapacity, 2),
    int(l.visits),
    fixed(l.meanDwellMin, 1),
    `${l.current.total} (${l.current.laden} / ${l.current.empty})`,
    l.withdrawn ? '已撤销 withdrawn' : '在用 active',
  ];
}

function lotChart(l: LotOccupancy): string {
  const hours = l.hours.map((x) => String(x.hour));
  const svg = barChart({
    title: `lot ${l.lotId}: mean and peak vehicles by hour of day`,
    labels: hours,
    labelEvery: 2,
    height: 190,
    series: [
      { label: 'peak 峰值', colour: colours.peak, values: l.hours.map((x) => x.peak), width: 0.9 },
      { label: 'mean 平均', colour: colours.mean, values: l.hours.map((x) => x.meanVehicles), width: 0.5 },
    ],
    line: l.capacity === null ? null : { value: l.capacity, label: `容量 capacity ${l.capacity}`, colour: colours.capacity },
  });
  return `<div class="chart"><h4>${h(l.name)} ${mono(l.lotId)}</h4>${svg}</div>`;
}

function lotsSection(r: PlanningReport): string {
  const parts = [
    `<h2 id="lots">${bi('专用停车场占用', 'Dedicated lot occupancy')}</h2>`,
    `<p class="muted">车辆自第一个场内定位起在场，至第一个场外定位止；平均值按窗口内停车场存在的各小时计算。A vehicle is inside from its first fix inside to its first fix outside; means are over the hours of the window the lot existed; peaks are the most vehicles inside at once. “Inside at end”: at the end of the window.</p>`,
    table(lotCols, r.lots.map(lotRow)),
  ];
  if (r.lots.length > 0) {
    parts.push(`<h3>${bi('各小时占用', 'Occupancy by hour of day (Beijing time)')}</h3>`);
    parts.push(chartKey([{ colour: colours.peak, label: '峰值 peak' }, { colour: colours.mean, label: '平均 mean vehicles' }, { colour: colours.capacity, label: '容量 capacity', dashed: true }]));
    parts.push(...r.lots.slice(0, LOT_CHARTS).map(lotChart));
    if (r.lots.length > LOT_CHARTS) parts.push(`<p class="muted">${r.lots.length - LOT_CHARTS} more lots: lot-hours.csv</p>`);
    const classes = r.lots[0]?.dwell ?? [];
    parts.push(`<h3>${bi('停留时长分布', 'Visits by dwell time')}</h3>`);
    parts.push(table([{ head: '停车场 Lot', width: 20 }, ...classes.map((d) => ({ head: dwellLabel(d) })), { head: '到访 Visits' }], r.lots.map((l) => [named(l.name, l.lotId), ...l.dwell.map((d) => int(d.visits)), int(l.visits)])));
  }
  return parts.join('\n');
}

// --- demand

const demandCols: Column[] = [
  { head: '#', width: 5 },
  { head: '网格 Cell', width: 17 },
  { head: '中心 Centre (lon, lat)', width: 15 },
  { head: '停车次数 Stops' },
  { head: '车辆 Vehicles' },
  { head: '车辆小时 Vehicle-hours' },
  { head: '危险类别 Classes (stops)' },
  { head: '最近停车场 Nearest lot', width: 18 },
];

function demandRows(cells: readonly DemandCell[]): string[][] {
  return cells.slice(0, DEMAND_ROWS).map((c, i) => [
    String(i + 1),
    mono(c.cell),
    `${fixed(c.centre[0], 5)}, ${fixed(c.centre[1], 5)}`,
    int(c.stops),
    int(c.vehicles),
    fixed(c.vehicleHours, 2),
    classList(c.classes),
    nearest(c.nearestLot),
  ]);
}

const candidateCols: Column[] = [
  { head: '编号 Rank', width: 6 },
  { head: '中心 Centre (lon, lat)', width: 15 },
  { head: '网格 Cells' },
  { head: '停车次数 Stops' },
  { head: '车辆 Vehicles' },
  { head: '车辆小时 Vehicle-hours' },
  { head: '每周车辆小时 Vehicle-hours per week' },
  { head: '危险类别 Classes (stops)' },
  { head: '最近停车场 Nearest lot', width: 18 },
];

function candidateRow(a: CandidateArea): string[] {
  return [
    `<b>${a.rank}</b>`,
    `${fixed(a.centre[0], 5)}, ${fixed(a.centre[1], 5)}`,
    `${a.cells.length}<br>${a.cells.map(mono).join('<br>')}`,
    int(a.stops),
    int(a.vehicles),
    fixed(a.vehicleHours, 2),
    fixed(a.vehicleHoursPerWeek, 2),
    classList(a.classes),
    nearest(a.nearestLot),
  ];
}

function demandSection(r: PlanningReport): string {
  const res = r.inputs.candidateRes;
  const cellsOf = (kind: 'long' | 'short', at: number) => r.demand.find((t) => t.kind === kind && t.res === at)?.cells ?? [];
  const long = cellsOf('long', res);
  const short = cellsOf('short', res);
  const d = r.detection;
  const key = demandKey(demandBreaks(long[0]?.vehicleHours ?? 0));
  const parts = [
    `<h2 id="demand">${bi('停车需求', 'Parking demand')}</h2>`,
    `<p class="muted">重载车辆在所有专用停车场之外、远离运单装卸地点（${d.siteRadiusM} m）的停车。长时 Long: ${duration(d.illegalParkingAfterS)} or more (the illegal-parking threshold); 短时 Short: ${duration(r.inputs.shortStopMinS)} up to it. Laden stops outside every dedicated lot and away from the waybill's loading and unloading sites — the detection engine's own stops. A stop counts in the window it began in; one still under way at the end counts up to the vehicle's last fix before it. H3 resolution ${r.inputs.resolutions.join(', ')}.</p>`,
    `<h3>${bi('需求地图', `Map — long stops, H3 resolution ${res}`)}</h3>`,
    `<div class="map">${renderHexMap(long, short, r.lotOutlines, r.candidates)}</div>`,
    `<p class="key small">长时停车车辆小时 Long stops, vehicle-hours per cell: ${key.map((k) => `<span class="swatch" style="background:${k.colour}"></span>${h(k.label)}`).join(' ')}</p>`,
    `<p class="key small"><span class="swatch" style="background:#e4e4dc;outline:1px dashed #8a8a80"></span>短时停车 short stops <span class="swatch" style="background:#d8efe0;outline:2px solid #2d6a4f"></span>专用停车场 dedicated lot (dashed: withdrawn) <span class="swatch" style="background:#fff;outline:2px solid #1d3557;border-radius:50%"></span>候选区域 candidate area (the best ${NUMBERED_CANDIDATES} numbered by rank)</p>`,
    `<h3>${bi('新建停车场候选区域', 'Candidate areas for a new lot')}</h3>`,
    `<p class="muted">长时停车网格中距离所有在用专用停车场不少于 ${r.inputs.minDistanceM} m 的，相邻者合为一区，按每周车辆小时排序（窗口 ${fixed(r.window.weeks, 2)} 周）。Long-stop cells at least ${r.inputs.minDistanceM} m from every active lot, neighbours joined into areas, ranked by vehicle-hours per week (the window is ${fixed(r.window.weeks, 2)} weeks).</p>`,
    table(candidateCols, r.candidates.slice(0, DEMAND_ROWS).map(candidateRow)),
    r.candidates.length > DEMAND_ROWS ? `<p class="muted">${r.candidates.length - DEMAND_ROWS} more areas: candidates.csv</p>` : '',
    `<h3>${bi('长时停车网格', `Long stops by cell, top ${DEMAND_ROWS} (r${res})`)}</h3>`,
    table(demandCols, demandRows(long)),
    long.length > DEMAND_ROWS ? `<p class="muted">${long.length - DEMAND_ROWS} more cells: demand-long-r${res}.csv</p>` : '',
    `<h3>${bi('短时停车网格', `Short stops by cell, top ${DEMAND_ROWS} (r${res})`)}</h3>`,
    table(demandCols, demandRows(short)),
    short.length > DEMAND_ROWS ? `<p class="muted">${short.length - DEMAND_ROWS} more cells: demand-short-r${res}.csv</p>` : '',
    `<p class="muted small">各分辨率全部网格 Every cell at every resolution: ${r.demand.map((t) => `demand-${t.kind}-r${t.res}.csv (${t.cells.length})`).join(', ')}, and the same as GeoJSON.</p>`,
  ];
  return parts.join('\n');
}

// --- segments

const segmentCols: Column[] = [
  { head: '路段 Segment', width: 17 },
  { head: '重载通过 Laden passages' },
  { head: '空载 Empty' },
  { head: '日均 Per day with passages' },
  { head: '车速 Speed p50 / p85 / p95 km/h (fixes)', width: 13 },
  { head: '禁行时段进入 Banned-hour entries' },
  { head: '禁止进入 Laden banned entries' },
  { head: '危险类别 Classes' },
  { head: '承运人 Carriers' },
];

function segmentRow(s: SegmentExposure): string[] {
  return [
    `${named(s.name, s.segmentId)}${s.withdrawn ? '<br>已撤销 withdrawn' : ''}`,
    int(s.ladenPassages),
    int(s.emptyPassages),
    fixed(s.ladenPerDay, 2),
    s.speed === null ? '—' : `${s.speed.p50} / ${s.speed.p85} / ${s.speed.p95} (${s.speed.fixes})`,
    int(s.bannedHourEntries),
    int(s.ladenBannedEntries),
    classList(s.byClass),
    s.byCarrier.length === 0 ? '—' : s.byCarrier.map((c) => `${mono(c.carrierId)}: ${c.passages}`).join(', '),
  ];
}

/** The Mondays (Beijing dates) of every week the window touches, the latest TREND_WEEKS. */
export function windowWeeks(fromMs: number, toMs: number): string[] {
  const weeks: string[] = [];
  const last = beijingWeek(toMs - 1);
  for (let ms = Date.parse(`${beijingWeek(fromMs)}T00:00:00+08:00`); ; ms += WEEK_MS) {
    const week = beijingWeek(ms);
    weeks.push(week);
    if (week >= last) break;
  }
  return weeks.slice(-TREND_WEEKS);
}

function segmentCharts(s: SegmentExposure, weeks: readonly string[]): string {
  const byWeek = new Map(s.byWeek.map((w) => [w.week, w.passages]));
  const hours = barChart({
    title: `segment ${s.segmentId}: laden passages by hour of day`,
    labels: s.byHour.map((_, i) => String(i)),
    labelEvery: 3,
    width: 480,
    height: 180,
    integer: true,
    series: [{ label: 'laden passages 重载通过', colour: colours.passages, values: s.byHour, width: 0.8 }],
  });
  const trend = barChart({
    title: `segment ${s.segmentId}: laden passages by week`,
    labels: weeks.map((w) => w.slice(5)),
    labelEvery: Math.max(1, Math.ceil(weeks.length / 8)),
    width: 480,
    height: 180,
    integer: true,
    series: [{ label: 'laden passages 重载通过', colour: colours.trend, values: weeks.map((w) => byWeek.get(w) ?? 0), width: 0.7 }],
  });
  return `<h4>${h(s.name)} ${mono(s.segmentId)}</h4><div class="pair"><div class="chart"><p class="small muted">按小时 By hour of day</p>${hours}</div><div class="chart"><p class="small muted">按周 By week (Monday)</p>${trend}</div></div>`;
}

function segmentsSection(r: PlanningReport): string {
  const parts = [
    `<h2 id="segments">${bi('事故多发路段暴露', 'Accident-prone segment exposure')}</h2>`,
    `<p class="muted">重载通过：检测引擎判定的带货驶入（每次通过计一次）。Laden passages: the engine's segment entries with a load, one per passage, by Beijing date, hour and week. Speeds: the laden fixes inside the segment, nearest-rank percentiles to the whole km/h below. Banned-hour entries: laden entries in the segment's banned hours; laden banned entries: entries its rules ban at any hour. Per day: over the days with a laden passage.</p>`,
    table(segmentCols, r.segments.map(segmentRow)),
  ];
  if (r.segments.length > 0) {
    const weeks = windowWeeks(r.window.fromMs, r.window.toMs);
    parts.push(`<h3>${bi('重载通过分布', 'Laden passages by hour of day and by week')}</h3>`);
    parts.push(...r.segments.slice(0, SEGMENT_CHARTS).map((s) => segmentCharts(s, weeks)));
    if (r.segments.length > SEGMENT_CHARTS) parts.push(`<p class="muted">${r.segments.length - SEGMENT_CHARTS} more segments: segment-hours.csv, segment-weeks.csv</p>`);
  }
  return parts.join('\n');
}

// --- inputs

function inputsSection(r: PlanningReport, files: readonly string[]): string {
  const i = r.inputs;
  const c = r.counts;
  return [
    `<h2 id="inputs">${bi('生成参数', 'Inputs')}</h2>`,
    kv([
      ['时段 window (from inclusive, to exclusive, Beijing time)', `${r.window.from} — ${r.window.to}`],
      ['天 / 周 days / weeks', `${fixed(r.window.days, 4)} / ${fixed(r.window.weeks, 4)}`],
      ['H3 分辨率 resolutions (--res)', i.resolutions.join(', ')],
      ['候选区域 candidate areas: resolution, at least this far from every lot (--min-distance-m)', `r${i.candidateRes}, ${i.minDistanceM} m`],
      ['记录位置 recorded up to (--recorded-up-to)', i.recordedUpTo ?? '— (the whole store as read)'],
      ['短时停车下限 short stops from (s)', i.shortStopMinS],
      ['停留分级 dwell classes, upper bounds (s)', i.dwellBoundsS.join(', ')],
      ['车速分档上限 speed bins up to (km/h)', i.maxSpeedBinKmh],
    ]),
    `<h3>${bi('检测阈值', 'Detection thresholds (--config)')}</h3>`,
    kv(Object.entries(r.detection)),
    `<h3>${bi('读取的事件', 'Events read')}</h3>`,
    `<p class="muted small">The record is read in store order from its beginning. Every catalogue event goes to the detection engine as it went live; those that occurred at or after the end of the window only shape the engine's state (a fix recorded after them is late, as it was live), the tables stand as they were at the end.</p>`,
    kv([
      ['read 读取', c.read],
      ['fed to the engine 送入检测引擎', c.fed],
      ['of them positions 定位', c.positions],
      ['of them at or after the end of the window 窗口结束后', c.atOrAfterTo],
      ['own detections, not fed 检测事件（不送入）', c.ownDetections],
      ['other types (audit records, …) 其他类型', c.otherTypes],
      ['unreadable 无法读取', c.unreadable],
      ['late fixes, ignored 迟到定位', c.late],
      ['duplicates, ignored 重复', c.duplicates],
      ['refused by the engine 被拒绝', c.rejected],
    ]),
    `<h3>${bi('文件', 'Files')}</h3>`,
    `<p class="small">${files.map(mono).join(' ')}</p><p class="muted small">CSV: UTF-8 with BOM, CRLF; GeoJSON: WGS-84. planning.json holds every table, the window, the inputs and the counts.</p>`,
  ].join('\n');
}

export function renderPlanningHtml(r: PlanningReport, files: readonly string[]): string {
  return [
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>dgt 规划报告 Planning report ${h(r.window.from)} — ${h(r.window.to)}</title><style>${reportStyle}\n${planningStyle}</style></head><body>`,
    header(r),
    lotsSection(r),
    demandSection(r),
    segmentsSection(r),
    inputsSection(r, files),
    '</body></html>\n',
  ].join('\n');
}
