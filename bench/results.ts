// Writes one benchmark's section of bench/RESULTS.md: from its `## ` heading to the next one, or added at the end.
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';

const RESULTS = new URL('./RESULTS.md', import.meta.url);

/** `section` starts with its own `## ` heading; the file is formatted with the repository's Prettier settings. */
export async function writeResultsSection(section: string): Promise<void> {
  const heading = section.slice(0, section.indexOf('\n'));
  const current = readFileSync(RESULTS, 'utf8');
  const start = current.indexOf(heading);
  const end = start < 0 ? -1 : current.indexOf('\n## ', start + 1);
  const next =
    start < 0
      ? `${current.trimEnd()}\n\n${section}`
      : `${current.slice(0, start)}${section}${end < 0 ? '' : current.slice(end + 1)}`;
  const options = (await resolveConfig(RESULTS.pathname)) ?? {};
  writeFileSync(RESULTS, await format(next, { ...options, parser: 'markdown' }));
}
