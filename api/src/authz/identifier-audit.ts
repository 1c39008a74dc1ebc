import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import { pooledSql, sql } from '../db/sql.js';
import type { Logger } from 'pino';
import { ErrorCode, KindredError } from '../graphql/errors.js';
import { safeErrorFields } from '../graphql/format-error.js';
import type { Viewer } from './viewer.js';

/** Writes the append-only `identifier_audit` rows for one request (enforce-field-policy.ts calls it). */
export interface IdentifierAudit {
  /** Resolves once the read of `field` of `memberId` is durably in the audit log; rejects otherwise. */
  record(memberId: string, field: string): Promise<void>;
}

interface Actor {
  kind: string;
  accountId: string | null;
  partnerId: string | null;
}

function actorOf(viewer: Viewer): Actor {
  switch (viewer.kind) {
    case 'PARTNER':
      return { kind: 'PARTNER', accountId: null, partnerId: viewer.partnerId };
    case 'ANONYMOUS':
      return { kind: 'ANONYMOUS', accountId: null, partnerId: null };
    default:
      return { kind: viewer.kind, accountId: viewer.accountId, partnerId: null };
  }
}

const SEPARATOR = '\u0000';

/**
 * Per-request audit writer. Reads of the same tick are batched into one INSERT with one row per
 * member naming all fields read; a (member, field) pair already written in this request is not
 * written again.
 */
export function createIdentifierAudit(
  em: EntityManager,
  viewer: Viewer,
  requestId: string,
  operationName: () => string | null,
  logger: Logger,
): IdentifierAudit {
  const actor = actorOf(viewer);
  const loader = new DataLoader<string, true>(async (keys) => {
    const fieldsByMember = new Map<string, string[]>();
    for (const key of keys) {
      const [memberId, field] = key.split(SEPARATOR) as [string, string];
      const fields = fieldsByMember.get(memberId) ?? [];
      fields.push(field);
      fieldsByMember.set(memberId, fields);
    }
    const members = [...fieldsByMember.keys()];
    try {
      const rows = JSON.stringify(members.map((memberId) => ({ member_id: memberId, fields: fieldsByMember.get(memberId) })));
      await pooledSql(em).query(
        sql`insert into identifier_audit (actor_kind, actor_account_id, actor_partner_id, member_id, fields, operation_name, request_id)
            select ${actor.kind}, ${actor.accountId}::uuid, ${actor.partnerId}::uuid, m.member_id,
                   array(select jsonb_array_elements_text(m.fields)), ${operationName()}, ${requestId}
              from jsonb_to_recordset(${rows}::jsonb) as m(member_id uuid, fields jsonb)`,
      );
    } catch (cause) {
      // Operators must know: identifiers are being withheld until the audit log accepts writes.
      logger.error({ err: safeErrorFields(cause), requestId }, 'identifier audit write failed; identifiers withheld');
      const error = new KindredError(
        ErrorCode.INTERNAL_SERVER_ERROR,
        'Personal identifiers are unavailable because their read could not be audited.',
      );
      return keys.map(() => error);
    }
    return keys.map(() => true as const);
  });
  return {
    async record(memberId, field) {
      await loader.load(`${memberId}${SEPARATOR}${field}`);
    },
  };
}
