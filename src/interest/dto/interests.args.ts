import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { ConnectionArgs } from '../../common/pagination.js';
import { InterestStatus } from '../interest.entity.js';

@InputType()
export class InterestFilterInput {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'essayId must be an essay id' })
  essayId?: string;

  @Field(() => InterestStatus, { nullable: true })
  @IsOptional()
  @IsEnum(InterestStatus)
  status?: InterestStatus;

  @Field({ nullable: true, description: 'One of the areas, ignoring case.' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  area?: string;

  @Field({
    nullable: true,
    description: 'Text in the message, what they build or availability, ignoring case.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

@ArgsType()
export class InterestsArgs extends ConnectionArgs {
  @Field(() => InterestFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => InterestFilterInput)
  filter?: InterestFilterInput;
}
