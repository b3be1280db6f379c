const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs; anything else cannot name a row, so it is "not found" rather than a database error. */
export const isUuid = (id: string | null | undefined): id is string => typeof id === 'string' && UUID.test(id);
