import { type LonLat, type NodeId, nodes, type RoadClass, roads, speedLimitKmh } from './geography.ts';
import { toXY } from './planar.ts';

interface Edge {
  from: NodeId;
  to: NodeId;
  roadId: string;
  roadClass: RoadClass;
  /** From `from` to `to`, both included. */
  points: LonLat[];
  lengthM: number;
  restrictedZoneId: string | undefined;
}

export interface RouteOptions {
  /**
   * Keep off every road through a restricted area, as a laden driver who respects the bans does
   * (a detour by the ring road); otherwise the fastest way, as an empty vehicle or a violator goes.
   */
  avoidRestricted?: boolean;
}

/**
 * A drivable route: a polyline with cumulative distances, the speed limit of each piece and
 * the junctions passed (where traffic lights may stop the vehicle).
 */
export interface Route {
  from: NodeId;
  to: NodeId;
  xs: Float64Array;
  ys: Float64Array;
  /** Cumulative distance (m) at each vertex. */
  cum: Float64Array;
  /** Speed limit (km/h) of the piece from vertex i to i+1. */
  limitKmh: Float64Array;
  /** Road class of the piece from vertex i to i+1. */
  roadClass: RoadClass[];
  lengthM: number;
  /** Distance along the route of each intermediate junction on an ordinary road (not expressway). */
  signalledJunctionsM: number[];
  /** Restricted areas whose roads the route takes (none for a route that avoids them). */
  throughRestricted: readonly string[];
}

function lengthOf(points: readonly LonLat[]): number {
  let len = 0;
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = toXY(points[i - 1]!);
    const [bx, by] = toXY(points[i]!);
    len += Math.hypot(bx - ax, by - ay);
  }
  return len;
}

export class RoadNetworkError extends Error {
  readonly code = 'NO_ROUTE';
  constructor(message: string) {
    super(message);
    this.name = 'RoadNetworkError';
  }
}

/** The Taizhou road graph: named nodes joined by road pieces, routed by travel time. */
export class RoadNetwork {
  private readonly adjacency = new Map<NodeId, Edge[]>();
  private readonly cache = new Map<string, Route>();

  constructor() {
    for (const road of roads) {
      let from: NodeId | null = null;
      let shape: LonLat[] = [];
      for (const p of road.points) {
        if (typeof p === 'string') {
          const here = nodes[p];
          if (from !== null) {
            const points = [...shape, here];
            const lengthM = lengthOf(points);
            const restrictedZoneId = road.restrictedZoneId;
            this.add({ from, to: p, roadId: road.id, roadClass: road.roadClass, points, lengthM, restrictedZoneId });
            this.add({ from: p, to: from, roadId: road.id, roadClass: road.roadClass, points: [...points].reverse(), lengthM, restrictedZoneId });
          }
          from = p;
          shape = [here];
        } else {
          shape.push(p);
        }
      }
    }
  }

  degree(node: NodeId): number {
    return this.adjacency.get(node)?.length ?? 0;
  }

  /** Fastest route by speed limits (Dijkstra; the graph has a few dozen nodes). */
  route(from: NodeId, to: NodeId, options: RouteOptions = {}): Route {
    const avoid = options.avoidRestricted === true;
    const key = `${from}>${to}${avoid ? '>lawful' : ''}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const cost = new Map<NodeId, number>([[from, 0]]);
    const via = new Map<NodeId, Edge>();
    const done = new Set<NodeId>();
    for (;;) {
      let best: NodeId | null = null;
      let bestCost = Infinity;
      for (const [n, c] of cost) if (!done.has(n) && c < bestCost) [best, bestCost] = [n, c];
      if (best === null) throw new RoadNetworkError(`no route from ${from} to ${to}`);
      if (best === to) break;
      done.add(best);
      for (const e of this.adjacency.get(best) ?? []) {
        if (avoid && e.restrictedZoneId !== undefined) continue;
        const c = bestCost + e.lengthM / speedLimitKmh[e.roadClass];
        if (c < (cost.get(e.to) ?? Infinity)) {
          cost.set(e.to, c);
          via.set(e.to, e);
        }
      }
    }
    const edges: Edge[] = [];
    for (let n: NodeId = to; n !== from; ) {
      const e = via.get(n)!;
      edges.unshift(e);
      n = e.from;
    }
    const route = buildRoute(from, to, edges, (n) => this.degree(n));
    this.cache.set(key, route);
    return route;
  }

  /** Every road as drawn: for the seeds' roads.json. */
  static roadGeometries(): { id: string; name: string; roadClass: RoadClass; restrictedZoneId?: string; coordinates: LonLat[] }[] {
    return roads.map((r) => ({
      id: r.id,
      name: r.name,
      roadClass: r.roadClass,
      ...(r.restrictedZoneId === undefined ? {} : { restrictedZoneId: r.restrictedZoneId }),
      coordinates: r.points.map((p) => (typeof p === 'string' ? nodes[p] : p)),
    }));
  }

  private add(edge: Edge): void {
    const list = this.adjacency.get(edge.from);
    if (list) list.push(edge);
    else this.adjacency.set(edge.from, [edge]);
  }
}

function buildRoute(from: NodeId, to: NodeId, edges: readonly Edge[], degree: (n: NodeId) => number): Route {
  const pts: LonLat[] = [nodes[from]];
  const cls: RoadClass[] = [];
  const signalled: number[] = [];
  let vertexCount = 1;
  const junctionVertex: number[] = [];
  for (const [i, e] of edges.entries()) {
    for (let k = 1; k < e.points.length; k++) {
      pts.push(e.points[k]!);
      cls.push(e.roadClass);
    }
    vertexCount += e.points.length - 1;
    if (i + 1 < edges.length && degree(e.to) >= 3) {
      const next = edges[i + 1]!;
      // Lights only where an ordinary road meets the junction; interchanges have none.
      if (e.roadClass === 'road' || next.roadClass === 'road') junctionVertex.push(vertexCount - 1);
    }
  }
  const xs = new Float64Array(pts.length);
  const ys = new Float64Array(pts.length);
  const cum = new Float64Array(pts.length);
  pts.forEach((p, i) => {
    const [x, y] = toXY(p);
    xs[i] = x;
    ys[i] = y;
    if (i > 0) cum[i] = cum[i - 1]! + Math.hypot(x - xs[i - 1]!, y - ys[i - 1]!);
  });
  for (const v of junctionVertex) signalled.push(cum[v]!);
  const limitKmh = new Float64Array(cls.map((c) => speedLimitKmh[c]));
  const throughRestricted = [...new Set(edges.flatMap((e) => (e.restrictedZoneId === undefined ? [] : [e.restrictedZoneId])))];
  return { from, to, xs, ys, cum, limitKmh, roadClass: cls, lengthM: cum[pts.length - 1]!, signalledJunctionsM: signalled, throughRestricted };
}

/** Index of the piece containing distance `s` (binary search), clamped to the last piece. */
export function pieceAt(route: Route, s: number): number {
  let lo = 0;
  let hi = route.cum.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (route.cum[mid]! <= s) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Position (planar metres) and heading (degrees from north) at distance `s` along the route. */
export function positionAt(route: Route, s: number, piece = pieceAt(route, s)): { x: number; y: number; headingDeg: number } {
  const i = piece;
  const x0 = route.xs[i]!;
  const y0 = route.ys[i]!;
  const dx = route.xs[i + 1]! - x0;
  const dy = route.ys[i + 1]! - y0;
  const len = route.cum[i + 1]! - route.cum[i]!;
  const t = len === 0 ? 0 : Math.max(0, Math.min(1, (s - route.cum[i]!) / len));
  const heading = (Math.atan2(dx, dy) * 180) / Math.PI;
  return { x: x0 + t * dx, y: y0 + t * dy, headingDeg: heading < 0 ? heading + 360 : heading };
}
