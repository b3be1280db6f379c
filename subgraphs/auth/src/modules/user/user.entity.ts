import { Role } from '@phub/kit';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

registerEnumType(Role, {
  name: 'Role',
  description: 'HQ roles cover the whole tenant; store roles only their stores; PARTNER and DEVICE are not for people',
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

@ObjectType({ description: 'A person who signs in: HQ or store staff of one tenant' })
@Directive('@key(fields: "id")')
@Entity({ name: 'user' })
export class User {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String, { description: 'Sign-in name, unique across the platform (stored in lower case)' })
  @Column({ type: 'text', unique: true })
  email: string;

  @Field(() => String)
  @Column({ name: 'display_name', type: 'text' })
  displayName: string;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Field(() => UserStatus)
  @Column({ type: 'text' })
  status: UserStatus;

  @Field(() => [Role])
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  roles: Role[];

  @Field(() => [ID], { description: 'Stores the store roles apply to; empty for HQ roles, which cover the tenant' })
  @Column({ name: 'store_ids', type: 'uuid', array: true, default: () => "'{}'" })
  storeIds: string[];

  @Column({ name: 'invitation_hash', type: 'text', nullable: true })
  invitationHash: string | null;

  @Column({ name: 'invitation_expires_at', type: 'timestamptz', nullable: true })
  invitationExpiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt: Date | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
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
