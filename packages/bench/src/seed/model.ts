/** The dataset in memory, row for row what the loader writes. Instants are epoch milliseconds. */
import type { Region } from './content.js';
import type { PasswordKind } from './secrets.js';
import type { Weekday } from './schedule.js';

/** The fixed points every date of the dataset is placed around. */
export interface Timeline {
  /** 00:00 UTC of the seeding day ("now" for the dataset: nothing is scheduled to happen before it is over). */
  today: number;
  /** The confidentiality agreement and its version 1. */
  agreementAt: number;
  /** Version 2, which requires members to sign again. */
  version2At: number;
}

export interface Agreement {
  id: string;
  title: string;
  createdAt: number;
  versions: { id: string; version: number; bodyMarkdown: string; requiresResign: boolean; publishedAt: number }[];
}

export interface Partner {
  id: string;
  name: string;
  createdAt: number;
  keys: { id: string; label: string; secret: string; createdAt: number; revokedAt: number | null; lastUsedAt: number | null }[];
}

export interface Account {
  id: string;
  email: string;
  password: PasswordKind;
  role: 'ADMIN' | 'THERAPIST' | 'MEMBER';
  therapistId: string | null;
  memberId: string | null;
  createdAt: number;
}

export interface Therapist {
  id: string;
  displayName: string;
  credentials: string;
  bio: string;
  timeZone: string;
  createdAt: number;
  account: Account;
}

export interface Member {
  index: number;
  id: string;
  displayName: string;
  pronouns: string | null;
  timeZone: string;
  region: Region;
  /** Index into the partners, or null for a member who registered themself (and has an account). */
  partner: number | null;
  createdAt: number;
  legalName: string;
  email: string;
  phone: string | null;
  dateOfBirth: string | null;
  emergencyContact: { name: string; phone: string; relationship: string } | null;
  account: Account | null;
  /** When they signed agreement version 1 and 2, if they did. */
  signedV1At: number | null;
  signedV2At: number | null;
  /** Kept free of reservations for the reservation storm. */
  storm: boolean;
}

export interface Signature {
  id: string;
  member: Member;
  versionId: string;
  channel: 'MEMBER' | 'PARTNER';
  partnerId: string | null;
  signedAt: number;
}

export type ProgramStatus = 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';

export interface Program {
  id: string;
  title: string;
  short: string;
  summary: string;
  description: string;
  focusAreas: string[];
  sessionCount: number;
  sessionLengthMinutes: number;
  requiresAgreement: boolean;
  status: ProgramStatus;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  archivedAt: number | null;
  modules: { id: string; position: number; title: string; guidance: string; homeworkPrompt: string }[];
  authorIds: string[];
}

export type GroupStatus = 'DRAFT' | 'OPEN' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

export interface Session {
  id: string;
  position: number;
  startsAt: number;
  endsAt: number;
  moduleId: string | null;
  status: 'SCHEDULED' | 'COMPLETED' | 'CANCELLED';
}

export interface Group {
  index: number;
  id: string;
  program: Program;
  title: string;
  lead: Therapist;
  coTherapists: Therapist[];
  capacity: number;
  type: 'CLOSED' | 'OPEN';
  format: 'ONLINE' | 'IN_PERSON';
  location: string | null;
  timeZone: string;
  region: Region;
  startsOn: string;
  weekday: Weekday;
  startTime: string;
  durationMinutes: number;
  sessionCount: number;
  enrolmentDeadline: number | null;
  cancellationWindowHours: number;
  holdMinutes: number;
  status: GroupStatus;
  cancellationReason: string | null;
  createdAt: number;
  updatedAt: number;
  /** DRAFT → OPEN; null for drafts. */
  openedAt: number | null;
  /** When the lifecycle job moved it to IN_PROGRESS (its first session had started), if it did. */
  startedAt: number | null;
  /** When the lifecycle job moved it to COMPLETED (its last session had ended), if it did. */
  completedAt: number | null;
  cancelledAt: number | null;
  sessions: Session[];
  /** Reservations the group receives over its life, as a multiple of its capacity. */
  demand: number;
  /** One of the storm's groups: no agreement, free seats. */
  storm: boolean;
  /** Meant to be full with a waitlist (the busy-group scenarios). */
  popular: boolean;
}

export type ReservationStatus = 'HELD' | 'CONFIRMED' | 'WAITLISTED' | 'CANCELLED' | 'EXPIRED' | 'REMOVED';

/** A reservation row's mutable columns. */
export interface RowState {
  status: ReservationStatus;
  expiresAt: number | null;
  updatedAt: number;
  endedAt: number | null;
  endedBy: string | null;
  cancelledLate: boolean | null;
  removalReason: string | null;
}

/** One change of a reservation: the row after it and the history event Kindred records for it. */
export interface Step extends RowState {
  at: number;
  actor: string;
  reason: string | null;
  /** Order of the change within its group (the order Kindred made the changes in). */
  order: number;
}

export interface Reservation {
  id: string;
  group: Group;
  member: Member;
  createdAt: number;
  /** From the global waitlist sequence, for a reservation that entered the waitlist. */
  waitlistSeq: number | null;
  /** The insert, then every status change, in order. */
  steps: Step[];
}

export interface Attendance {
  sessionId: string;
  memberId: string;
  status: 'PRESENT' | 'LATE' | 'ABSENT' | 'EXCUSED';
  recordedById: string;
  recordedAt: number;
}

export const isActive = (status: ReservationStatus) => status === 'HELD' || status === 'CONFIRMED' || status === 'WAITLISTED';
export const takesSeat = (status: ReservationStatus) => status === 'HELD' || status === 'CONFIRMED';
export const lastStep = (reservation: Reservation): Step => reservation.steps[reservation.steps.length - 1]!;
