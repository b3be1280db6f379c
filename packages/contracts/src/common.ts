import { z } from 'zod';

/** An instant as every producer writes it: ISO 8601 with an offset (`Date.toISOString()`). */
export const instant = z.iso.datetime({ offset: true });
export const id = z.guid();

/** A topic and the schema of its messages: producers build `z.input` values, consumers parse with `schema`. */
export interface Contract<S extends z.ZodType> {
  readonly topic: string;
  readonly schema: S;
}

export const contract = <S extends z.ZodType>(topic: string, schema: S): Contract<S> => ({ topic, schema });
