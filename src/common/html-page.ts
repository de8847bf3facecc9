import escapeHtml from 'escape-html';

export { escapeHtml };

/** Headers for the small HTML pages email links open: no caching, no referrer, no scripts. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
};

/** A small, self-contained HTML page. `bodyHtml` must already be escaped. */
export function htmlPage(title: string, bodyHtml: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Rizom Conversations</title>
<style>
body{margin:0;padding:48px 16px;background:#f6f5f2;font-family:Georgia,serif;color:#222}
main{max-width:480px;margin:0 auto;background:#fff;padding:32px;border-radius:8px}
button{font:inherit;padding:12px 20px;background:#1f4d3a;color:#fff;border:0;border-radius:6px;cursor:pointer}
code{word-break:break-all;font-size:12px;background:#f1f1f1;padding:2px 4px}
</style></head>
<body><main>${bodyHtml}</main></body></html>`;
}
