import { Global, Module } from '@nestjs/common';
import { BansService } from './bans.service.js';
import { UsersResolver } from './users.resolver.js';
import { UsersService } from './users.service.js';

@Global()
@Module({
  providers: [UsersService, UsersResolver, BansService],
  exports: [UsersService, BansService],
})
export class UsersModule {}
