import { ArrayMaxSize, IsOptional, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType()
export class CreateDeskInput {
  @Field(() => ID)
  storeId: string;

  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(80)
  name: string;

  @Field(() => [ID], { nullable: true, description: 'Lines it serves; omit or [] for every line of the store' })
  @IsOptional()
  @ArrayMaxSize(50)
  lineIds?: string[] | null;
}

@InputType()
export class UpdateDeskInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(80)
  name?: string | null;

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  lineIds?: string[] | null;
}
