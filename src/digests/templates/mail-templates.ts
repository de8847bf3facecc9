import { Injectable, type OnModuleInit } from '@nestjs/common';
import Handlebars from 'handlebars';
import mjml2html from 'mjml';
import { DIGEST_MJML, DIGEST_TEXT, NOTICE_MJML, NOTICE_TEXT } from './templates.js';

export interface NoticeView {
  preview: string;
  heading: string;
  paragraphs: string[];
  quote?: string;
  buttonUrl?: string;
  buttonLabel?: string;
  lists?: { title: string; items: { text: string; url?: string }[] }[];
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

/** Compiles the MJML once; renders HTML and text per message with Handlebars (which escapes). */
@Injectable()
export class MailTemplates implements OnModuleInit {
  private digestHtml: Render<DigestView>;
  private digestText: Render<DigestView>;
  private noticeHtml: Render<NoticeView>;
  private noticeText: Render<NoticeView>;

  async onModuleInit(): Promise<void> {
    this.digestHtml = Handlebars.compile(await compileMjml(DIGEST_MJML));
    this.noticeHtml = Handlebars.compile(await compileMjml(NOTICE_MJML));
    this.digestText = Handlebars.compile(DIGEST_TEXT, { noEscape: true });
    this.noticeText = Handlebars.compile(NOTICE_TEXT, { noEscape: true });
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
