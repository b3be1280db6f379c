import type { Orientation } from './types.js';

export interface StageLayout {
  /** Degrees to rotate the stage by (0 when the screen already has the display's orientation). */
  rotate: 0 | 90 | 270;
  /** Size of the stage before rotation, in CSS pixels. */
  width: number;
  height: number;
}

export function screenOrientation(width: number, height: number): Orientation {
  return width >= height ? 'LANDSCAPE' : 'PORTRAIT';
}

/**
 * A portrait display driven by a landscape signal (or the other way round) is a screen mounted on its side:
 * rotate the stage so content appears upright. `clockwise: false` rotates the other way for screens mounted
 * the other side up.
 */
export function layoutStage(
  display: Orientation,
  viewportWidth: number,
  viewportHeight: number,
  clockwise = true,
): StageLayout {
  if (screenOrientation(viewportWidth, viewportHeight) === display) {
    return { rotate: 0, width: viewportWidth, height: viewportHeight };
  }
  return { rotate: clockwise ? 90 : 270, width: viewportHeight, height: viewportWidth };
}

/** CSS for the stage element: size, then rotate about the viewport's centre. */
export function stageStyle(layout: StageLayout, viewportWidth: number, viewportHeight: number): Record<string, string> {
  const left = (viewportWidth - layout.width) / 2;
  const top = (viewportHeight - layout.height) / 2;
  return {
    width: `${layout.width}px`,
    height: `${layout.height}px`,
    left: `${left}px`,
    top: `${top}px`,
    transform: layout.rotate === 0 ? 'none' : `rotate(${layout.rotate}deg)`,
  };
}
