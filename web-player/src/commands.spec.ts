import { describe, expect, it } from 'vitest';
import { type CommandAnswer, type CommandHost, IDENTIFY_MS, runCommand } from './commands.js';

/** A host that writes down what was done, in order. */
function recorder(capture: () => Promise<string> = async () => 'data:image/jpeg;base64,/9j/') {
  const log: string[] = [];
  const answers: [string, CommandAnswer][] = [];
  const host: CommandHost = {
    answer: async (id, a) => {
      log.push(`answer ${id}`);
      answers.push([id, a]);
    },
    reload: () => void log.push('reload'),
    clearCaches: async () => void log.push('clear'),
    identify: (ms) => void log.push(`identify ${ms}`),
    capture,
  };
  return { host, log, answers };
}

describe(runCommand.name, () => {
  it('answers a reload before reloading (the page ends there), and clears caches before that', async () => {
    const r = recorder();
    await runCommand({ id: 'a', kind: 'RELOAD' }, r.host);
    await runCommand({ id: 'b', kind: 'CLEAR_CACHE' }, r.host);
    expect(r.log).toEqual(['answer a', 'reload', 'clear', 'answer b', 'reload']);
  });

  it('shows the name for the identify time, and sends the picture back', async () => {
    const r = recorder();
    await runCommand({ id: 'i', kind: 'IDENTIFY' }, r.host);
    await runCommand({ id: 's', kind: 'SCREENSHOT' }, r.host);
    expect(r.log).toEqual([`identify ${IDENTIFY_MS}`, 'answer i', 'answer s']);
    expect(r.answers[1]).toEqual(['s', { screenshot: 'data:image/jpeg;base64,/9j/' }]);
  });

  it('answers what it cannot do as failed, with the reason: a picture it cannot take, a command it does not know', async () => {
    const r = recorder(async () => {
      throw new Error('the screen shows no image or video now');
    });
    await runCommand({ id: 's', kind: 'SCREENSHOT' }, r.host);
    await runCommand({ id: 'x', kind: 'SELF_DESTRUCT' }, r.host);
    expect(r.answers).toEqual([
      ['s', { error: 'the screen shows no image or video now' }],
      ['x', { error: 'this player does not know SELF_DESTRUCT (an older release)' }],
    ]);
    expect(r.log).not.toContain('reload');
  });
});
