/**
 * The hazard label (GB 190 / ADR, 危险货物包装标志) of each class or division: what the scan
 * page draws as the diamond. `top` and `bottom` are the two halves' colours (equal for one-colour
 * labels); `symbol` names the pictogram; `stripes` marks the striped labels of 4.1 and 9.
 */
export interface HazardLabel {
  readonly hazardClass: string;
  /** The class's Chinese name, as on the label and the waybill. */
  readonly nameZh: string;
  readonly top: string;
  readonly bottom: string;
  /** Colour of the symbol and the class number. */
  readonly ink: string;
  readonly symbol:
    | 'explosion'
    | 'flame'
    | 'cylinder'
    | 'skull'
    | 'flameOverCircle'
    | 'biohazard'
    | 'trefoil'
    | 'corrosion'
    | 'none';
  readonly stripes: boolean;
}

const orange = '#f47b20';
const red = '#d7261e';
const green = '#00843d';
const white = '#ffffff';
const blue = '#0061a8';
const yellow = '#ffd200';
const black = '#000000';

const label = (
  hazardClass: string,
  nameZh: string,
  top: string,
  bottom: string,
  ink: string,
  symbol: HazardLabel['symbol'],
  stripes = false,
): HazardLabel => ({ hazardClass, nameZh, top, bottom, ink, symbol, stripes });

const labels: ReadonlyMap<string, HazardLabel> = new Map(
  [
    label('1', '爆炸品', orange, orange, black, 'explosion'),
    label('2.1', '易燃气体', red, red, black, 'flame'),
    label('2.2', '非易燃无毒气体', green, green, black, 'cylinder'),
    label('2.3', '毒性气体', white, white, black, 'skull'),
    label('3', '易燃液体', red, red, black, 'flame'),
    label('4.1', '易燃固体', red, red, black, 'flame', true),
    label('4.2', '易于自燃的物质', white, red, black, 'flame'),
    label('4.3', '遇水放出易燃气体的物质', blue, blue, black, 'flame'),
    label('5.1', '氧化性物质', yellow, yellow, black, 'flameOverCircle'),
    label('5.2', '有机过氧化物', red, yellow, black, 'flame'),
    label('6.1', '毒性物质', white, white, black, 'skull'),
    label('6.2', '感染性物质', white, white, black, 'biohazard'),
    label('7', '放射性物质', yellow, white, black, 'trefoil'),
    label('8', '腐蚀性物质', white, black, black, 'corrosion'),
    label('9', '杂项危险物质和物品', white, white, black, 'none', true),
  ].map((l) => [l.hazardClass, l]),
);

/** Divisions of 1 share the class's label; any other unknown class gets a plain white diamond with its number. */
export function hazardLabel(hazardClass: string): HazardLabel {
  const exact = labels.get(hazardClass);
  if (exact !== undefined) return exact;
  const major = hazardClass.split('.')[0]!;
  const byClass =
    major === '1' || major === '2' ? labels.get(major === '1' ? '1' : '2.2') : labels.get(major);
  if (byClass !== undefined) return { ...byClass, hazardClass };
  return label(hazardClass, '危险货物', white, white, black, 'none');
}
