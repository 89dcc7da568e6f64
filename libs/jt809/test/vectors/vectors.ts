import type { CipherKeys, Edition } from '../../src/index.ts';

/**
 * Published JT/T 809 frames and bodies. Every one is copied from the file named in `source`
 * (hex is data, not code); none is invented. Frames carry a CRC-16 the decoder verifies, so a
 * transcription error fails a test instead of passing silently. README.md lists them in a table.
 */
export interface Vector {
  readonly name: string;
  readonly hex: string;
  readonly edition: Edition;
  readonly source: string;
  readonly keys?: CipherKeys;
}

const SMALLCHI = 'SmallChi/JT809 (.NET, MIT) @ 4528912cac289aaf333edadd0b297bc1be6071e4';
const DOTNETTY = 'SmallChi/JT809DotNetty (.NET) @ c197ec1fe6b882d750fe98f35dea5d3ef755a51f';
const CH0ICE = 'ch0ice/jt809-tcp-server (Java) @ aea2f6a51655e953d8b6be17bb4ec81be1a2b3e7, src/main/resources/testData.txt';
const GUOJIAN = `${SMALLCHI}, src/JT809.Protocol.Test/JT809MessageBody/GuoJian001Test.cs (frames "provided by a user" of a national supervision link)`;

/** M1 / IA1 / IC1 of the published encrypted frames. */
export const smallChiKeys: CipherKeys = { m1: 30_000_000, ia1: 20_000_000, ic1: 20_000_000 };
export const demoKeys2024: CipherKeys = { m1: 20_240_604, ia1: 20_240_604, ic1: 20_240_604 };
export const guoJianKeys: CipherKeys = { m1: 56_107_078, ia1: 37_382_110, ic1: 50_361_430 };

export const smallChi = {
  login2011: {
    name: '0x1001 2011 login, clear',
    hex: '5b000000480000008510010133efb8010000000000270f0133efb832303138303932303132372e302e302e31000000000000000000000000000000000000000000000003296a915d',
    edition: '2011',
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809Packages/JT809_0x1001PackageTest.cs`,
  },
  login2011Encrypted: {
    name: '0x1001 2011 login, body encrypted (key 256178)',
    hex: '5b000000480000008510010133efb8010000010003e8b2d37d9cc4900c77dc78f8676527d8ae12243cfb64cc2fba619aefad33accb3256f67bff19df33097841098665703fe36e5d',
    edition: '2011',
    keys: smallChiKeys,
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809Packages/JT809_0x1001EncryptPackageTest.cs`,
  },
  login2019Encrypted: {
    name: '0x1001 2019 login, body encrypted with ENCRYPT_KEY 0',
    hex: '5b000000540000000d10010000006601020f010000000000000000665f4d7a261313752221202726251313131313752221243d233d233d221313131313131313131313131313131313131313131313345e0191e45d',
    edition: '2019',
    keys: demoKeys2024,
    source: `${SMALLCHI}, src/JT809.Protocol.Test/Simples/Demo1.cs (Test4)`,
  },
  registration2019: {
    name: '0x1200/0x1201 2019 vehicle registration (110-byte layout)',
    hex: '5b000000ac000006821200013415f4010000000000270f000000005e02a507b8d4c1413132333435000000000000000000000000000112010000006e31313131313131313131003131313131313131313100313131313131313100000000000000000000000000000000000000000000313233343536373839000000000000313131313141410000000000000000000000000000000000000000000000323232323232323232323232006d7a5d',
    edition: '2019',
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1200_0x1201Test.cs (Test_2019_3)`,
  },
  registration2011: {
    name: '0x1200/0x1201 2011 vehicle registration (49-byte layout, ids padded on the left)',
    hex: '5b00000067000000611200000003f30100000000036871bea948454e333137000000000000000000000000000412010000003100000000000000313031310000000000003730313131000000000000000000000000000000313230323939353533353735327d5d',
    edition: '2011',
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1200_0x1201Test.cs (Test3)`,
  },
  location2019LegacyFix: {
    name: '0x1200/0x1202 2019 real-time location carrying the 2011 fix layout in GNSS_DATA',
    hex: '5b000000930000000112000098968701000000000368710000000068da5772b2e2cad4b1a8beaf000000000000000000000000000112020000005500000000231d0907e911362b06b35071021117160000000000006d7f007b00b00004000300000001000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000de6e5d',
    edition: '2019',
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1200_0x1202Test.cs (Test_2019_6)`,
  },
  alarm2019: {
    name: '0x1400/0x1402 2019 alarm report ("purchased data": overtime parking)',
    hex: '5b0000007e00000002140001fec19001020f0000000000000000005f616c491402000000564a43323032305054303838a001000000005f5f7b3e000000005f5f7b3e000000005f5f7b3eb2e2413933323238000000000000000000000000000200000000000000000000000000000000000008b3accab1cda3b3b5f77e5d',
    edition: '2019',
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1400_0x1402Test.cs (Test_2019_3)`,
  },
} satisfies Record<string, Vector>;

/** Bodies (no header) published with the values they encode. */
export const smallChiBodies = {
  /** 0x1202 2011 GNSS_DATA: 2012-07-19 15:15:15, lon 133123456, lat 24123456, VEC1 50, VEC2 51, VEC3 150, direction 45, altitude 45, state 3, alarm 257. */
  fix2011: { hex: '00130707dc0f0f0f07ef4d80017018400032003300000096002d002d0000000300000101', source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1200_0x1202Test.cs (Test1/Test2)` },
  /** 0x1202 2019: ENCRYPT 1, a JT/T 808-2019 0x0200 body (alarm 1, status 2, lat 12222222, lon 132444444, altitude 40, speed 60, direction 0, 2018-07-15 10:10:10, mileage 100, fuel 55), platform alarms 11111111111/1, 22222222222/2, 33333333333/3. */
  fix2019: {
    hex: '0100000026000000010000000200ba7f0e07e4f11c0028003c000018071510101001040000006402020037313131313131313131313100000001323232323232323232323200000002333333333333333333333300000003',
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1200_0x1202Test.cs (Test_2019_3/Test_2019_4)`,
  },
  /** 0x1402 2011: WARN_SRC 1, WARN_TYPE 0x000B, WARN_TIME 0x5BAA5B80, INFO_ID 3344, "gfdf454553". */
  alarmReport2011: { hex: '01000b000000005baa5b8000000d100000000a67666466343534353533', source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1400_0x1402Test.cs (Test1/Test2)` },
  /** 0x1402 2019: 12345678900, 0x000B, times 2020-04-23/23/24 (+08:00), 粤A11111 blue, 12345678900, line 0, "gfdf454553". */
  alarmReport2019: {
    hex: '3132333435363738393030000b000000005ea06a00000000005ea06a00000000005ea1bb80d4c141313131313100000000000000000000000000013132333435363738393030000000000000000a67666466343534353533',
    source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809SubMessageBody/JT809_0x1400_0x1402Test.cs (Test_2019_1/Test_2019_2)`,
  },
  /** 0x1002: result 0, verify code 54456. */
  loginResponse: { hex: '000000d4b8', source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809MessageBody/JT809_0x1002Test.cs` },
  /** 0x1003: user 20180920, password "20180920". */
  logout: { hex: '0133efb83230313830393230', source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809MessageBody/JT809_0x1003Test.cs` },
  /** 0x9001: verify code 45454. */
  downLogin: { hex: '0000b18e', source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809MessageBody/JT809_0x9001Test.cs` },
  /** The standard's cipher on bytes 01..07 with key 256178 and smallChiKeys. */
  cipher: { plain: '01020304050607', encrypted: 'd34c7078a73a41', key: 256_178, source: `${SMALLCHI}, src/JT809.Protocol.Test/JT809Encrypt/JT809EncryptTest.cs` },
} as const;

export const dotNetty = {
  login2011: {
    name: '0x1001 2011 login',
    hex: '5b00000048000000851001013353d5010000000000270f0133530d32303134303831333132372e302e302e3100000000000000000000000000000000000000000000001fa3275f5d',
    edition: '2011',
    source: `${DOTNETTY}, src/JT809.DotNetty.Tests/JT809.DotNetty.Host.Test/Program.cs`,
  },
  logout2011: {
    name: '0x1003 2011 logout',
    hex: '5b000000260000008510030134140e010000000000270f0001e24031323334353600003fe15d',
    edition: '2011',
    source: `${DOTNETTY}, src/JT809.DotNetty.Tests/JT809.DotNetty.Host.Test/Program.cs`,
  },
  heartbeat2011: {
    name: '0x1005 2011 main-link heartbeat',
    hex: '5b0000001a0000008510050134140e010000000000270fba415d',
    edition: '2011',
    source: `${DOTNETTY}, src/JT809.DotNetty.Tests/JT809.DotNetty.Host.Test/Program.cs`,
  },
  loginResponse2011: {
    name: '0x1002 2011 login response',
    hex: '5b0000001f0000053b100201341725010000000000270f00000004e8a6f25d',
    edition: '2011',
    source: `${DOTNETTY}, src/JT809.DotNetty.Simples/Inferior/JT809.Inferior.Client/JT809InferiorService.cs`,
  },
  downLoginResponse2011: {
    name: '0x9002 2011 down-link login response',
    hex: '5b0000001b00000002900200018772010000000000000000ab105d',
    edition: '2011',
    source: `${DOTNETTY}, src/JT809.DotNetty.Simples/Inferior/JT809.Inferior.Server/Program.cs`,
  },
  downHeartbeatResponse2011: {
    name: '0x9006 2011 down-link heartbeat response',
    hex: '5b0000001a00000003900600018772010000000000000064e75d',
    edition: '2011',
    source: `${DOTNETTY}, src/JT809.DotNetty.Simples/Inferior/JT809.Inferior.Server/Program.cs`,
  },
  location2011: {
    name: '0x1200/0x1202 2011 real-time location (MSG_LENGTH 0x5A escaped as 5A 02)',
    hex: '5b0000005a02000000a81200013414ce010000000000270fd4c14131323334353600000000000000000000000002120200000024000e0407e316130f07ef4d80017018400032003300000096002d002d0000000300000000e08f5d',
    edition: '2011',
    source: `${DOTNETTY}, src/JT809.DotNetty.Simples/Superior/JT809.Superior.Server/Program.cs`,
  },
} satisfies Record<string, Vector>;

export const ch0ice = {
  login2011: {
    name: '0x1001 2011 login (version 1.0.1)',
    hex: '5b000000480000005210010001e24001000100000000000001e2407465737438303900312e37312e3132392e32303100000000000000000000000000000000000000004e8ed9ba5d',
    edition: '2011',
    source: CH0ICE,
  },
  heartbeat2011: { name: '0x1005 2011 main-link heartbeat', hex: '5b0000001a0000257a10050001e24001000100000000001c525d', edition: '2011', source: CH0ICE },
  registration2011: {
    name: '0x1200/0x1201 2011 vehicle registration (61-byte layout, binary terminal id)',
    hex: '5b0000007300005a01821200022551250100010000000000b8d3474330373232000000000000000000000000000212010000003d3335303130320000000000373035303400000000000000000000000000000000000000000000000000003f001b3c000000303634383336323338353038a76c5d',
    edition: '2011',
    source: CH0ICE,
  },
  /** Not escaped by its sender: MSG_LENGTH 0x5A travels as a bare 0x5A. */
  location2011Unescaped: {
    name: '0x1200/0x1202 2011 real-time location, sent without escaping',
    hex: '5b0000005a0000011812000001e2400100010000000000c1c9434437313635000000000000000000000000000212020000002400090707e31234230736f0de026ecfef00000000000184e9010c000e000c00030000000012725d',
    edition: '2011',
    source: CH0ICE,
  },
} satisfies Record<string, Vector>;

/**
 * 2019 frames of a real national-supervision link, body-encrypted with guoJianKeys. Its sender
 * does not escape (MSG_LENGTH equals the raw length and the CRC holds over the raw bytes), so most
 * contain bare 0x5A / 0x5B bytes; the tests escape them as the standard requires before decoding.
 */
export const guoJian = {
  mainLinkBroken: { name: '0x1007 2019 main link broken, encrypted', hex: '5b00000023000000011007052df12c0000000100003b890000000068be43c6a3d0275d', edition: '2019', keys: guoJianKeys, source: GUOJIAN },
  location808: {
    name: '0x1200/0x1202 2019 real-time location with a JT/T 808 body, encrypted, not escaped',
    hex: '5b000000d80000036d1200052df12c0000000100003b890000000068d8c78f6a674e82b6aef82e91879f8478be0e5f9087119a5ae396940d1cf3e8d127391563ebff619e887d75e63836951aa437fae48b3f0ff1b174070fdd03eaac020cba76326371d7d7e0e657020c75e68d398c4a5fc71a89db6eb412bed061b6a037a9be6ba38aa6c5cd3ff712a603e652439cb88f52ae9aa7c117f8bf1dc36de797e348d5e192dbfcd2c39f5b1f371f270199cb17ea1a3b153df8184de19173d0d96111b140a938c8755091a90ea02817cc734b36e1e887be08b65d',
    edition: '2019',
    keys: guoJianKeys,
    source: GUOJIAN,
  },
  locationTrailingByte: {
    name: '0x1200/0x1202 2019 whose 29-byte GNSS_DATA ends in a lone 0xFF, encrypted, not escaped',
    hex: '5b0000008d000002da1200042c1d810000000100003b890000000068a7e5b111474ff8b4aefd2391879f8478be0e5f9087119a5ae396940d1cf33dd127391516ebfb619e887965e63bd52239a575aa998aae0c2fb14c070ed701f7adfc384589cd9c73d5d7e0e555013671e48c3888555ec61b88da6fb512bed061b6a037a9be6ba38aa6c5cd3ff712a6ccc15d',
    edition: '2019',
    keys: guoJianKeys,
    source: GUOJIAN,
  },
  alarmMillis: {
    name: '0x1400/0x1402 2019 with two millisecond times and no END_TIME, encrypted, not escaped',
    hex: '5b0000007e000039201400052df12c0000000100003b890000000068aeb1d3b7a70dc885c08354a3b7adb128ea3e6ba7271b9a5ae01c7c68c69372d126a1ff6d4a5a55afbe0341d50b08b860954e69368aca0ccfb14c2204c510c2e803084589cd9c73d5d7e0e555013261327a8f269d9076b23873d01bc27b1fc326865d',
    edition: '2019',
    keys: guoJianKeys,
    source: GUOJIAN,
  },
  alarmOther: { name: '0x1400/0x1401 2019, encrypted, a bare 0x5B inside', hex: '5b00000033000002581400052df12c0000000100003b890000000068b7a9c0b7a40dc8859dc47888e98b8678be0e5b91232e5d', edition: '2019', keys: guoJianKeys, source: GUOJIAN },
  supervision: {
    name: '0x9400 2019 down-link alarm supervision, clear',
    hex: '5b0000008e00000010940000000000000000000000000000000000689eb0ff9403000000664a43323032355054303437000300000198abac778e00000198abe3660ebea941313233343500000000000000000000000000013335303130303030000000000003e900000020b3b5c1beb3accbd9b1a8beafa3acb5b1c7b0cbd9b6c8b3acb9fdcfded6c6d6b53d705d',
    edition: '2019',
    keys: guoJianKeys,
    source: GUOJIAN,
  },
} satisfies Record<string, Vector>;
