import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';

/** A licensed clinician who leads or co-leads groups and may author programs. */
@Entity({ tableName: 'therapist' })
export class TherapistEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Property({ type: 'text' }) displayName!: string;
  @Property({ type: 'text' }) credentials!: string;
  @Property({ type: 'text', default: '' }) bio: Opt<string> = '';
  @Property({ type: 'text' }) timeZone!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
}
