import { hazardLabel, type HazardLabel } from '@dgt/safetycodes';

/*
 * The class's hazard label as inline SVG: a diamond in the label's colours, a simplified
 * pictogram and the class number in the bottom corner. Inline, so the page loads no image (its
 * CSP allows none) and works on a slow roadside connection. Simplified shapes, recognisable at a
 * glance; the class name is always written beside it.
 */

const symbols: Record<HazardLabel['symbol'], (ink: string) => string> = {
  explosion: (ink) =>
    `<polygon fill="${ink}" points="50,12 55,30 68,18 63,35 80,32 66,42 50,44 34,42 20,32 37,35 32,18 45,30"/>`,
  flame: (ink) =>
    `<path fill="${ink}" d="M50 12c4 10 14 14 14 26 0 9-6 14-14 14s-14-5-14-14c0-7 4-10 6-15 1 5 3 7 5 8-1-8 1-13 3-19z"/>`,
  cylinder: (ink) =>
    `<rect fill="${ink}" x="30" y="24" width="40" height="14" rx="7"/><rect fill="${ink}" x="66" y="28" width="8" height="6"/>`,
  skull: (ink) =>
    `<circle fill="${ink}" cx="50" cy="26" r="11"/><rect fill="${ink}" x="43" y="33" width="14" height="8" rx="2"/><circle fill="#fff" cx="45.5" cy="25" r="3"/><circle fill="#fff" cx="54.5" cy="25" r="3"/><path stroke="${ink}" stroke-width="4" d="M34 42l32 8M66 42l-32 8"/>`,
  flameOverCircle: (ink) =>
    `<path fill="${ink}" d="M50 10c4 8 11 11 11 20 0 6-5 10-11 10s-11-4-11-10c0-6 4-8 5-12 1 4 2 5 4 6-1-6 0-10 2-14z"/><circle fill="none" stroke="${ink}" stroke-width="4" cx="50" cy="44" r="7"/>`,
  biohazard: (ink) =>
    `<g fill="none" stroke="${ink}" stroke-width="4"><circle cx="50" cy="22" r="8"/><circle cx="41" cy="37" r="8"/><circle cx="59" cy="37" r="8"/></g>`,
  trefoil: (ink) =>
    `<circle fill="${ink}" cx="50" cy="32" r="4"/><path fill="${ink}" d="M50 32L42 18a16 16 0 0 1 16 0zM50 32l16 0a16 16 0 0 1-8 14zM50 32l-8 14a16 16 0 0 1-8-14z"/>`,
  corrosion: (ink) =>
    `<rect fill="${ink}" x="28" y="14" width="14" height="8"/><rect fill="${ink}" x="58" y="14" width="14" height="8"/><path fill="${ink}" d="M33 26h4v10h-4zM63 26h4v10h-4z"/><rect fill="${ink}" x="26" y="40" width="18" height="6"/><rect fill="${ink}" x="56" y="40" width="18" height="6"/>`,
  none: () => '',
};

/** Striped labels: seven vertical stripes on the upper half (9) or the whole label (4.1), clipped to the diamond. */
function stripes(label: HazardLabel, clip: string): string {
  if (!label.stripes) return '';
  const bottom = label.hazardClass === '9' ? 50 : 100;
  const bars = Array.from(
    { length: 7 },
    (_, i) =>
      `<rect x="${8 + i * 12}" y="0" width="6" height="${bottom}" fill="${label.hazardClass === '9' ? '#000' : '#d7261e'}"/>`,
  ).join('');
  return `<g clip-path="url(#${clip})">${label.hazardClass === '4.1' ? '<rect width="100" height="100" fill="#fff"/>' : ''}${bars}</g>`;
}

/** `hazardClass` is already a validated class ("3", "6.1"); anything else is escaped like text. */
/** `clipId` must be unique in the page (one per label drawn). */
export function hazardPictogramSvg(
  hazardClass: string,
  escape: (text: string) => string,
  clipId = 'hz0',
): string {
  const label = hazardLabel(hazardClass);
  const diamond = 'M50 2L98 50L50 98L2 50Z';
  return (
    `<svg class="diamond" viewBox="0 0 100 100" role="img" aria-label="${escape(`第${label.hazardClass}类 ${label.nameZh}`)}" xmlns="http://www.w3.org/2000/svg">` +
    `<defs><clipPath id="${clipId}"><path d="${diamond}"/></clipPath></defs>` +
    `<g clip-path="url(#${clipId})"><rect width="100" height="50" fill="${label.top}"/><rect y="50" width="100" height="50" fill="${label.bottom}"/></g>` +
    stripes(label, clipId) +
    symbols[label.symbol](label.hazardClass === '8' ? '#000' : label.ink) +
    // The edge in black, so a white label (6.1, 8, 9) stands out on the white page; the inner line as on the label, left off where the half is black.
    `<path d="${diamond}" fill="none" stroke="#000" stroke-width="2"/>` +
    (label.bottom === '#000000'
      ? ''
      : `<path d="M50 7L93 50L50 93L7 50Z" fill="none" stroke="${label.ink}" stroke-width="1.5"/>`) +
    `<text x="50" y="86" text-anchor="middle" font-size="14" font-weight="700" fill="${label.bottom === '#000000' ? '#fff' : label.ink}">${escape(label.hazardClass)}</text>` +
    `</svg>`
  );
}
