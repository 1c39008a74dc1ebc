import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, type Rel, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import type { ProgramModuleEntity } from '../programs/index.js';
import { GroupEntity } from './group.entity.js';

export enum SessionStatus {
  SCHEDULED = 'SCHEDULED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

/** One meeting of a group, generated from its weekly schedule, stored in UTC. */
@Entity({ tableName: 'group_session' })
@Unique({ name: 'group_session_position_key', properties: ['group', 'position'] })
@Index({ name: 'group_session_group_starts_idx', properties: ['group', 'startsAt'] })
@Check({ name: 'group_session_time_check', expression: 'ends_at > starts_at' })
export class SessionEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @ManyToOne(() => GroupEntity, { ref: true, deleteRule: 'cascade' }) group!: Ref<GroupEntity>;
  @Property({ type: 'int' }) position!: number;
  @Property({ type: 'timestamptz' }) startsAt!: Date;
  @Property({ type: 'timestamptz' }) endsAt!: Date;
  @ManyToOne('ProgramModuleEntity', { ref: true, nullable: true, deleteRule: 'set null' })
  module?: Ref<Rel<ProgramModuleEntity>> | null;
  @Enum({ items: () => SessionStatus, nativeEnumName: 'session_status', default: SessionStatus.SCHEDULED })
  status: Opt<SessionStatus> = SessionStatus.SCHEDULED;
}
