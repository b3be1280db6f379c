import { describe, expect, it } from 'vitest';
import { layoutStage, screenOrientation, stageStyle } from './orientation.js';

describe(layoutStage.name, () => {
  it('does not rotate when the screen matches the display', () => {
    expect(layoutStage('LANDSCAPE', 1920, 1080)).toEqual({ rotate: 0, width: 1920, height: 1080 });
    expect(layoutStage('PORTRAIT', 1080, 1920)).toEqual({ rotate: 0, width: 1080, height: 1920 });
  });

  it('rotates a portrait display on a landscape signal, and swaps the stage size', () => {
    expect(layoutStage('PORTRAIT', 1920, 1080)).toEqual({ rotate: 90, width: 1080, height: 1920 });
    expect(layoutStage('LANDSCAPE', 1080, 1920, false)).toEqual({ rotate: 270, width: 1920, height: 1080 });
  });

  it('treats a square screen as landscape', () => {
    expect(screenOrientation(1000, 1000)).toBe('LANDSCAPE');
  });

  it('centres the rotated stage on the viewport', () => {
    const style = stageStyle(layoutStage('PORTRAIT', 1920, 1080), 1920, 1080);
    expect(style).toEqual({
      width: '1080px',
      height: '1920px',
      left: '420px',
      top: '-420px',
      transform: 'rotate(90deg)',
    });
  });
});
