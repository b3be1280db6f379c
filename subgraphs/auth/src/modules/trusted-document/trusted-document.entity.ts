import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({ description: 'An operation a partner client may run: its id is the SHA-256 of its text (hex)' })
@Entity({ name: 'trusted_document' })
export class TrustedDocument {
  @Field(() => ID, { description: 'The API client it is registered for' })
  @PrimaryColumn({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Field(() => ID, { description: 'sha256 of the document, lower-case hex; send it as `documentId`' })
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Field(() => String, { description: 'The GraphQL document' })
  @Column({ type: 'text' })
  body: string;

  @Field(() => Date)
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
