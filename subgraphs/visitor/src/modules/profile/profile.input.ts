import { IsOptional, MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ConsentPurpose, IdentifierKind } from './profile.entity.js';

@InputType('VisitorIdentifierInput', { description: 'One way to recognise a visitor' })
export class IdentifierInput {
  @Field(() => IdentifierKind)
  kind: IdentifierKind;

  @Field(() => String, { description: 'Phone in international form (+44…), email, loyalty or app id, MAC hash' })
  @MaxLength(320)
  value: string;
}

@InputType('VisitorConsentInput')
export class ConsentInput {
  @Field(() => ConsentPurpose)
  purpose: ConsentPurpose;

  @Field(() => Boolean)
  granted: boolean;
}

@InputType('VisitorAttributeInput')
export class AttributeInput {
  @Field(() => String)
  @MaxLength(40)
  name: string;

  @Field(() => String)
  @MaxLength(200)
  value: string;
}

/** What a check-in, a booking or an import tells about a visitor. */
export interface VisitorFactsInput {
  identifiers: IdentifierInput[];
  name?: string | null;
  attributes?: AttributeInput[] | null;
  consents?: ConsentInput[] | null;
}

@InputType('VisitorConsentByIdentifierInput')
export class ConsentByIdentifierInput {
  @Field(() => IdentifierInput)
  identifier: IdentifierInput;

  @Field(() => ConsentPurpose)
  purpose: ConsentPurpose;

  @Field(() => Boolean)
  granted: boolean;

  @Field(() => String, { nullable: true, description: 'Where it was given, e.g. APP or WEB (default PARTNER)' })
  @IsOptional()
  @MaxLength(40)
  source?: string | null;
}
