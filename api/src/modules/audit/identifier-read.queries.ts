import { sql } from '../../db/sql.js';
import { grouped, viewsWhere } from '../../db/view-loaders.js';
import type { View } from '../../db/views.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { IdentifierAuditEntity } from './identifier-audit.entity.js';
import { IdentifierReaderKind } from './identifier-read.types.js';

/*
 * What a member is told about the reads of its identifiers (docs/personal-identifiers.md, "Who
 * read my identifiers"): when, what kind of reader, a therapist's display name, the fields and
 * the operation name — never an account, partner or request id.
 */

type AuditRow = View<IdentifierAuditEntity>;

/** One page of the reads of `memberId`'s identifiers, newest first (in the order the audit wrote them). */
export function listIdentifierReads(ctx: Context, memberId: string, page: PageArgs) {
  return paginate(ctx, IdentifierAuditEntity, sql`t.member_id = ${memberId}`, page, [{ property: 'id', direction: 'desc' }]);
}

/** The reader's kind, as the audit wrote it. */
export function readerKindOf(row: AuditRow): IdentifierReaderKind {
  const kind = IdentifierReaderKind[row.actorKind as keyof typeof IdentifierReaderKind];
  if (!kind) throw new Error('identifier_audit holds an actor kind this API does not know');
  return kind;
}

/**
 * A therapist reader's display name (its account → therapist; two batched statements per
 * request). Null for every other kind of reader — for the member's own reads `readerKind` MEMBER
 * says it all — and for a therapist whose account no longer exists.
 */
export async function readerDisplayNameOf(ctx: Context, row: AuditRow): Promise<string | null> {
  if (row.actorKind !== IdentifierReaderKind.THERAPIST || !row.actorAccountId) return null;
  const account = await ctx.loaders.account.load(row.actorAccountId);
  const therapist = account?.therapist ? await ctx.loaders.therapist.load(account.therapist.id) : null;
  return therapist?.displayName ?? null;
}

/** The fields read, in alphabetical order (the audit keeps them in the order they resolved). */
export const fieldsReadOf = (row: AuditRow): string[] => [...row.fields].sort();

/** Every read of each member's identifiers, newest first, as `IdentifierRead` describes them (for `exportMyData`). */
export async function allIdentifierReadsOf(ctx: Context, memberIds: readonly string[]) {
  const rows = await viewsWhere(ctx.em, IdentifierAuditEntity, sql`where member_id = any(${memberIds}::uuid[]) order by id desc`);
  const described = await Promise.all(
    rows.map(async (row) => ({
      memberId: row.memberId,
      read: {
        readAt: row.readAt.toISOString(),
        readerKind: readerKindOf(row),
        readerDisplayName: await readerDisplayNameOf(ctx, row),
        fields: fieldsReadOf(row),
        operationName: row.operationName ?? null,
      },
    })),
  );
  return grouped(memberIds, described, (entry) => entry.memberId).map((entries) => entries.map((entry) => entry.read));
}
