/** What may be uploaded for a case, and the bytes each such file starts with (a JPEG is checked to be one). */
export const uploadTypes = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'application/pdf': [0x25, 0x50, 0x44, 0x46, 0x2d],
} as const;
export type UploadType = keyof typeof uploadTypes;
export const uploadTypeNames = Object.keys(uploadTypes) as [UploadType, ...UploadType[]];

export function isUploadType(type: string): type is UploadType {
  return Object.hasOwn(uploadTypes, type);
}

/**
 * Whether `bytes` start as a file of `type` does. Files are served back with the type they were
 * cited with: checking it against the bytes keeps a "photo" from being served as anything else.
 */
export function looksLike(type: UploadType, bytes: Uint8Array): boolean {
  const magic = uploadTypes[type];
  return bytes.byteLength >= magic.length && magic.every((b, i) => bytes[i] === b);
}
