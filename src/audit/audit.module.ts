import { Global, Module } from '@nestjs/common';
import { AuditAccountData } from './audit-account-data.js';
import { AuditLogResolver } from './audit-log.resolver.js';
import { AuditLogService } from './audit-log.service.js';

/** The audit log. Global: every feature whose author actions are kept records through it. */
@Global()
@Module({
  providers: [AuditLogService, AuditLogResolver, AuditAccountData],
  exports: [AuditLogService],
})
export class AuditModule {}
