import { Field, ID, InputType } from 'type-graphql';
import { AemAuthKind } from './source.entity.js';

@InputType()
export class CreateContentSourceInput {
  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'Origin of the AEM service (https://…), optionally with a context path' })
  baseUrl: string;

  @Field(() => AemAuthKind)
  authKind: AemAuthKind;

  @Field(() => String, { nullable: true, description: 'BASIC: the AEM user' })
  username?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'BASIC: the password; BEARER: the token; SERVICE_CREDENTIALS: the Developer Console JSON. Never returned',
  })
  secret?: string | null;
}

@InputType({ description: 'Omitted fields stay; a new authKind needs its secret again' })
export class UpdateContentSourceInput {
  @Field(() => ID)
  id: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  baseUrl?: string | null;

  @Field(() => AemAuthKind, { nullable: true })
  authKind?: AemAuthKind | null;

  @Field(() => String, { nullable: true })
  username?: string | null;

  @Field(() => String, { nullable: true })
  secret?: string | null;
}
