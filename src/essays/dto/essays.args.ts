import { ArgsType, Field } from '@nestjs/graphql';
import { IsEnum, IsOptional } from 'class-validator';
import { ConnectionArgs } from '../../common/pagination.js';
import { EssayStatus } from '../essay.entity.js';

@ArgsType()
export class EssaysArgs extends ConnectionArgs {
  @Field(() => EssayStatus, { nullable: true, description: 'Readers only ever see PUBLISHED.' })
  @IsOptional()
  @IsEnum(EssayStatus)
  status?: EssayStatus;
}
