import { Module } from '@nestjs/common';
import { ReviewExportController } from './review-export.controller.js';
import { ReviewResolver } from './review.resolver.js';
import { ReviewService } from './review.service.js';

@Module({
  providers: [ReviewService, ReviewResolver],
  controllers: [ReviewExportController],
})
export class ReviewModule {}
