import { Injectable, type OnModuleInit } from '@nestjs/common';
import escapeHtml from 'escape-html';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { DIGEST_MJML, DIGEST_TEXT, NOTICE_MJML, NOTICE_TEXT } from './templates.js';

/**
 * A message that says one thing: a heading, a few paragraphs, at most one
 * button, and (for bulk mail) the footer with the unsubscribe link. In order:
 * paragraphs, quote, button, sign-in code, `after`, lists, the button's link
 * spelled out (`showButtonUrl`), fine print.
 */
export interface NoticeView {
  preview: string;
  heading: string;
  paragraphs: string[];
  quote?: string;
  buttonUrl?: string;
  buttonLabel?: string;
  /** A one-time code to type instead of following the button's link, easy to copy. */
  signInCode?: { intro: string; value: string };
  after?: string[];
  lists?: { title: string; items: { text: string; url?: string }[] }[];
  showButtonUrl?: boolean;
  /** Small print below everything else (not the list footer). */
  fineprint?: string[];
  unsubscribeUrl?: string;
  manageUrl?: string;
  postalAddress?: string;
}

export interface DigestView {
  preview: string;
  title: string;
  essays: { title: string; url: string; excerpt: string }[];
  conversations: {
    title: string;
    url: string;
    prompts: {
      text: string;
      count: number;
      one: boolean;
      latest: { writer: string; excerpt: string; url: string }[];
    }[];
    authorReplies: { excerpt: string; url: string }[];
  }[];
  unsubscribeUrl: string;
  manageUrl: string;
  postalAddress: string;
}

type Render<T> = (view: T) => string;

/** The templates' own Handlebars, with the `href` helper for links in attributes. */
const handlebars = Handlebars.create();
handlebars.registerHelper(
  'href',
  (value: unknown) => new handlebars.SafeString(escapeHtml(typeof value === 'string' ? value : '')),
);

/** Compiles the MJML once; renders HTML and text per message with Handlebars (which escapes). */
@Injectable()
export class MailTemplates implements OnModuleInit {
  private digestHtml: Render<DigestView>;
  private digestText: Render<DigestView>;
  private noticeHtml: Render<NoticeView>;
  private noticeText: Render<NoticeView>;

  async onModuleInit(): Promise<void> {
    this.digestHtml = handlebars.compile(await compileMjml(DIGEST_MJML));
    this.noticeHtml = handlebars.compile(await compileMjml(NOTICE_MJML));
    this.digestText = handlebars.compile(DIGEST_TEXT, { noEscape: true });
    this.noticeText = handlebars.compile(NOTICE_TEXT, { noEscape: true });
  }

  digest(view: DigestView): { html: string; text: string } {
    return { html: this.digestHtml(view), text: this.digestText(view) };
  }

  notice(view: NoticeView): { html: string; text: string } {
    return { html: this.noticeHtml(view), text: this.noticeText(view) };
  }
}

async function compileMjml(source: string): Promise<string> {
  const result = await mjml2html(source, { validationLevel: 'strict', keepComments: false });
  if (result.errors?.length) {
    throw new Error(
      `Email template does not compile: ${result.errors.map((e) => e.formattedMessage).join('; ')}`,
    );
  }
  return result.html;
}
