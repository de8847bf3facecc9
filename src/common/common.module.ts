import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { RateLimits } from './rate-limits.js';

/** The one clock and the shared rate limits. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new Clock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: Clock, useValue: clock }, RateLimits],
      exports: [Clock, RateLimits],
    };
  }
}
