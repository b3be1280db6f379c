import { Public } from '@phub/kit';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@ObjectType({ description: "A partner's API client: it obtains tokens with OAuth2 client credentials" })
@Entity({ name: 'api_client' })
export class ApiClient {
  @Field(() => ID, { description: 'The OAuth2 client_id' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String)
  @Column({ type: 'text' })
  name: string;

  @Field(() => [String], { description: 'What its tokens may do, e.g. location:read' })
  @Column({ type: 'text', array: true })
  scopes: string[];

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash: string;

  /** `sid` of the tokens it gets; replaced on scope change or revocation so old tokens stop at once. */
  @Column({ name: 'token_family', type: 'uuid' })
  tokenFamily: string;

  @Column({ name: 'created_by', type: 'text', nullable: true })
  createdBy: string | null;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Field(() => Date)
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

@ObjectType()
export class CreateApiClientPayload {
  @Field(() => ApiClient)
  apiClient: ApiClient;

  @Field(() => String, { description: 'The client_secret. Shown only now: it is stored hashed' })
  clientSecret: string;
}

@Public()
@ObjectType({ description: 'An access token obtained with client credentials' })
export class ClientToken {
  @Field(() => String)
  accessToken: string;

  @Field(() => String)
  tokenType: string;

  @Field(() => Int, { description: 'Seconds until it expires' })
  expiresIn: number;

  @Field(() => Date)
  expiresAt: Date;

  @Field(() => String, { description: 'Space-separated scopes granted' })
  scope: string;
}
