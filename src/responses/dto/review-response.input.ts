import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ReviewStatus } from '../response.entity.js';

@InputType()
export class ReviewResponseInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'id must be a response id' })
  id: string;

  @Field(() => ReviewStatus, { nullable: true })
  @IsOptional()
  @IsEnum(ReviewStatus)
  status?: ReviewStatus;

  @Field(() => String, { nullable: true, description: 'The author\'s private note; "" clears it.' })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  note?: string;

  @Field(() => [String], { nullable: true, description: 'Replaces the labels; at most 20.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  labels?: string[];
}

@ArgsType()
export class ReviewResponsesArgs {
  @Field(() => [ID])
  @IsArray()
  @ArrayMinSize(1, { message: 'give at least one response id' })
  @ArrayMaxSize(100, { message: 'at most 100 responses at a time' })
  @IsUUID('all', { each: true, message: 'ids must be response ids' })
  ids: string[];

  @Field(() => ReviewStatus)
  @IsEnum(ReviewStatus)
  status: ReviewStatus;
}
