// Terminal strings are GBK (plates, auth codes); GB18030 decodes GBK and is in every full-ICU Node build.
type Decoder = InstanceType<typeof TextDecoder>;

let gbk: Decoder | undefined;
let latin1: Decoder | undefined;

function gbkDecoder(): Decoder {
  if (gbk === undefined) {
    try {
      gbk = new TextDecoder('gb18030');
    } catch {
      // small-icu builds lack GB18030: keep the bytes readable rather than fail the frame
      latin1 ??= new TextDecoder('latin1');
      gbk = latin1;
    }
  }
  return gbk;
}

/** GBK text of bytes[start, end), trailing NUL padding removed. */
export function decodeGbk(bytes: Uint8Array, start: number, end: number): string {
  let e = end;
  while (e > start && bytes[e - 1] === 0) e--;
  return gbkDecoder().decode(bytes.subarray(start, e));
}
