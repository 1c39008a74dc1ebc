import { v7 } from 'uuid';

/** Primary keys are UUIDv7: unguessable enough to expose inside opaque IDs, and time-ordered so keyset pagination by id is creation order. */
export const newId = (): string => v7();
