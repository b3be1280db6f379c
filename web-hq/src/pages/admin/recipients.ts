/** Recipients as typed: one per line (commas and semicolons also split), blanks dropped, each once. */
export function parseRecipients(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n,;]+/)) {
    const value = raw.trim();
    const key = value.toLowerCase();
    if (value && !seen.has(key)) {
      seen.add(key);
      out.push(value);
    }
  }
  return out;
}

/** The problem the platform would report for a recipient (checked again there), or null. */
export function recipientProblem(kind: 'email' | 'phone', values: readonly string[]): string | null {
  for (const v of values) {
    if (kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return `“${v}” is not an email address.`;
    if (kind === 'phone' && !/^\+[1-9]\d{6,14}$/.test(v.replace(/[\s-]/g, ''))) {
      return `“${v}” is not an international number; write it as +447700900123.`;
    }
  }
  return null;
}
