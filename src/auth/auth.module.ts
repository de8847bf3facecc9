import { Global, Module } from '@nestjs/common';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { DeskSessionController } from './desk-session.controller.js';
import { SessionTokens } from './session-tokens.js';
import { SignInController } from './sign-in.controller.js';
import { SignInMail } from './sign-in.mail.js';
import { ViewerGuard } from './viewer.guard.js';

@Global()
@Module({
  controllers: [SignInController, DeskSessionController],
  providers: [AuthService, SessionTokens, SignInMail, AuthResolver, ViewerGuard],
  exports: [AuthService, SessionTokens, ViewerGuard],
})
export class AuthModule {}
