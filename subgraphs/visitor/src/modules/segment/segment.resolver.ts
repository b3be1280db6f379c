import { Public } from '@phub/kit';
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { VisitorContext } from '../../context.js';
import { AGGREGATE_READERS, IDENTIFIER_WRITERS, SEGMENT_MANAGERS } from '../../roles.js';
import { IdentifierInput } from '../profile/profile.input.js';
import { Segment, SegmentCondition, SegmentImportResult } from './segment.entity.js';
import type { SegmentImport } from './segment.import.js';
import { CreateSegmentInput, UpdateSegmentInput } from './segment.input.js';
import type { SegmentService } from './segment.service.js';

@Resolver(() => Segment)
export class SegmentResolver {
  constructor(
    private readonly service: SegmentService,
    private readonly imports: SegmentImport,
  ) {}

  @Public()
  @Authorized(...AGGREGATE_READERS)
  @Query(() => [Segment], { description: 'The tenant’s visitor segments' })
  segments(@Ctx() ctx: VisitorContext): Promise<Segment[]> {
    return this.service.list(ctx.scope);
  }

  @Public()
  @Authorized(...AGGREGATE_READERS)
  @Query(() => Segment)
  segment(@Ctx() ctx: VisitorContext, @Arg('id', () => ID) id: string): Promise<Segment> {
    return this.service.get(ctx.scope, id);
  }

  @Authorized(...SEGMENT_MANAGERS)
  @Mutation(() => Segment)
  createSegment(
    @Ctx() ctx: VisitorContext,
    @Arg('input', () => CreateSegmentInput) input: CreateSegmentInput,
  ): Promise<Segment> {
    return this.service.create(ctx.scope, input);
  }

  @Authorized(...SEGMENT_MANAGERS)
  @Mutation(() => Segment)
  updateSegment(
    @Ctx() ctx: VisitorContext,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSegmentInput) input: UpdateSegmentInput,
  ): Promise<Segment> {
    return this.service.update(ctx.scope, id, input);
  }

  @Authorized(...SEGMENT_MANAGERS)
  @Mutation(() => Boolean)
  deleteSegment(@Ctx() ctx: VisitorContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return this.service.delete(ctx.scope, id);
  }

  @Public()
  @Authorized(...IDENTIFIER_WRITERS)
  @Mutation(() => SegmentImportResult, {
    description: 'Adds members to an IMPORTED segment by identifier (up to 1000; idempotent; bad ones rejected alone)',
  })
  importSegmentMembers(
    @Ctx() ctx: VisitorContext,
    @Arg('segmentKey', () => String) segmentKey: string,
    @Arg('members', () => [IdentifierInput], { validate: false }) members: IdentifierInput[],
  ): Promise<SegmentImportResult> {
    return this.imports.importMembers(ctx.scope, segmentKey, members);
  }

  @Public()
  @FieldResolver(() => [SegmentCondition], { nullable: true, description: 'RULE segments: all conditions must hold' })
  rule(@Root() s: Segment): SegmentCondition[] | null {
    return (s.rule?.conditions as SegmentCondition[] | undefined) ?? null;
  }

  @Public()
  @FieldResolver(() => Int, { description: 'Visitors in the segment now' })
  size(@Root() s: Segment): Promise<number> {
    return this.service.size(s.id);
  }
}
