import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { ConnectionArgs } from '../../common/pagination.js';
import { ResponseOrder } from '../response.model.js';

@ArgsType()
export class PromptResponsesArgs extends ConnectionArgs {
  @Field(() => ResponseOrder, { nullable: true, defaultValue: ResponseOrder.NEWEST })
  @IsOptional()
  @IsEnum(ResponseOrder)
  order?: ResponseOrder;
}
