import { Directive, Field, ID, ObjectType } from 'type-graphql';

// Location owns Store; the queue adds its lines and desks. The reference resolver needs only the id.
@ObjectType('Store', { description: 'A retail store or bank branch' })
@Directive('@key(fields: "id")')
export class Store {
  @Field(() => ID)
  id: string;
}

export const storeRef = (id: string): Store => Object.assign(new Store(), { id });
