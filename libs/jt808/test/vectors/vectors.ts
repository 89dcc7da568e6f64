/**
 * Published JT/T 808 frames. Provenance of each is recorded here and in README.md; none was
 * invented. Every frame's checksum is verified by the decoder in vectors.unit.test.ts.
 */
export interface Vector {
  readonly name: string;
  readonly hex: string;
  readonly source: string;
}

const XTREAM_CODEC =
  'hylexus/xtream-codec (Java JT/T 808 server, Apache-2.0), debug/jt/jt-808-server-spring-boot-starter-debug-ui/src/utils/codec-utils.ts @ a76633b41d368b098ae2ce345aeea447e2e878b0, codecMockData';

export const domainLocation2019: Vector = {
  name: '0x0200 2019 location (domain.md)',
  hex: '7e02004026010000000001391234432900000000006f0000001601dc9a0707456246007b004200032501292233440202006401040000000c417e',
  source: `/work/shared/domain.md; the identical frame is ${XTREAM_CODEC} "BuiltinMessage0200"`,
};

export const xtream = {
  location2019Sample2: {
    name: '0x0200 2019 location with many TLVs',
    hex: '7e0200407c010000000001391234432900000000007b000000de01d907f2073d336c029a004e000014102119510901040000006f020200de0302029a0402014d2504000003093001211206010000000001130700000001000000310137642f000000dedf6f03420b0c0d0e0f04d201d907f2073d336c1410211951090001313233343536371410211951090101008e7e',
    source: `${XTREAM_CODEC} "BuiltinMessage0200Sample2"`,
  },
  batch2019: {
    name: '0x0704 2019 batch upload, type 0, two items',
    hex: '7e0704403f01000000000139123443290000000200001c000000010000000101d907f2073d336c029a00210059241029213903001c000000010000000101d907f3073d336d03090043005a241029213903f87e',
    source: `${XTREAM_CODEC} "BuiltinMessage0704"`,
  },
  register2013: {
    name: '0x0100 2013 register',
    hex: '7e0100002f0139123443230000000b0002696433323174797065313233343536373839303132333435366964313233343501b8ca4a2d3132333435395a7e',
    source: `${XTREAM_CODEC} "BuiltinMessage0100V2013"`,
  },
  register2019: {
    name: '0x0100 2019 register',
    hex: '7e0100405601000000000139123443290000000b0002696431323334353637383974797065313233343536373839303132333435363738393031323334353669643132333435363738393031323334353637383930313233343536373801b8ca4a2d313233343539517e',
    source: `${XTREAM_CODEC} "BuiltinMessage0100V2019"`,
  },
  authenticate2013: {
    name: '0x0102 2013 authenticate',
    hex: '7e0102000d0139123443230000d5e2cac7bcf8c8a8c2eb313131767e',
    source: `${XTREAM_CODEC} "BuiltinMessage0102V2013"`,
  },
  authenticate2019: {
    name: '0x0102 2019 authenticate',
    hex: '7e01024031010000000001391234432900000dd5e2cac7bcf8c8a8c2eb313131313131313131313131313131313131312e322e333031300000000000000000000000003c7e',
    source: `${XTREAM_CODEC} "BuiltinMessage0102V2019"`,
  },
  heartbeat2019: {
    name: '0x0002 2019 heartbeat',
    hex: '7e0002400001000000000139123443290000377e',
    source: `${XTREAM_CODEC} "BuiltinMessage0002"`,
  },
  logout2019: {
    name: '0x0003 2019 logout',
    hex: '7e0003400001000000000139123443290000367e',
    source: `${XTREAM_CODEC} "BuiltinMessage0003"`,
  },
  generalAck2019: {
    name: '0x8001 2019 general ack (serial 111, msg 0x0200, result 0)',
    hex: '7e8001400501000000000139123443290000006f020000dc7e',
    source: `${XTREAM_CODEC} "BuiltinMessage8001"`,
  },
  registerAck2019: {
    name: '0x8100 2019 register ack (serial 111, result 0, auth code "ok..ok..ok")',
    hex: '7e8100400d01000000000139123443290000006f006f6b2e2e6f6b2e2e6f6bd27e',
    source: `${XTREAM_CODEC} "BuiltinMessage8100"`,
  },
  unknownId2013: {
    name: '0x0302 2013 question answer (not decoded by this codec)',
    hex: '7e030200030139123443230000007b01067e',
    source: `${XTREAM_CODEC} "BuiltinMessage0302"`,
  },
} satisfies Record<string, Vector>;

const SMALLCHI =
  'SmallChi/JT808 (.NET JT/T 808 library, MIT), src/JT808.Protocol.Test/MessageBody/JT808_0x0001Test.cs @ d47b1364a18b63227b8fe7f8519e4b421a9dd222';

/** Frames from a second, independent implementation. */
export const smallChi = {
  terminalAck2013: {
    name: '0x0001 2013 terminal general response (serial 1203, answers serial 1000 / 0x0002, result 0)',
    hex: '7e0001000501234567890004b303e8000200d37e',
    source: `${SMALLCHI}, Test1/Test2`,
  },
} satisfies Record<string, Vector>;

/**
 * The domain.md location body split into three 2019 sub-packages (16 + 16 + 6 bytes). Found as a
 * commented-out sample in the hylexus/xtream-codec jt-808 debug UI decode page (a .vue file that
 * imports ../utils/codec-utils.ts; its exact path was not resolvable in the code index used).
 */
export const xtreamSubpackets: readonly Vector[] = [
  '7e0200601001000000000139123443290000000300010000006f0000001601dc9a07074562465a7e',
  '7e020060100100000000013912344329000100030002007b0042000325012922334402020064017e',
  '7e02006006010000000001391234432900020003000301040000000c1a7e',
].map((hex, i) => ({ name: `0x0200 2019 sub-package ${i + 1}/3`, hex, source: 'hylexus/xtream-codec jt-808 debug UI decode page (commented sample)' }));
