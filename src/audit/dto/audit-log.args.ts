import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../common/pagination.js';
import { AuditAction } from '../audit-entry.entity.js';

@InputType()
export class AuditLogFilter {
  @Field(() => AuditAction, { nullable: true })
  @IsOptional()
  @IsEnum(AuditAction)
  action?: AuditAction;

  @Field(() => ID, { nullable: true, description: 'Only actions on this object.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subjectId?: string;

  @Field(() => ID, { nullable: true, description: 'Only actions by this user.' })
  @IsOptional()
  @IsUUID()
  actorId?: string;
}

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field(() => AuditLogFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => AuditLogFilter)
  filter?: AuditLogFilter;
}
