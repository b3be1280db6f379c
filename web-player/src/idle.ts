/**
 * What a screen shows when it has nothing to play (every campaign paused, ended or outranked by nothing, or not
 * yet any playlist): a neutral branded screen — the tenant's name, the display's and store's names in small —
 * never the last creative. The graph has no "house content" (a tenant default playlist); when it gains one, it
 * arrives as playlist items and this screen is only the last resort.
 */
export interface IdleInfo {
  tenant: string | null;
  display: string | null;
  store: string | null;
}

export interface IdleText {
  brand: string;
  detail: string;
}

/** The words on the neutral screen; with nothing known yet (first boot offline), the product's name. */
export function idleText(info: IdleInfo): IdleText {
  const brand = info.tenant?.trim() || info.store?.trim() || 'Personalisation Hub';
  const detail = [info.display, info.store]
    .map((s) => s?.trim())
    .filter((s): s is string => !!s && s !== brand)
    .join(' · ');
  return { brand, detail };
}

/** Puts the neutral screen on the stage in place of whatever was visible (an item still loading stays). */
export function showIdle(stage: HTMLElement, info: IdleInfo): HTMLElement {
  const text = idleText(info);
  let el = stage.querySelector<HTMLElement>(':scope > .idle');
  for (const old of [...stage.children] as HTMLElement[]) {
    if (old !== el && old.style.visibility !== 'hidden') old.remove();
  }
  if (!el) {
    el = document.createElement('div');
    el.className = 'item idle';
    el.dataset.idle = 'true';
    const brand = document.createElement('div');
    brand.className = 'idle-brand';
    const detail = document.createElement('div');
    detail.className = 'idle-detail';
    el.append(brand, detail);
    stage.appendChild(el);
  }
  el.querySelector('.idle-brand')!.textContent = text.brand;
  el.querySelector('.idle-detail')!.textContent = text.detail;
  return el;
}
