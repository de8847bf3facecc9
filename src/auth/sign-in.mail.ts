import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { DeliveryEntity, DeliveryKind } from '../mail/delivery.entity.js';
import { MailComposers, type MailComposer } from '../mail/mail.composers.js';
import type { ComposedMail } from '../mail/mail.layout.js';
import { MailTemplates } from '../mail/templates/mail-templates.js';
import { AuthService } from './auth.service.js';
import { SignInTokenEntity } from './sign-in-token.entity.js';

/** The sign-in email; skipped when its token is already used or expired. */
@Injectable()
export class SignInMail implements MailComposer, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly composers: MailComposers,
    private readonly templates: MailTemplates,
    private readonly auth: AuthService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.composers.register(DeliveryKind.SIGN_IN, this);
  }

  async compose(delivery: DeliveryEntity): Promise<ComposedMail | null> {
    const tokens = this.dataSource.getRepository(SignInTokenEntity);
    const now = this.clock.now();
    // A throttle window's email (reason "window:…") carries the address's newest live sign-in.
    const token = delivery.reasonKey.startsWith('window:')
      ? await tokens.findOne({
          where: { email: delivery.recipient, usedAt: IsNull(), expiresAt: MoreThan(now) },
          order: { createdAt: 'DESC' },
        })
      : await tokens.findOneBy({ id: delivery.reasonKey });
    if (!token || token.usedAt || token.expiresAt <= now) return null;
    const link = this.auth.signInLink(token);
    const code = this.auth.signInCode(token.id);
    const minutes = this.config.signInTokenTtlMinutes;
    return {
      subject: 'Your sign-in link and code for Rizom Conversations',
      ...this.templates.notice({
        preview: 'Your sign-in link and code',
        heading: 'Sign in to Rizom Conversations',
        paragraphs: ['Use the button below to sign in.'],
        buttonUrl: link,
        buttonLabel: 'Sign in',
        signInCode: { intro: 'Or enter this code where you asked to sign in:', value: code },
        after: [`The link and the code work once, together, and expire in ${minutes} minutes.`],
        showButtonUrl: true,
        fineprint: ['If you did not ask to sign in, ignore this email.'],
      }),
    };
  }
}
