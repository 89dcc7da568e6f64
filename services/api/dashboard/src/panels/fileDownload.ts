import type { ApiClient } from '../api/apiClient.ts';
import { el } from '../element.ts';
import { formatBytes, shortHash } from '../caseLabels.ts';
import { t } from '../i18n/translate.ts';
import { refusalText } from './actionForm.ts';

export interface CaseFile {
  readonly sha256: string;
  readonly name: string;
  readonly size?: number;
}

/**
 * A download of a file the case cites. The key goes in the Authorization header, never in a URL,
 * so the file is fetched and offered as a blob (saved, not opened: an archived report page is
 * not run in the desk's origin).
 */
export function fileDownload(api: ApiClient, caseId: string, f: CaseFile): HTMLElement {
  const { button, status } = downloadButton(f.name, f.name, () => api.caseFile(caseId, f.sha256), { 'data-testid': 'case-file', 'data-sha256': f.sha256, title: t('casePage.fileHash', { sha256: f.sha256 }) });
  return el(
    'span',
    { class: 'case-file' },
    button,
    f.size === undefined ? null : el('span', { class: 'muted' }, ` ${formatBytes(f.size)}`),
    ' ',
    el('code', { class: 'hash', title: f.sha256, 'data-testid': 'case-file-hash' }, shortHash(f.sha256)),
    status,
  );
}

/** A button that fetches a file with the key and saves it as `filename`; a failure is shown in `status`. */
export function downloadButton(label: string, filename: string, fetchBlob: () => Promise<Blob>, attributes: Record<string, string>): { button: HTMLButtonElement; status: HTMLElement } {
  const button = el('button', { type: 'button', class: 'link-button', ...attributes }, label);
  const status = el('span', { class: 'error', role: 'alert' });
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = '';
    fetchBlob()
      .then((blob) => {
        const url = URL.createObjectURL(blob);
        const a = el('a', { href: url, download: filename, hidden: '' });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      })
      .catch((error: unknown) => {
        status.textContent = ` ${refusalText(error)}`;
      })
      .finally(() => {
        button.disabled = false;
      });
  });
  return { button, status };
}
