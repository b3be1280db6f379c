/** Renders a content fragment's fields into a self-contained HTML creative (no script, every value escaped). */
const escapeHtml = (v: string) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A field's text: a string, a number, or the delivery API's rich text `{ value }` / `{ plaintext }`. */
function text(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of ['plaintext', 'value', 'markdown', '_path', 'path']) if (typeof o[k] === 'string') return o[k];
  }
  return '';
}

/**
 * HEADLINE_BODY_IMAGE_PRICE: a full-screen layout of `headline`, `body`, `image` and `price`; missing fields are
 * left out. Only an https image (a publish service or CDN URL) is shown: players never reach an AEM author.
 */
export function renderFragment(fields: Record<string, unknown>): string {
  const headline = text(fields.headline ?? fields.title);
  const body = text(fields.body ?? fields.description);
  const price = text(fields.price);
  const imageRef = text(fields.image);
  const image = /^https:\/\//.test(imageRef) ? imageRef : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(headline)}</title>
<style>html,body{margin:0;height:100%;font-family:system-ui,sans-serif;background:#111;color:#fff}
main{display:flex;flex-direction:column;justify-content:center;align-items:center;height:100%;text-align:center;gap:2vh}
h1{font-size:7vw;margin:0}p{font-size:3vw;margin:0 8vw}img{max-height:45vh;max-width:80vw}
.price{font-size:6vw;font-weight:700;color:#ffd54a}</style></head>
<body><main>${image ? `<img src="${escapeHtml(image)}" alt="">` : ''}
<h1>${escapeHtml(headline)}</h1>${body ? `<p>${escapeHtml(body)}</p>` : ''}${price ? `<div class="price">${escapeHtml(price)}</div>` : ''}</main></body></html>
`;
}
