import { Injectable } from '@nestjs/common';
import { DeliveryEntity, DeliveryKind } from './delivery.entity.js';
import type { ComposedMail } from './mail.layout.js';

/** Writes the message for one kind of delivery; null means "no longer needed: skip". */
export interface MailComposer {
  compose(delivery: DeliveryEntity): Promise<ComposedMail | null>;
}

/** Which composer writes which kind of email. Each kind has exactly one. */
@Injectable()
export class MailComposers {
  private readonly composers = new Map<DeliveryKind, MailComposer>();

  register(kind: DeliveryKind, composer: MailComposer): void {
    if (this.composers.has(kind)) throw new Error(`Two mail composers registered for ${kind}.`);
    this.composers.set(kind, composer);
  }

  get(kind: DeliveryKind): MailComposer {
    const composer = this.composers.get(kind);
    if (!composer) throw new Error(`No mail composer is registered for ${kind}.`);
    return composer;
  }

  /** Fails start-up when a kind of email has nobody to write it. */
  assertComplete(): void {
    const missing = Object.values(DeliveryKind).filter((kind) => !this.composers.has(kind));
    if (missing.length)
      throw new Error(`No mail composer is registered for ${missing.join(', ')}.`);
  }
}
