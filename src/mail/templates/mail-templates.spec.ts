import { MailTemplates } from './mail-templates.js';

describe('MailTemplates', () => {
  const templates = new MailTemplates();
  beforeAll(() => templates.onModuleInit());

  it('writes a link in an attribute as the link itself, escaped for HTML only where it must be', () => {
    const { html, text } = templates.notice({
      preview: 'p',
      heading: 'Sign in',
      paragraphs: [],
      buttonUrl: 'https://example.test/sign-in?token=a-b_c&return=/x"><script>',
      buttonLabel: 'Sign in',
    });
    expect(html).toContain(
      'href="https://example.test/sign-in?token=a-b_c&amp;return=/x&quot;&gt;&lt;script&gt;"',
    );
    expect(html).not.toContain('&#x3D;');
    expect(html).not.toContain('<script>');
    // The text part is not HTML: the link as it is.
    expect(text).toContain('Sign in: https://example.test/sign-in?token=a-b_c&return=/x"><script>');
  });

  it('shows a sign-in code on a line of its own in text, and easy to select in HTML', () => {
    const { html, text } = templates.notice({
      preview: 'p',
      heading: 'Sign in',
      paragraphs: ['Use the button below.'],
      buttonUrl: 'https://example.test/sign-in?token=t',
      buttonLabel: 'Sign in',
      signInCode: { intro: 'Or enter this code:', value: '012345' },
      showButtonUrl: true,
      fineprint: ['If you did not ask, ignore this email.'],
    });
    expect(text).toMatch(/^Or enter this code:\n\n {4}012345\n/m);
    expect(html).toMatch(/<p data-sign-in-code [^>]*user-select:all[^>]*>012345<\/p>/);
    expect(html).toContain(
      'Or paste this link into your browser:<br />https://example.test/sign-in?token=t',
    );
    expect(text.indexOf('012345')).toBeLessThan(text.indexOf('If you did not ask'));
  });

  it('leaves the footer out of a notice without an unsubscribe link', () => {
    const { html, text } = templates.notice({ preview: 'p', heading: 'H', paragraphs: ['x'] });
    expect(html).not.toContain('Unsubscribe');
    expect(text).not.toContain('Unsubscribe');
  });
});
