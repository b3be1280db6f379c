import { ArrayMaxSize, ArrayMinSize, IsUUID, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** A CI upload registers a client's whole manifest at once; the cap keeps one request bounded. */
export const MAX_DOCUMENTS_PER_REQUEST = 500;
export const MAX_DOCUMENT_LENGTH = 50_000;

@InputType()
export class RegisterTrustedDocumentsInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'clientId must be an API client id' })
  clientId: string;

  @Field(() => [String], { description: 'GraphQL documents, each registered under its SHA-256 (hex)' })
  @ArrayMinSize(1, { message: 'documents must hold at least one document' })
  @ArrayMaxSize(MAX_DOCUMENTS_PER_REQUEST)
  @MinLength(1, { each: true, message: 'a document must not be empty' })
  @MaxLength(MAX_DOCUMENT_LENGTH, { each: true })
  documents: string[];
}
