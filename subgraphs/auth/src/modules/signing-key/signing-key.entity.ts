import type { SealedSecret } from '@phub/kit';
import type { JWK } from 'jose';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** PENDING keys are published before they sign, so verifiers already hold them when they take over. */
export enum SigningKeyStatus {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(SigningKeyStatus, {
  name: 'SigningKeyStatus',
  description: 'PENDING: published, signs next; ACTIVE: signs now; RETIRED: published until its tokens expire',
});

@ObjectType({ description: 'A key that signs access tokens; its public half is in the JWKS' })
@Entity({ name: 'signing_key' })
export class SigningKey {
  @Field(() => ID, { description: 'JWK thumbprint, the `kid` of tokens it signs' })
  @PrimaryColumn({ type: 'text' })
  kid: string;

  @Field(() => String, { description: 'JWS algorithm, e.g. EdDSA' })
  @Column({ type: 'text' })
  algorithm: string;

  @Field(() => SigningKeyStatus)
  @Column({ type: 'text' })
  status: SigningKeyStatus;

  @Column({ name: 'public_jwk', type: 'jsonb' })
  publicJwk: JWK;

  /**
   * The private JWK, envelope-encrypted (a data key of its own, wrapped by the master key). A plain
   * JWK only in rows written before encryption; those are sealed in place at start-up.
   */
  @Column({ name: 'private_jwk', type: 'jsonb' })
  privateJwk: SealedSecret | JWK;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'activated_at', type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt: Date | null;
}
