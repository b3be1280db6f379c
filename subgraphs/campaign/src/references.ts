import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Entities other subgraphs own. Only the key lives here; the gateway fetches the rest from the owner.
// type-graphql drops types no field names, so these are also listed in buildSchema's orphanedTypes.

@ObjectType('Display', { description: 'A screen in a store (owned by location)' })
@Directive('@key(fields: "id", resolvable: false)')
export class DisplayReference {
  @Field(() => ID)
  id: string;
}

@ObjectType('Store', { description: 'A store (owned by location)' })
@Directive('@key(fields: "id", resolvable: false)')
export class StoreReference {
  @Field(() => ID)
  id: string;
}

@ObjectType('User', { description: 'A person (owned by auth)' })
@Directive('@key(fields: "id", resolvable: false)')
export class UserReference {
  @Field(() => ID)
  id: string;
}

export const referenceTypes = [DisplayReference, StoreReference, UserReference];
export const displayRef = (id: string): DisplayReference => ({ id });
export const storeRef = (id: string): StoreReference => ({ id });
export const userRef = (id: string): UserReference => ({ id });
