import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

@InputType()
export class UpdateTenantInput {
  @Field(() => String)
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(200)
  name: string;
}

/** Tenants are created by platform operators (seed, scripts), not through the tenant-facing graph. */
export interface CreateTenantInput {
  id?: string;
  slug: string;
  name: string;
}
