import { Module } from '@nestjs/common';
import { ResponsesModule } from '../responses.module.js';
import { SpamCheckProcessor } from './spam-check.processor.js';

/** The spam check's worker: loaded in worker processes only. */
@Module({ imports: [ResponsesModule], providers: [SpamCheckProcessor] })
export class SpamChecksWorkerModule {}
