import { ArrayMaxSize, ArrayMinSize, IsIn, IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PARTNER_SCOPES } from '@phub/kit';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';

// The closed set of grantable scopes is the kit's, beside the visibility rule that enforces them.
export { PARTNER_SCOPES };

const scopeMessage = { each: true, message: `each scope must be one of ${PARTNER_SCOPES.join(', ')}` };

@InputType()
export class CreateApiClientInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;

  @Field(() => [String], { description: `Any of ${PARTNER_SCOPES.join(', ')}` })
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(PARTNER_SCOPES.length)
  @IsIn(PARTNER_SCOPES, scopeMessage)
  scopes: string[];
}

@InputType()
export class SetApiClientScopesInput {
  @Field(() => ID)
  id: string;

  @Field(() => [String])
  @ArrayMinSize(1, { message: 'scopes must name at least one scope (revoke the client instead)' })
  @ArrayMaxSize(PARTNER_SCOPES.length)
  @IsIn(PARTNER_SCOPES, scopeMessage)
  scopes: string[];
}

@InputType()
export class IssueClientTokenInput {
  @Field(() => ID)
  clientId: string;

  @Field(() => String)
  @MaxLength(200)
  clientSecret: string;

  @Field(() => String, { nullable: true, description: 'Space-separated subset of the client scopes; all by default' })
  @IsOptional()
  @MaxLength(500)
  scope?: string | null;
}

@ArgsType()
export class ApiClientsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, at most 100 (default 20)' })
  @IsOptional()
  @Min(0)
  @Max(100)
  first?: number | null;

  @Field(() => String, { nullable: true, description: '`endCursor` of the previous page' })
  after?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeRevoked?: boolean | null;
}
