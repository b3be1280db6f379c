import { Public } from '@phub/kit';
import {
  Arg,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
} from 'type-graphql';
import type { VisitorContext } from '../../context.js';
import { IDENTIFIER_WRITERS, PROFILE_OPENERS } from '../../roles.js';
import type { ConsentService } from '../consent/consent.service.js';
import { Segment } from '../segment/segment.entity.js';
import type { SegmentService } from '../segment/segment.service.js';
import { AttributeView, ConsentPurpose, IdentifierView, NoteView, Profile, VisitorConsent } from './profile.entity.js';
import { ConsentByIdentifierInput, IdentifierInput } from './profile.input.js';
import type { ProfileService } from './profile.service.js';

@Public()
@ObjectType('VisitorConsentReceipt', { description: 'A consent recorded by identifier' })
export class ConsentReceipt {
  @Public()
  @Field(() => ID)
  visitorId: string;

  @Public()
  @Field(() => ConsentPurpose)
  purpose: ConsentPurpose;

  @Public()
  @Field(() => Boolean)
  granted: boolean;

  @Public()
  @Field(() => Boolean, { description: 'False when it repeated the current consent (nothing added to the history)' })
  changed: boolean;
}

@Resolver(() => Profile)
export class ProfileResolver {
  constructor(
    private readonly profiles: ProfileService,
    private readonly consentService: ConsentService,
    private readonly segmentService: SegmentService,
  ) {}

  @Authorized(...PROFILE_OPENERS)
  @Query(() => Profile, { description: 'A visitor by id (a merged id leads to the profile it joined); audited' })
  visitor(@Ctx() ctx: VisitorContext, @Arg('id', () => ID) id: string): Promise<Profile> {
    return this.profiles.get(ctx.scope, id);
  }

  @Authorized(...PROFILE_OPENERS)
  @Query(() => Profile, { nullable: true, description: 'A visitor by one identifier (its keyed hash); audited' })
  visitorByIdentifier(
    @Ctx() ctx: VisitorContext,
    @Arg('identifier', () => IdentifierInput) identifier: IdentifierInput,
  ): Promise<Profile | null> {
    return this.profiles.findByIdentifier(ctx.scope, identifier);
  }

  @Authorized(...PROFILE_OPENERS)
  @Mutation(() => String, { description: 'Right of access: everything held on the visitor, as a JSON document' })
  exportVisitor(@Ctx() ctx: VisitorContext, @Arg('id', () => ID) id: string): Promise<string> {
    return this.profiles.export(ctx.scope, id);
  }

  @Authorized(...PROFILE_OPENERS)
  @Mutation(() => Profile, {
    description:
      'Right to erasure: the profile’s key is destroyed (its data can never be read again), its identifiers and ' +
      'memberships deleted; visits and consent history keep only the pseudonymous id. Idempotent.',
  })
  eraseVisitor(@Ctx() ctx: VisitorContext, @Arg('id', () => ID) id: string): Promise<Profile> {
    return this.profiles.erase(ctx.scope, id);
  }

  @Public()
  @Authorized(...IDENTIFIER_WRITERS)
  @Mutation(() => ConsentReceipt, {
    description: 'A consent given or withdrawn elsewhere (app, web, CRM), by identifier',
  })
  async recordVisitorConsent(
    @Ctx() ctx: VisitorContext,
    @Arg('input', () => ConsentByIdentifierInput) input: ConsentByIdentifierInput,
  ): Promise<ConsentReceipt> {
    const { profile, changed } = await this.profiles.consentByIdentifier(ctx.scope, input);
    return { visitorId: profile.id, purpose: input.purpose, granted: input.granted, changed };
  }

  @FieldResolver(() => String, { nullable: true })
  async name(@Root() p: Profile, @Ctx() ctx: VisitorContext): Promise<string | null> {
    return (await this.profiles.reveal(ctx, p, 'name'))?.name ?? null;
  }

  @FieldResolver(() => [IdentifierView])
  async identifiers(@Root() p: Profile, @Ctx() ctx: VisitorContext): Promise<IdentifierView[]> {
    return ((await this.profiles.reveal(ctx, p, 'identifiers'))?.identifiers ?? []) as IdentifierView[];
  }

  @FieldResolver(() => [AttributeView])
  async attributes(@Root() p: Profile, @Ctx() ctx: VisitorContext): Promise<AttributeView[]> {
    const record = await this.profiles.reveal(ctx, p, 'attributes');
    return Object.entries(record?.attributes ?? {}).map(([name, value]) => ({ name, value }));
  }

  @FieldResolver(() => [NoteView])
  async notes(@Root() p: Profile, @Ctx() ctx: VisitorContext): Promise<NoteView[]> {
    const record = await this.profiles.reveal(ctx, p, 'notes');
    return (record?.notes ?? []).map((n) => ({ text: n.text, storeId: n.storeId, at: new Date(n.at) }));
  }

  @FieldResolver(() => [VisitorConsent], { description: 'The current consent per purpose (absent: never given)' })
  consents(@Root() p: Profile): Promise<VisitorConsent[]> {
    return this.consentService.currentOf(p.id);
  }

  @FieldResolver(() => [VisitorConsent], { description: 'Every consent change, oldest first' })
  consentHistory(@Root() p: Profile): Promise<VisitorConsent[]> {
    return this.consentService.history(p.id);
  }

  @FieldResolver(() => [Segment])
  async segments(@Root() p: Profile): Promise<Segment[]> {
    return (await this.segmentService.segmentsOf([p.id], false)).get(p.id) ?? [];
  }
}
