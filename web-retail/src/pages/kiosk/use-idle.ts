import { useEffect } from 'react';

// Anything a visitor does on the tablet counts as activity.
const ACTIVITY = ['pointerdown', 'keydown', 'input', 'touchstart', 'wheel'] as const;

/** Calls `onIdle` once `ms` pass without activity while `enabled`; every touch or key starts the wait again. */
export function useIdle(ms: number, enabled: boolean, onIdle: () => void): void {
  useEffect(() => {
    if (!enabled) return;
    let timer = setTimeout(onIdle, ms);
    const bump = () => {
      clearTimeout(timer);
      timer = setTimeout(onIdle, ms);
    };
    for (const e of ACTIVITY) document.addEventListener(e, bump, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of ACTIVITY) document.removeEventListener(e, bump, { capture: true });
    };
  }, [ms, enabled, onIdle]);
}
