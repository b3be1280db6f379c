import { Role } from '@phub/kit';
import { Directive, Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PrivateUserField } from './user.visibility.js';

registerEnumType(Role, {
  name: 'Role',
  description:
    'HQ roles cover the whole tenant; store roles only their stores; PARTNER, DEVICE and KIOSK are not for people',
});

export enum UserStatus {
  INVITED = 'INVITED',
  ACTIVE = 'ACTIVE',
  DEACTIVATED = 'DEACTIVATED',
}
registerEnumType(UserStatus, { name: 'UserStatus' });

/** Roles a person can hold; PARTNER and DEVICE belong to API clients and display players. */
export const PERSON_ROLES: readonly Role[] = [
  Role.HQ_ADMIN,
  Role.HQ_EDITOR,
  Role.HQ_VIEWER,
  Role.STORE_MANAGER,
  Role.STORE_STAFF,
];

const PRIVATE = 'Only for HQ admins and the person themself; null for everyone else.';

@ObjectType({
  description:
    'A person who signs in: HQ or store staff of one tenant. Others of the tenant see only the id and display ' +
    'name; display players and other tenants do not see people at all.',
})
@Directive('@key(fields: "id")')
@Entity({ name: 'user' })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String, {
    nullable: true,
    description: `Sign-in name, unique across the platform (stored in lower case). ${PRIVATE}`,
  })
  @UseMiddleware(PrivateUserField)
  @Column({ type: 'text', unique: true })
  email: string;

  @Field(() => String, { description: 'How the person is shown to others of the tenant' })
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Field(() => UserStatus, { nullable: true, description: PRIVATE })
  @UseMiddleware(PrivateUserField)
  @Column({ type: 'text' })
  status: UserStatus;

  @Field(() => [Role], { nullable: true, description: PRIVATE })
  @UseMiddleware(PrivateUserField)
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: Role[];

  @Field(() => [ID], {
    nullable: true,
    description: `Stores the store roles apply to; empty for HQ roles, which cover the tenant. ${PRIVATE}`,
  })
  @UseMiddleware(PrivateUserField)
  @Column({ name: 'store_ids', type: 'uuid', array: true, default: () => "'{}'" })
  storeIds: string[];

  @Column({ name: 'invitation_hash', type: 'text', nullable: true })
  invitationHash: string | null;

  @Column({ name: 'invitation_expires_at', type: 'timestamptz', nullable: true })
  invitationExpiresAt: Date | null;

  @Field(() => Date, { nullable: true, description: PRIVATE })
  @UseMiddleware(PrivateUserField)
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Field(() => Date, { nullable: true, description: PRIVATE })
  @UseMiddleware(PrivateUserField)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: PRIVATE })
  @UseMiddleware(PrivateUserField)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}

@ObjectType()
export class CreateUserPayload {
  @Field(() => User)
  user: User;

  @Field(() => String, {
    nullable: true,
    description: 'Shown once when no password was set: the person redeems it with acceptInvitation',
  })
  invitationToken: string | null;

  @Field(() => Date, { nullable: true })
  invitationExpiresAt: Date | null;
}
