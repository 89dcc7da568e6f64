// The floor `dgt detect` is measured against: read the file line by line with readline and
// JSON.parse each line, nothing else.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

let lines = 0;
let positions = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
  if (line === '') continue;
  lines++;
  if (JSON.parse(line).type === 'VehiclePositionReported') positions++;
}
process.stderr.write(`${lines} lines, ${positions} positions\n`);
