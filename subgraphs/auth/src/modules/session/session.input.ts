import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../security/password.js';

@InputType()
export class AcceptInvitationInput {
  @Field(() => String)
  @MaxLength(200)
  token: string;

  @Field(() => String)
  @MinLength(PASSWORD_MIN_LENGTH, { message: `password must be at least ${PASSWORD_MIN_LENGTH} characters` })
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}
