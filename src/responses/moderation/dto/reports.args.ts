import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString } from 'class-validator';
import { ConnectionArgs } from '../../../common/pagination.js';
import { ReportReason, ReportStatus } from '../report.entity.js';

@ArgsType()
export class ReportsArgs extends ConnectionArgs {
  @Field(() => ReportStatus, { nullable: true, description: 'Only reports with this status.' })
  @IsOptional()
  @IsEnum(ReportStatus)
  status?: ReportStatus | null;
}

@ArgsType()
export class ReportResponseArgs {
  @Field(() => ID)
  @IsString()
  id: string;

  @Field(() => ReportReason)
  @IsEnum(ReportReason)
  reason: ReportReason;

  @Field(() => String, { nullable: true, description: 'Up to 1,000 characters.' })
  @IsOptional()
  @IsString()
  note?: string | null;
}
