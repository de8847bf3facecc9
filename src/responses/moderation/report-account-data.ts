import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  AccountData,
  type AccountDataContributor,
  type AccountErasure,
} from '../../account/account-data.js';
import type { UserEntity } from '../../users/user.entity.js';
import { ReportEntity } from './report.entity.js';

/** The reports a reader made; they go with the account (the response they reported stays). */
@Injectable()
export class ReportAccountData implements AccountDataContributor, OnModuleInit {
  readonly key = 'reports';

  constructor(private readonly accountData: AccountData) {}

  onModuleInit(): void {
    this.accountData.contribute(this);
  }

  async export(manager: EntityManager, user: UserEntity): Promise<unknown> {
    const reports = await manager
      .getRepository(ReportEntity)
      .find({ where: { reporterId: user.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    return reports.map((report) => ({
      id: report.id,
      responseId: report.responseId,
      reason: report.reason,
      note: report.note,
      status: report.status,
      createdAt: report.createdAt,
      resolvedAt: report.resolvedAt,
    }));
  }

  async erase(manager: EntityManager, { user }: AccountErasure): Promise<void> {
    await manager.getRepository(ReportEntity).delete({ reporterId: user.id });
  }
}
