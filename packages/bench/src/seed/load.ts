/** Writes the dataset, one transaction per phase, in foreign-key order. */
import { randomUUID } from 'node:crypto';
import { emailIndex, newDataKey, seal, sealedPlaces, sealOptional } from '@kindred/crypto';
import type pg from 'pg';
import type { Dataset } from './dataset.js';
import type { Account } from './model.js';
import { type OnSeedProgress, Phase } from './progress.js';
import { replayReservations, restoreHistory } from './replay.js';
import { type PasswordKind, secretHash } from './secrets.js';
import { type Column, inTransaction, insertRows, type Value } from './sql.js';
import { iso, isoOrNull } from './time.js';

export type PasswordHashes = Record<PasswordKind, string>;

const cols = (spec: string): Column[] =>
  spec.split(',').map((pair) => {
    const [name, type] = pair.trim().split(' ') as [string, string];
    return { name, type };
  });

interface Table {
  name: string;
  columns: Column[];
  rows: Value[][];
}

/** Inserts the tables in order inside one transaction, with one progress bar for the phase. */
async function writePhase(client: pg.ClientBase, phase: string, tables: Table[], onProgress: OnSeedProgress | undefined): Promise<void> {
  const progress = new Phase(
    phase,
    tables.reduce((n, t) => n + t.rows.length, 0),
    'rows',
    onProgress,
  );
  await inTransaction(client, async () => {
    for (const t of tables) await insertRows(client, t.name, t.columns, t.rows, (n) => progress.tick(n));
  });
  progress.finish();
}

/**
 * Data keys made while rows are sealed, as Kindred makes them (docs/encryption.md): each written
 * before the rows that name it, in the same phase.
 */
class DataKeys {
  readonly table: Table = { name: 'data_key', columns: cols('id uuid, wrapped bytea, kek_id text'), rows: [] };

  /** A new key: its id for the row that owns it, the key to seal that row's values with. */
  next(): { id: string; key: Buffer } {
    const { key, stored } = newDataKey(randomUUID());
    this.table.rows.push([stored.id, stored.wrapped, stored.kekId]);
    return { id: stored.id, key };
  }
}

/**
 * Accounts as their owners left them: activated (the owner followed its link) and, for staff,
 * approved by a second admin; the address sealed with the account's key and found by its blind
 * index. A member's record points at its account (`member.account_id`).
 */
const accountRow = (a: Account, hashes: PasswordHashes, keys: DataKeys): Value[] => {
  const { id: keyId, key } = keys.next();
  return [
    a.id,
    seal(key, a.email, sealedPlaces.account(a.id).email),
    emailIndex(a.email),
    keyId,
    hashes[a.password],
    a.role,
    a.therapistId,
    iso(a.createdAt),
    a.role === 'MEMBER' ? null : iso(a.createdAt),
    iso(a.createdAt),
  ];
};
const ACCOUNT = cols(
  'id uuid, email bytea, email_index bytea, data_key_id uuid, password_hash text, role account_role, therapist_id uuid, activated_at timestamptz, approved_at timestamptz, created_at timestamptz',
);

export async function writeCatalogue(
  client: pg.ClientBase,
  d: Dataset,
  hashes: PasswordHashes,
  onProgress?: OnSeedProgress,
): Promise<void> {
  const a = d.agreement;
  const keys = new DataKeys();
  const staffAccounts = [d.admin, ...d.therapists.map((t) => t.account)].map((acc) => accountRow(acc, hashes, keys));
  await writePhase(
    client,
    'catalogue',
    [
      {
        name: 'agreement',
        columns: cols('id uuid, kind agreement_kind, title text, created_at timestamptz'),
        rows: [[a.id, 'CONFIDENTIALITY', a.title, iso(a.createdAt)]],
      },
      {
        name: 'agreement_version',
        columns: cols('id uuid, agreement_id uuid, version int, body_markdown text, requires_resign boolean, published_at timestamptz'),
        rows: a.versions.map((v) => [v.id, a.id, v.version, v.bodyMarkdown, v.requiresResign, iso(v.publishedAt)]),
      },
      {
        name: 'partner',
        columns: cols('id uuid, name text, created_at timestamptz'),
        rows: d.partners.map((p) => [p.id, p.name, iso(p.createdAt)]),
      },
      {
        name: 'partner_api_key',
        columns: cols(
          'id uuid, partner_id uuid, label text, prefix text, secret_hash text, created_at timestamptz, revoked_at timestamptz, last_used_at timestamptz',
        ),
        rows: d.partners.flatMap((p) =>
          p.keys.map((k) => [
            k.id,
            p.id,
            k.label,
            k.secret.slice(0, 10),
            secretHash(k.secret),
            iso(k.createdAt),
            isoOrNull(k.revokedAt),
            isoOrNull(k.lastUsedAt),
          ]),
        ),
      },
      {
        name: 'therapist',
        columns: cols('id uuid, display_name text, credentials text, bio text, time_zone text, created_at timestamptz'),
        rows: d.therapists.map((t) => [t.id, t.displayName, t.credentials, t.bio, t.timeZone, iso(t.createdAt)]),
      },
      keys.table,
      { name: 'account', columns: ACCOUNT, rows: staffAccounts },
      {
        name: 'program',
        columns: cols(
          'id uuid, title text, summary text, description text, focus_areas text[], session_count int, session_length_minutes int, required_agreement_id uuid, status program_status, created_at timestamptz, updated_at timestamptz, published_at timestamptz, archived_at timestamptz',
        ),
        rows: d.programs.map((p) => [
          p.id,
          p.title,
          p.summary,
          p.description,
          p.focusAreas,
          p.sessionCount,
          p.sessionLengthMinutes,
          p.requiresAgreement ? a.id : null,
          p.status,
          iso(p.createdAt),
          iso(p.updatedAt),
          isoOrNull(p.publishedAt),
          isoOrNull(p.archivedAt),
        ]),
      },
      {
        name: 'program_module',
        columns: cols('id uuid, program_id uuid, position int, title text, guidance text, homework_prompt text'),
        rows: d.programs.flatMap((p) => p.modules.map((m) => [m.id, p.id, m.position, m.title, m.guidance, m.homeworkPrompt])),
      },
      {
        name: 'program_author',
        columns: cols('program_id uuid, therapist_id uuid'),
        rows: d.programs.flatMap((p) => p.authorIds.map((t) => [p.id, t])),
      },
    ],
    onProgress,
  );
}

export async function writeMembers(client: pg.ClientBase, d: Dataset, hashes: PasswordHashes, onProgress?: OnSeedProgress): Promise<void> {
  const keys = new DataKeys();
  const accounts = d.members.flatMap((m) => (m.account ? [accountRow(m.account, hashes, keys)] : []));
  const keyOfMember = new Map<string, Buffer>();
  const members = d.members.map((m) => {
    const { id: keyId, key } = keys.next();
    keyOfMember.set(m.id, key);
    return [
      m.id,
      m.displayName,
      m.pronouns,
      m.timeZone,
      m.partner === null ? null : d.partners[m.partner]!.id,
      m.account?.id ?? null,
      keyId,
      iso(m.createdAt),
    ];
  });
  const identities = d.members.map((m) => {
    const key = keyOfMember.get(m.id)!;
    const place = sealedPlaces.member(m.id);
    return [
      m.id,
      seal(key, m.legalName, place.legalName),
      seal(key, m.email, place.email),
      emailIndex(m.email),
      sealOptional(key, m.phone, place.phone),
      sealOptional(key, m.dateOfBirth, place.dateOfBirth),
      sealOptional(key, m.emergencyContact?.name, place.emergencyContactName),
      sealOptional(key, m.emergencyContact?.phone, place.emergencyContactPhone),
      sealOptional(key, m.emergencyContact?.relationship, place.emergencyContactRelationship),
    ];
  });
  await writePhase(
    client,
    'members',
    [
      keys.table,
      { name: 'account', columns: ACCOUNT, rows: accounts },
      {
        name: 'member',
        columns: cols(
          'id uuid, display_name text, pronouns text, time_zone text, partner_id uuid, account_id uuid, data_key_id uuid, created_at timestamptz',
        ),
        rows: members,
      },
      {
        name: 'member_identity',
        columns: cols(
          'member_id uuid, legal_name bytea, email bytea, email_index bytea, phone bytea, date_of_birth bytea, emergency_contact_name bytea, emergency_contact_phone bytea, emergency_contact_relationship bytea',
        ),
        rows: identities,
      },
      {
        name: 'signature',
        columns: cols(
          'id uuid, member_id uuid, agreement_version_id uuid, typed_name bytea, channel signature_channel, partner_id uuid, signed_at timestamptz',
        ),
        rows: d.signatures.map((s) => [
          s.id,
          s.member.id,
          s.versionId,
          seal(keyOfMember.get(s.member.id)!, s.member.legalName, sealedPlaces.signature(s.id)),
          s.channel,
          s.partnerId,
          iso(s.signedAt),
        ]),
      },
    ],
    onProgress,
  );
}

export async function writeGroups(client: pg.ClientBase, d: Dataset, onProgress?: OnSeedProgress): Promise<void> {
  await writePhase(
    client,
    'groups',
    [
      {
        name: 'therapy_group',
        columns: cols(
          'id uuid, program_id uuid, title text, lead_therapist_id uuid, capacity int, type group_type, format group_format, location text, time_zone text, starts_on date, weekday weekday, start_time text, duration_minutes int, session_count int, enrolment_deadline timestamptz, cancellation_window_hours int, hold_minutes int, status group_status, cancellation_reason text, created_at timestamptz, updated_at timestamptz',
        ),
        rows: d.groups.map((g) => [
          g.id,
          g.program.id,
          g.title,
          g.lead.id,
          g.capacity,
          g.type,
          g.format,
          g.location,
          g.timeZone,
          g.startsOn,
          g.weekday,
          g.startTime,
          g.durationMinutes,
          g.sessionCount,
          isoOrNull(g.enrolmentDeadline),
          g.cancellationWindowHours,
          g.holdMinutes,
          g.status,
          g.cancellationReason,
          iso(g.createdAt),
          iso(g.updatedAt),
        ]),
      },
      {
        name: 'group_co_therapist',
        columns: cols('group_id uuid, therapist_id uuid'),
        rows: d.groups.flatMap((g) => g.coTherapists.map((t) => [g.id, t.id])),
      },
      {
        name: 'group_session',
        columns: cols(
          'id uuid, group_id uuid, position int, starts_at timestamptz, ends_at timestamptz, module_id uuid, status session_status',
        ),
        rows: d.groups.flatMap((g) =>
          g.sessions.map((s) => [s.id, g.id, s.position, iso(s.startsAt), iso(s.endsAt), s.moduleId, s.status]),
        ),
      },
    ],
    onProgress,
  );
}

/** Reservations through the triggers, their history's actors and instants, and the waitlist sequence. */
export async function writeReservations(client: pg.ClientBase, d: Dataset, onProgress?: OnSeedProgress): Promise<void> {
  const changes = d.reservations.reduce((n, r) => n + r.steps.length, 0);
  const progress = new Phase('reservations', 2 * changes, 'changes', onProgress);
  await inTransaction(client, async () => {
    await replayReservations(client, d.reservations, (n) => progress.tick(n));
    await restoreHistory(client, d.reservations, (n) => progress.tick(n));
    // Kindred numbers new waitlist places from here on, after every seeded one.
    if (d.lastWaitlistSeq > 0) await client.query(`select setval('reservation_waitlist_seq', $1)`, [d.lastWaitlistSeq]);
  });
  progress.finish();
}

export async function writeAttendance(client: pg.ClientBase, d: Dataset, onProgress?: OnSeedProgress): Promise<void> {
  await writePhase(
    client,
    'attendance',
    [
      {
        name: 'attendance',
        columns: cols('session_id uuid, member_id uuid, status attendance_status, recorded_by_id uuid, recorded_at timestamptz'),
        rows: d.attendance.map((a) => [a.sessionId, a.memberId, a.status, a.recordedById, iso(a.recordedAt)]),
      },
    ],
    onProgress,
  );
}
