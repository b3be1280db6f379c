/** What HQ or the store can ask of a display remotely (playback's `displayCommandSent`). */
export type CommandKind = 'RELOAD' | 'CLEAR_CACHE' | 'IDENTIFY' | 'SCREENSHOT';

export interface DisplayCommand {
  id: string;
  kind: CommandKind | string;
}

export interface CommandAnswer {
  screenshot?: string;
  error?: string;
}

/** What carrying out a command needs of the player. */
export interface CommandHost {
  answer(id: string, answer: CommandAnswer): Promise<void>;
  reload(): void;
  /** Drops the player's own caches (playlist files, shell) and stored playlist. */
  clearCaches(): Promise<void>;
  identify(ms: number): void;
  /** What the screen shows now, as a data: URL; throws when it cannot be pictured (say why). */
  capture(): Promise<string>;
}

export const IDENTIFY_MS = 15_000;

/**
 * Carries out one command and answers it. A reload ends the page, so it is answered first; a command this player
 * does not know is answered as failed, never ignored (the sender would wait for it until it expires).
 */
export async function runCommand(c: DisplayCommand, host: CommandHost): Promise<void> {
  switch (c.kind) {
    case 'IDENTIFY':
      host.identify(IDENTIFY_MS);
      return host.answer(c.id, {});
    case 'SCREENSHOT': {
      let answer: CommandAnswer;
      try {
        answer = { screenshot: await host.capture() };
      } catch (err) {
        answer = { error: err instanceof Error ? err.message : String(err) };
      }
      return host.answer(c.id, answer);
    }
    case 'RELOAD':
      await host.answer(c.id, {});
      return host.reload();
    case 'CLEAR_CACHE':
      await host.clearCaches();
      await host.answer(c.id, {});
      return host.reload();
    default:
      return host.answer(c.id, { error: `this player does not know ${c.kind} (an older release)` });
  }
}

/** The largest side of a screenshot: enough to see what plays, small enough to send over a shop's line. */
const SHOT_MAX = 1280;

/**
 * Pictures the image or video frame on the stage (JPEG), drawn as the screen fits it. HTML creatives and the
 * built-in screens (queue board, takeover message) are documents, not pictures: a page cannot photograph its own
 * DOM, so those answer with the reason instead.
 */
export function captureStage(stage: HTMLElement): string {
  const media = stage.querySelector<HTMLImageElement | HTMLVideoElement>('.item img, .item video');
  if (!media)
    throw new Error('the screen shows no image or video now (an HTML creative, a built-in screen, or nothing)');
  const w = media instanceof HTMLVideoElement ? media.videoWidth : media.naturalWidth;
  const h = media instanceof HTMLVideoElement ? media.videoHeight : media.naturalHeight;
  if (!w || !h) throw new Error('the media on screen has not loaded');
  const box = stage.getBoundingClientRect();
  const scale = Math.min(1, SHOT_MAX / Math.max(box.width, box.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(box.width * scale));
  canvas.height = Math.max(1, Math.round(box.height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas in this browser');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // object-fit: contain, as the renderer shows it.
  const fit = Math.min(canvas.width / w, canvas.height / h);
  const dw = w * fit;
  const dh = h * fit;
  ctx.drawImage(media, (canvas.width - dw) / 2, (canvas.height - dh) / 2, dw, dh);
  try {
    return canvas.toDataURL('image/jpeg', 0.8);
  } catch {
    // A file from another origin without CORS taints the canvas.
    throw new Error('the media on screen comes from another origin that does not allow reading it');
  }
}

/** The display's name (and store) over whatever plays, for `ms`: "which of these screens is Window left?" */
export function showIdentify(
  root: HTMLElement,
  display: { name: string; store?: { name?: string } | null } | null,
  ms: number,
): void {
  root.querySelector('.identify')?.remove();
  const box = document.createElement('div');
  box.className = 'identify';
  box.setAttribute('role', 'status');
  const name = document.createElement('p');
  name.className = 'identify-name';
  name.textContent = display?.name ?? 'This display';
  box.append(name);
  if (display?.store?.name) {
    const store = document.createElement('p');
    store.className = 'identify-store';
    store.textContent = display.store.name;
    box.append(store);
  }
  root.append(box);
  setTimeout(() => box.remove(), ms);
}
