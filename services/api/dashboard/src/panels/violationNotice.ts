import { el } from '../element.ts';
import { t } from '../i18n/translate.ts';

const soundKey = 'dgt.alertSound';

/**
 * How a new violation gets the duty officer's attention when the desk is not being looked at: the
 * tab's title counts them (`(3) …`) until the desk is looked at again, and a short tone sounds for
 * each (switchable; the choice is kept in this browser). Advisories and endings make neither.
 */
export class ViolationNotice {
  readonly element: HTMLButtonElement;
  readonly #baseTitle: string;
  #unseen = 0;
  #sounds = 0;
  #soundOn: boolean;
  #audio: AudioContext | null = null;
  readonly #seen = (): void => {
    if (this.#looking()) this.#clear();
  };

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    this.#baseTitle = document.title;
    this.#soundOn = storage?.getItem(soundKey) !== 'off';
    this.element = el('button', { type: 'button', class: 'alert-sound', 'data-testid': 'alert-sound' });
    this.element.addEventListener('click', () => this.#setSound(!this.#soundOn));
    this.#render();
    window.addEventListener('focus', this.#seen);
    document.addEventListener('visibilitychange', this.#seen);
  }

  /** The desk is closed (signed out, rebuilt in another language): it no longer touches the title. */
  dispose(): void {
    window.removeEventListener('focus', this.#seen);
    document.removeEventListener('visibilitychange', this.#seen);
    void this.#audio?.close();
  }

  /** A new violation has arrived (an opening, not yet shown before). */
  violation(): void {
    if (!this.#looking()) {
      this.#unseen++;
      document.title = `(${this.#unseen}) ${this.#baseTitle}`;
    }
    if (this.#soundOn) this.#tone();
  }

  #looking(): boolean {
    return document.visibilityState === 'visible' && document.hasFocus();
  }

  #clear(): void {
    this.#unseen = 0;
    document.title = this.#baseTitle;
  }

  #setSound(on: boolean): void {
    this.#soundOn = on;
    this.storage?.setItem(soundKey, on ? 'on' : 'off');
    // A click is the gesture a browser wants before it lets a page make sound.
    if (on) void this.#audio?.resume();
    this.#render();
  }

  #render(): void {
    // Words, not a bell emoji: a desk without an emoji font would show an empty box.
    this.element.textContent = this.#soundOn ? t('alerts.soundOn') : t('alerts.soundOff');
    this.element.setAttribute('aria-pressed', String(this.#soundOn));
    this.element.title = t('alerts.soundTitle');
    this.element.dataset.sounds = String(this.#sounds);
  }

  /** A short 880 Hz tone; a browser that refuses audio (no device, no gesture yet) stays silent. */
  #tone(): void {
    try {
      const audio = (this.#audio ??= new AudioContext());
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.value = 0.08;
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
      this.#sounds++;
      this.element.dataset.sounds = String(this.#sounds);
    } catch {
      // Silence is the fallback; the title still counts.
    }
  }
}
