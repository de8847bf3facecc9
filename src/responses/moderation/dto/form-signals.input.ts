import { Field, InputType, Int } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, MaxLength } from 'class-validator';

@InputType({
  description:
    'What the browser forms send with a response: the hidden field and the time the form was open.',
})
export class FormSignalsInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  honeypot?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Milliseconds from showing the form to sending it.',
  })
  @IsOptional()
  @IsInt()
  elapsedMs?: number | null;
}
