import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { basename, extname, join } from 'node:path';
import * as fontkit from 'fontkit';

/*
 * A PNG label has its text drawn into the pixels, so the machine that draws it needs a font with
 * a glyph for every character: the plate's province (浙), the product's name (甲醇), the
 * instruction (扫码查看应急处置信息). A Latin-only font draws empty boxes ("tofu") instead, and
 * a label that says nothing readable is worse than none; so a font is only used after its
 * character map is checked, and no PNG is drawn without one.
 */

export interface LabelFont {
  /** The font file, as given to the rasteriser. */
  readonly file: string;
  /** The family of the face that has the glyphs (the first such face of a collection). */
  readonly family: string;
  /** The characters of `text` this font has no glyph for (none: it can draw the text). */
  missing(text: string): string[];
}

export class LabelFontError extends Error {
  override readonly name = 'LabelFontError';
}

/** How to install a font, said with every "no font" error. */
export const installFontHint =
  'install a Chinese font (Debian/Ubuntu: apt-get install fonts-noto-cjk or fonts-wqy-zenhei; macOS and Windows have one)';

const fontExtensions = new Set(['.ttf', '.ttc', '.otf', '.otc']);
/** File names of common fonts with Chinese glyphs, so a directory walk opens only likely ones. */
const cjkFileName =
  /wqy|wenquanyi|noto.*cjk|sourcehan|source-han|droidsansfallback|pingfang|hiragino|stheiti|songti|heiti|msyh|msjh|simhei|simsun|simkai|simfang|arphic|ukai|uming|fandol|sarasa|lxgw/i;
/** Sans-serif names first: labels are read at a distance, and the label's own families are sans. */
const sansFileName = /sans|hei|gothic|yahei|pingfang|fallback/i;
/** Candidates opened at most: CJK fonts are 10–20 MB each, and the first few nearly always fit. */
const maxCandidates = 12;

function faceCovering(face: fontkit.Font, text: string): string[] {
  const missing = new Set<string>();
  for (const c of text) {
    // Spaces draw nothing in any font; a missing space glyph is no tofu.
    if (/\s/u.test(c)) continue;
    if (!face.hasGlyphForCodePoint(c.codePointAt(0)!)) missing.add(c);
  }
  return [...missing];
}

function facesOf(opened: fontkit.Font | fontkit.FontCollection): fontkit.Font[] {
  return 'fonts' in opened ? opened.fonts : [opened];
}

async function openFaces(file: string): Promise<fontkit.Font[]> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new LabelFontError(`cannot read the font ${file}: ${(error as Error).message}`);
  }
  try {
    return facesOf(fontkit.create(bytes));
  } catch (error) {
    throw new LabelFontError(
      `${file} is not a font file fontkit can read (TrueType, OpenType or a collection of them): ${(error as Error).message}`,
    );
  }
}

function labelFontOf(file: string, face: fontkit.Font): LabelFont {
  return { file, family: face.familyName, missing: (text) => faceCovering(face, text) };
}

/**
 * The font in `file`, if one of its faces has a glyph for every character of `text`; otherwise
 * a LabelFontError naming the characters it lacks (a font given by hand must not print tofu either).
 */
export async function openLabelFont(file: string, text: string): Promise<LabelFont> {
  const faces = await openFaces(file);
  let fewest: string[] | undefined;
  for (const face of faces) {
    const missing = faceCovering(face, text);
    if (missing.length === 0) return labelFontOf(file, face);
    if (fewest === undefined || missing.length < fewest.length) fewest = missing;
  }
  throw new LabelFontError(
    `the font ${file} has no glyph for ${(fewest ?? []).slice(0, 12).join('')}: the label would print empty boxes; give a font with Chinese glyphs`,
  );
}

/** The directories fonts are installed in, by platform (fontconfig's defaults on Linux and BSDs). */
export function fontDirectories(
  os: NodeJS.Platform = platform(),
  home: string = homedir(),
): string[] {
  switch (os) {
    case 'darwin':
      return ['/System/Library/Fonts', '/Library/Fonts', join(home, 'Library/Fonts')];
    case 'win32':
      return ['C:\\Windows\\Fonts', join(home, 'AppData/Local/Microsoft/Windows/Fonts')];
    default:
      return [
        '/usr/share/fonts',
        '/usr/local/share/fonts',
        join(home, '.local/share/fonts'),
        join(home, '.fonts'),
      ];
  }
}

/** What fontconfig itself lists as having Chinese glyphs (`fc-list :lang=zh`); none where it is not installed. */
function fontconfigChineseFonts(): Promise<string[]> {
  return new Promise((resolve) => {
    execFile(
      'fc-list',
      ['--format', '%{file}\n', ':lang=zh'],
      { timeout: 5_000 },
      (error, stdout) => {
        resolve(error === null ? stdout.split('\n').filter((line) => line !== '') : []);
      },
    );
  });
}

async function walk(dir: string, depth: number, into: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // a directory this machine does not have
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Distributions link fonts into these folders (Debian's alternatives): follow the link to see what it is.
    const kind = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : entry;
    if (kind === undefined) continue;
    if (kind.isDirectory() && depth > 0) await walk(path, depth - 1, into);
    else if (
      kind.isFile() &&
      fontExtensions.has(extname(entry.name).toLowerCase()) &&
      cjkFileName.test(entry.name)
    )
      into.push(path);
  }
}

export interface FindLabelFontOptions {
  /** Directories to walk instead of the platform's (tests). */
  readonly directories?: readonly string[];
  /** Whether to ask fontconfig first (default true; tests turn it off to see only `directories`). */
  readonly fontconfig?: boolean;
}

/**
 * A font on this machine that can draw `text`: fontconfig's Chinese fonts first, then fonts with
 * a known CJK name in the platform's font directories, sans-serif before serif; each checked
 * glyph by glyph. A LabelFontError saying where it looked and how to install one when none fits.
 */
export async function findLabelFont(
  text: string,
  options: FindLabelFontOptions = {},
): Promise<LabelFont> {
  const directories = options.directories ?? fontDirectories();
  const walked: string[] = [];
  for (const dir of directories) await walk(dir, 4, walked);
  const listed = options.fontconfig === false ? [] : await fontconfigChineseFonts();
  const sansFirst = (files: string[]) => [
    ...files.filter((f) => sansFileName.test(basename(f))),
    ...files.filter((f) => !sansFileName.test(basename(f))),
  ];
  const candidates = [...new Set([...sansFirst(listed), ...sansFirst(walked.sort())])].slice(
    0,
    maxCandidates,
  );
  for (const file of candidates) {
    try {
      return await openLabelFont(file, text);
    } catch (error) {
      if (!(error instanceof LabelFontError)) throw error;
      // Not this one (unreadable, or short of a glyph): try the next.
    }
  }
  const where = [
    ...(options.fontconfig === false ? [] : ['fontconfig (fc-list :lang=zh)']),
    ...directories,
  ].join(', ');
  throw new LabelFontError(
    `no font with Chinese glyphs found for the label (looked in ${where}); ${installFontHint}, or give the font file`,
  );
}
