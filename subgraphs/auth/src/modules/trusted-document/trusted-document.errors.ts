import { badInput } from '@phub/kit';

export const documentDoesNotParse = (index: number, reason: string) =>
  badInput(`documents[${index}] is not a GraphQL document: ${reason}`, { index });
export const documentNotExecutable = (index: number) =>
  badInput(`documents[${index}] must hold operations and fragments only`, { index });
