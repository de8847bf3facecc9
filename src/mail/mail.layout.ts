import escapeHtml from 'escape-html';

export { escapeHtml };

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
  headers?: Record<string, string>;
}

/** The HTML frame every message shares: one column, readable without images. */
export function htmlLayout(title: string, bodyHtml: string, footerHtml = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f6f5f2;font-family:Georgia,serif;color:#222">
<div style="max-width:560px;margin:0 auto;background:#fff;padding:32px;border-radius:8px">
${bodyHtml}
</div>
${footerHtml ? `<div style="max-width:560px;margin:16px auto 0;font-size:12px;color:#777">${footerHtml}</div>` : ''}
</body></html>`;
}

export function buttonHtml(href: string, label: string): string {
  return `<p><a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 20px;background:#1f4d3a;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(label)}</a></p>`;
}
