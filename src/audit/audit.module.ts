import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditAccountData } from './audit-account-data.js';
import { AuditActorInterceptor } from './audit-actor.js';
import { AuditLogResolver } from './audit-log.resolver.js';
import { AuditLogService } from './audit-log.service.js';

/** The audit log. Global: every feature whose author actions are kept records through it. */
@Global()
@Module({
  providers: [
    AuditLogService,
    AuditLogResolver,
    AuditAccountData,
    { provide: APP_INTERCEPTOR, useClass: AuditActorInterceptor },
  ],
  exports: [AuditLogService],
})
export class AuditModule {}
