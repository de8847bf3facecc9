import { Module } from '@nestjs/common';
import { EssaysModule } from '../essays/essays.module.js';
import { DemoService } from './demo.service.js';

@Module({ imports: [EssaysModule], providers: [DemoService], exports: [DemoService] })
export class DemoModule {}
