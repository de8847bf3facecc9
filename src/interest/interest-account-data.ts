import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AccountData,
  type AccountDataContributor,
  type AccountErasure,
} from '../account/account-data.js';
import type { UserEntity } from '../users/user.entity.js';
import { InterestEntity } from './interest.entity.js';

/** A reader's collaborator offers (without the author's private note); removed with the account. */
@Injectable()
export class InterestAccountData implements AccountDataContributor, OnModuleInit {
  readonly key = 'collaboratorOffers';

  constructor(private readonly accountData: AccountData) {}

  onModuleInit(): void {
    this.accountData.contribute(this);
  }

  async export(manager: EntityManager, user: UserEntity): Promise<unknown> {
    const offers = await manager
      .getRepository(InterestEntity)
      .find({ where: { readerId: user.id }, order: { createdAt: 'ASC' } });
    return offers.map((offer) => ({
      id: offer.id,
      essayId: offer.essayId,
      message: offer.message,
      areas: offer.areas,
      building: offer.building,
      link: offer.link,
      availability: offer.availability,
      contactEmail: offer.contactEmail,
      consentToContact: offer.consentToContact,
      createdAt: offer.createdAt,
      updatedAt: offer.updatedAt,
    }));
  }

  async erase(manager: EntityManager, { user }: AccountErasure): Promise<void> {
    await manager.getRepository(InterestEntity).delete({ readerId: user.id });
  }
}
