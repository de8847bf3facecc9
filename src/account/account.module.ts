import { Global, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { AccountData } from './account-data.js';
import { AccountExportController } from './account-export.controller.js';
import { AccountResolver } from './account.resolver.js';
import { AccountService } from './account.service.js';

/**
 * A reader's own data: export and erasure. Global so that every feature
 * that keeps personal data can contribute its part (AccountData).
 */
@Global()
@Module({
  imports: [EventsModule],
  controllers: [AccountExportController],
  providers: [AccountData, AccountService, AccountResolver],
  exports: [AccountData],
})
export class AccountModule {}
