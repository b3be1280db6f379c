import { Public } from '@phub/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConsentPurpose } from '../profile/profile.entity.js';

@Public()
@ObjectType('VisitorConsentCount')
export class ConsentCount {
  @Public()
  @Field(() => ConsentPurpose)
  purpose: ConsentPurpose;

  @Public()
  @Field(() => Int, { description: 'Live profiles whose current consent for the purpose is given' })
  granted: number;
}

@Public()
@ObjectType()
export class StoreVisitorCount {
  @Public()
  @Field(() => ID)
  storeId: string;

  @Public()
  @Field(() => Int)
  checkIns: number;

  @Public()
  @Field(() => Int, { description: 'Distinct visitors (pseudonymous ids: erased visitors still count)' })
  visitors: number;
}

@Public()
@ObjectType({ description: 'Visitor aggregates: no personal field, and erasure changes none of the counts of visits' })
export class VisitorReport {
  @Public()
  @Field(() => Int, { description: 'Profiles ever created (merged duplicates not counted; erased ones are)' })
  profiles: number;

  @Public()
  @Field(() => Int)
  erasedProfiles: number;

  @Public()
  @Field(() => Int)
  checkIns: number;

  @Public()
  @Field(() => Int, { description: 'Distinct visitors who checked in' })
  visitors: number;

  @Public()
  @Field(() => [ConsentCount])
  consents: ConsentCount[];

  @Public()
  @Field(() => [StoreVisitorCount])
  stores: StoreVisitorCount[];
}
