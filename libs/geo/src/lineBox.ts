/**
 * Conservative: false only when the straight lon/lat segment A→B surely misses the box (its
 * bounding boxes are apart, or all four corners lie strictly on one side of its line). Callers
 * enlarge their boxes by a safety margin, so rounding near a corner never loses a real contact.
 */
export function lineMayTouchBox(ax: number, ay: number, bx: number, by: number, minLon: number, minLat: number, maxLon: number, maxLat: number): boolean {
  if (Math.max(ax, bx) < minLon || Math.min(ax, bx) > maxLon) return false;
  if (Math.max(ay, by) < minLat || Math.min(ay, by) > maxLat) return false;
  const dx = bx - ax;
  const dy = by - ay;
  const s1 = dx * (minLat - ay) - dy * (minLon - ax);
  const s2 = dx * (minLat - ay) - dy * (maxLon - ax);
  const s3 = dx * (maxLat - ay) - dy * (minLon - ax);
  const s4 = dx * (maxLat - ay) - dy * (maxLon - ax);
  return !((s1 > 0 && s2 > 0 && s3 > 0 && s4 > 0) || (s1 < 0 && s2 < 0 && s3 < 0 && s4 < 0));
}

/**
 * False only when the line A→B surely misses grid cell (mx, my) of `perDegree` cells per degree
 * (the cell [mx, mx + 1) / perDegree × [my, my + 1) / perDegree): the cell is grown by `slackDeg`, far
 * above float rounding, so a point of the line computed into the cell, or onto its edge or corner,
 * is never missed.
 */
export function lineMayPassCell(ax: number, ay: number, bx: number, by: number, mx: number, my: number, perDegree: number, slackDeg: number): boolean {
  return lineMayTouchBox(ax, ay, bx, by, mx / perDegree - slackDeg, my / perDegree - slackDeg, (mx + 1) / perDegree + slackDeg, (my + 1) / perDegree + slackDeg);
}
