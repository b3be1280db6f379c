// What run.ts (throughput) and lean.ts (idle memory, one-fetch overhead) share: the supergraph they compose from the
// benchmark's SDL, and the one RESULTS.md section both write a part of.
import { composeServices } from '@apollo/composition';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { writeResultsSection } from '../results.js';
import { SDL, SUBGRAPH_NAMES } from './data.js';

export function composeSupergraph(urls: Record<string, string>): string {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name]!, typeDefs: parse(SDL[name]) })),
  );
  if (result.errors) throw new Error(`composition failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.supergraphSdl;
}

const SECTION = '## Gateway, public benchmark';
/** lean.ts's part, at the end of the section. */
export const LEAN_HEADING = '### Idle memory and one-fetch overhead';

/** The section's two parts as RESULTS.md has them now (empty when absent). */
function currentParts(): { throughput: string; lean: string } {
  const text = readFileSync(new URL('../RESULTS.md', import.meta.url), 'utf8');
  const start = text.indexOf(SECTION);
  if (start < 0) return { throughput: '', lean: '' };
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end + 1).trimEnd();
  const lean = section.indexOf(LEAN_HEADING);
  return lean < 0
    ? { throughput: section, lean: '' }
    : { throughput: section.slice(0, lean).trimEnd(), lean: section.slice(lean) };
}

/** Writes one part of the section (starting with its heading), keeping the other as it is. */
export async function writePart(part: 'throughput' | 'lean', text: string): Promise<void> {
  const parts = { ...currentParts(), [part]: text.trimEnd() };
  const throughput = parts.throughput || `${SECTION}\n\nNot measured yet: \`pnpm bench:gateway-public\`.`;
  await writeResultsSection(`${throughput}\n\n${parts.lean ? `${parts.lean}\n` : ''}`);
}
