import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  findLabelFont,
  labelPng,
  LabelFontError,
  openLabelFont,
  type LabelFont,
} from '@dgt/labelprint';
import { labelSvg, labelText } from '@dgt/safetycodes';
import { type Io, UsageError } from '../io.ts';

export const codesHelp = `Usage: dgt codes print (--product <firmId>/<productId> | --vehicle <vehicleId>)
                       --out <dir> --base-url <url> --key-file <file>
                       [--format svg|png] [--font <file>] [--api <url>]

Prints a safety information code (一企一品一码) as a QR label: asks the API for the
product's or the vehicle's current code (GET /v1/products/<firm>/<product>/code or
GET /v1/vehicles/<id>/code) and writes a label whose QR code opens
<base-url>/s/<code>, the public scan page (no key needed to scan).

  --product <firm>/<product>  a firm's registered product (labels for packages)
  --vehicle <vehicleId>       a vehicle (its label shows the goods it carries now)
  --out <dir>                 where the label goes (created if missing); the file is
                              product-<firm>-<product>.<format> or vehicle-<id>.<format>
  --base-url <url>            the public address of the API, as a phone at the roadside
                              reaches it (http or https), e.g. https://dgt.example.gov.cn
  --key-file <file>           a file holding your API key (bureau, enforcement, or
                              the carrier that owns the vehicle / is the firm)
  --format svg|png            the whole label: QR code with the product name and UN
                              number or the plate, and "扫码查看应急处置信息". svg (default):
                              text drawn by the viewer's fonts; png: 1200 × 1600 px
                              (60 × 80 mm at 508 dpi), text drawn into the pixels, which
                              needs a font with Chinese glyphs on this machine
  --font <file>               png only: the font to draw the text with (.ttf, .otf, .ttc).
                              Without it one is looked for (fontconfig, then the system's
                              font folders); none with every glyph the label needs: exit 1,
                              nothing written (never a label with empty boxes)
  --api <url>                 the API to ask (default http://127.0.0.1:8080, as npm start)
  -h, --help                  show this help

Exit codes: 0 written, 1 the API did not give the code (unreachable, refused, no
such product or vehicle) or no font can draw a PNG label's text, 2 usage.`;

const notFetched = 1;
const noFont = 1;

interface PrintedCode {
  readonly code: string;
  readonly path: string;
  /** The label's title: product name and UN number, or the plate. */
  readonly title: string;
  readonly fileStem: string;
}

export async function codes(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      product: { type: 'string' },
      vehicle: { type: 'string' },
      out: { type: 'string' },
      'base-url': { type: 'string' },
      'key-file': { type: 'string' },
      format: { type: 'string', default: 'svg' },
      font: { type: 'string' },
      api: { type: 'string', default: 'http://127.0.0.1:8080' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(codesHelp + '\n');
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action !== 'print' || rest.length > 0)
    throw new UsageError(
      `${action === undefined ? 'a subcommand is required' : `unknown subcommand "${[action, ...rest].join(' ')}"`}\n\n${codesHelp}`,
    );
  if ((values.product === undefined) === (values.vehicle === undefined))
    throw new UsageError(
      `print: give exactly one of --product <firm>/<product> and --vehicle <id>\n\n${codesHelp}`,
    );
  if (values.out === undefined)
    throw new UsageError(`print: --out <dir> is required\n\n${codesHelp}`);
  if (values['key-file'] === undefined)
    throw new UsageError(
      `print: --key-file <file> is required (a file holding your API key)\n\n${codesHelp}`,
    );
  const format = values.format;
  if (format !== 'svg' && format !== 'png')
    throw new UsageError(`print: --format must be svg or png, got "${format}"`);
  if (values.font !== undefined && format !== 'png')
    throw new UsageError(
      'print: --font is for --format png (an SVG label is drawn with the fonts of whatever shows or prints it)',
    );
  const baseUrl = publicBase(values['base-url']);
  const product = values.product === undefined ? undefined : productRef(values.product);

  const key = (await readText(values['key-file'])).trim();
  if (key === '')
    throw new UsageError(`--key-file ${values['key-file']} is empty: it holds the API key`);
  const api = values.api.replace(/\/+$/, '');
  const printed =
    product === undefined
      ? await vehicleCode(api, key, values.vehicle!)
      : await productCode(api, key, product.firmId, product.productId);
  if (typeof printed === 'string') {
    io.stderr.write(`dgt codes: ${printed}\n`);
    return notFetched;
  }
  const url = `${baseUrl}${printed.path}`;
  const file = join(values.out, `${printed.fileStem}.${format}`);
  let label: string | Uint8Array;
  if (format === 'svg') label = await labelSvg(url, printed.title);
  else {
    // The title is known now: the font must have its glyphs too (a plate's province, a product's name).
    const font = await pngFont(values.font, labelText(printed.title));
    if (font instanceof LabelFontError) {
      io.stderr.write(`dgt codes: ${font.message}\n`);
      return noFont;
    }
    label = await labelPng(url, printed.title, font);
  }
  await mkdir(values.out, { recursive: true });
  await writeFile(file, label);
  io.stdout.write(`${file}\n`);
  io.stderr.write(`dgt codes: ${printed.title}: label written; it opens ${url}\n`);
  return 0;
}

function publicBase(text: string | undefined): string {
  if (text === undefined)
    throw new UsageError(
      `print: --base-url <url> is required (the public address phones reach)\n\n${codesHelp}`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--base-url: not a URL: ${text}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError('--base-url: must be http or https');
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '')
    throw new UsageError('--base-url: a base address without query, fragment or credentials');
  return url.href.replace(/\/+$/, '');
}

function productRef(text: string): { firmId: string; productId: string } {
  const m = /^([^/]+)\/([^/]+)$/.exec(text);
  if (m === null) throw new UsageError(`--product: expected <firmId>/<productId>, got "${text}"`);
  return { firmId: m[1]!, productId: m[2]! };
}

/** File names from ids: anything outside a safe set becomes "_", so an id never names a path elsewhere. */
const safeName = (id: string): string => id.replace(/[^A-Za-z0-9._-]/g, '_');

async function productCode(
  api: string,
  key: string,
  firmId: string,
  productId: string,
): Promise<PrintedCode | string> {
  const res = await get(
    `${api}/v1/products/${encodeURIComponent(firmId)}/${encodeURIComponent(productId)}/code`,
    key,
  );
  if (!res.ok)
    return `the API did not give the code of product ${firmId}/${productId}: ${await errorText(res)}`;
  const body = (await res.json()) as { code: string; path: string; name: string; unNumber: string };
  return {
    code: body.code,
    path: body.path,
    title: `${body.name} UN${body.unNumber}`,
    fileStem: `product-${safeName(firmId)}-${safeName(productId)}`,
  };
}

async function vehicleCode(
  api: string,
  key: string,
  vehicleId: string,
): Promise<PrintedCode | string> {
  const res = await get(`${api}/v1/vehicles/${encodeURIComponent(vehicleId)}/code`, key);
  if (!res.ok)
    return `the API did not give the code of vehicle ${vehicleId}: ${await errorText(res)}`;
  const body = (await res.json()) as { code: string; path: string; plateNo: string | null };
  return {
    code: body.code,
    path: body.path,
    title: body.plateNo ?? vehicleId,
    fileStem: `vehicle-${safeName(vehicleId)}`,
  };
}

async function get(url: string, key: string): Promise<Response> {
  try {
    return await fetch(url, { headers: { 'x-api-key': key }, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new UsageError(
      `cannot reach ${url}: ${(err as Error).message} (is the API running? --api)`,
      notFetched,
    );
  }
}

async function errorText(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    return `${res.status} ${body.error?.message ?? ''}`.trim();
  } catch {
    return `${res.status} ${res.statusText}`;
  }
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--key-file: cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * The font a PNG label is drawn with: the one given, or one found on this machine, either way
 * checked to have a glyph for every character of the label's `text`.
 */
async function pngFont(
  file: string | undefined,
  text: string,
): Promise<LabelFont | LabelFontError> {
  try {
    return file === undefined ? await findLabelFont(text) : await openLabelFont(file, text);
  } catch (error) {
    if (error instanceof LabelFontError)
      return new LabelFontError(
        file === undefined ? `${error.message} with --font <file>` : `--font: ${error.message}`,
      );
    throw error;
  }
}
