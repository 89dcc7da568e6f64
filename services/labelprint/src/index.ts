export {
  fontDirectories,
  findLabelFont,
  installFontHint,
  LabelFontError,
  openLabelFont,
  type FindLabelFontOptions,
  type LabelFont,
} from './labelFont.ts';
export { labelPng, labelPngWidth } from './labelPng.ts';
