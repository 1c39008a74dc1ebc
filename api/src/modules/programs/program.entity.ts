import {
  Check,
  Collection,
  Entity,
  Enum,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryKey,
  Property,
  type Rel,
  type Ref,
  Unique,
} from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import type { AgreementEntity } from '../agreements/index.js';
import type { TherapistEntity } from '../therapists/index.js';

export enum ProgramStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}

/** A therapist-designed plan of guidance, session by session. */
@Entity({ tableName: 'program' })
@Check({ name: 'program_session_count_check', expression: 'session_count between 1 and 104' })
@Check({ name: 'program_session_length_check', expression: 'session_length_minutes between 15 and 480' })
export class ProgramEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'text' }) summary!: string;
  @Property({ type: 'text', default: '' }) description: Opt<string> = '';
  @Property({ type: 'text[]', default: '{}' }) focusAreas: Opt<string[]> = [];
  @Property({ type: 'int' }) sessionCount!: number;
  @Property({ type: 'int' }) sessionLengthMinutes!: number;
  @ManyToOne('AgreementEntity', { ref: true, nullable: true }) requiredAgreement?: Ref<Rel<AgreementEntity>> | null;
  @Enum({ items: () => ProgramStatus, nativeEnumName: 'program_status', default: ProgramStatus.DRAFT })
  status: Opt<ProgramStatus> = ProgramStatus.DRAFT;
  @ManyToMany({ entity: 'TherapistEntity', pivotTable: 'program_author', joinColumn: 'program_id', inverseJoinColumn: 'therapist_id' })
  authors = new Collection<TherapistEntity>(this);
  @OneToMany(
    () => ProgramModuleEntity,
    (m) => m.program,
    { orderBy: { position: 'asc' } },
  )
  modules = new Collection<ProgramModuleEntity>(this);
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', defaultRaw: 'now()', onUpdate: () => new Date() }) updatedAt: Opt<Date> = new Date();
  @Property({ type: 'timestamptz', nullable: true }) publishedAt?: Date | null;
  @Property({ type: 'timestamptz', nullable: true }) archivedAt?: Date | null;
}

/** One step of a program, in order: what the therapist covers and the homework that follows. */
@Entity({ tableName: 'program_module' })
@Unique({ name: 'program_module_position_key', properties: ['program', 'position'] })
@Check({ name: 'program_module_position_check', expression: 'position >= 1' })
export class ProgramModuleEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @ManyToOne(() => ProgramEntity, { ref: true, deleteRule: 'cascade' }) program!: Ref<Rel<ProgramEntity>>;
  @Property({ type: 'int' }) position!: number;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'text', default: '' }) guidance: Opt<string> = '';
  @Property({ type: 'text', default: '' }) homeworkPrompt: Opt<string> = '';
}
