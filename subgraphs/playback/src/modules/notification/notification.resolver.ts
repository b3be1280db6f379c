import { ConnectionType } from '@phub/kit';
import { ArrayMaxSize } from 'class-validator';
import { Arg, Authorized, Ctx, Field, InputType, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { PlaybackContext } from '../../context.js';
import { HQ } from '../../roles.js';
import { NotificationSettings, SentMessage } from './notification.entity.js';
import type { NotificationService } from './notification.service.js';

const SentMessageConnection = ConnectionType(SentMessage, 'SentMessage');

@InputType()
export class NotificationSettingsInput {
  @Field(() => [String])
  @ArrayMaxSize(50)
  emails: string[];

  @Field(() => [String], { description: 'E.164, e.g. +447700900123' })
  @ArrayMaxSize(50)
  phones: string[];
}

@Resolver()
export class NotificationResolver {
  constructor(private readonly notifications: NotificationService) {}

  @Authorized('HQ_ADMIN')
  @Query(() => NotificationSettings, { description: 'Who hears about display alerts (HQ admins)' })
  notificationSettings(@Ctx() ctx: PlaybackContext): Promise<NotificationSettings> {
    return this.notifications.get(ctx.scope);
  }

  @Authorized('HQ_ADMIN')
  @Mutation(() => NotificationSettings, { description: 'Replaces the alert recipients of the tenant (HQ admins)' })
  setNotificationSettings(
    @Ctx() ctx: PlaybackContext,
    @Arg('input', () => NotificationSettingsInput) input: NotificationSettingsInput,
  ): Promise<NotificationSettings> {
    return this.notifications.set(ctx.scope, input.emails, input.phones);
  }

  @Authorized(...HQ)
  @Query(() => SentMessageConnection, {
    description: 'Alert notifications sent (or kept here when SNS is not configured), oldest first. HQ roles',
  })
  sentMessages(
    @Ctx() ctx: PlaybackContext,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ) {
    return this.notifications.sent(ctx.scope, first, after);
  }
}
