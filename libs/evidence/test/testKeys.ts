import { generateKeyPairSync } from 'node:crypto';
import { type EvidenceContent, type PackMeta, parseSigningKey, type SigningKey } from '../src/index.ts';

/** A fresh Ed25519 signing key, as configuration would give it (PEM PKCS#8). */
export function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return parseSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
}

export const meta: PackMeta = {
  caseId: 'case-2026-0001',
  operator: { keyId: 'enforcement-1a2b3c4d', role: 'enforcement' },
  createdAt: '2026-03-01T09:30:00+08:00',
  toolVersion: 'dgt 0.1.0',
};

export const content: EvidenceContent = {
  caseJson: JSON.stringify({ caseId: 'case-2026-0001', status: 'evidence-frozen', vehicle: { plate: '浙J·12345' } }),
  reportHtml: '<!doctype html><html><body><h1>证据报告</h1><table><tr><td>浙J·12345</td></tr></table></body></html>\n',
  reportJson: JSON.stringify({ digest: 'sha256:abc', violations: [{ kind: 'illegal-parking', minutes: 41 }] }),
  reportCsv: 'kind,plate,minutes\nillegal-parking,浙J·12345,41\n',
  attachments: [
    { name: 'check-photo.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]) },
    { name: '申诉材料.pdf', bytes: new TextEncoder().encode('%PDF-1.7 appeal') },
  ],
};
