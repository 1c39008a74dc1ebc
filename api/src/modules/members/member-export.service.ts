import { execute, type GraphQLSchema, parse, validate } from 'graphql';
import type { Context } from '../../graphql/context.js';
import { forbidden } from '../../graphql/errors.js';
import { toGlobalId } from '../../graphql/ids.js';
import { allIdentifierReadsOf } from '../audit/index.js';

/** The document's layout version: a change of meaning or a removed field gets a new one; added fields do not. */
const FORMAT = 'kindred-member-data/1';

/**
 * What is exported of each member record, read through the schema the member would query itself,
 * with the request's own context. So every identifier (`legalName` … `emergencyContact`, each
 * signature's `typedName`) passes the field policy's one enforcement point and is audited exactly
 * as a field read — the export has no other way to reach one — and every object is the one
 * its own resolver and visibility rule answer (docs/personal-identifiers.md, "Your data, exported").
 */
const MEMBER_DATA = parse(`
  query MemberDataExport($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Member {
        id
        displayName
        pronouns
        timeZone
        createdAt
        partner { id name }
        legalName
        email
        phone
        dateOfBirth
        emergencyContact { name phone relationship }
        reservations {
          id status createdAt expiresAt endedAt endedBy cancelledLate removalReason waitlistPosition
          group {
            id title status format location timeZone
            program { id title }
            sessions { id position startsAt endsAt status }
          }
          history { fromStatus toStatus at actorKind reason }
        }
        signatures {
          id signedAt channel typedName
          agreementVersion { id version publishedAt agreement { id title } }
        }
        attendance { status recordedAt session { id position startsAt endsAt group { id title } } }
      }
    }
  }
`);

/** Schemas the document was checked against: a field renamed in the schema fails the export loudly, not silently. */
const checked = new WeakSet<GraphQLSchema>();

function checkDocument(schema: GraphQLSchema): void {
  if (checked.has(schema)) return;
  const [error] = validate(schema, MEMBER_DATA);
  if (error) throw new Error(`exportMyData's document does not fit the schema: ${error.message}`);
  checked.add(schema);
}

type MemberData = Record<'legalName' | 'email' | 'phone' | 'dateOfBirth' | 'emergencyContact', unknown> & Record<string, unknown>;

/**
 * The signed-in person's own data, every member record its sign-in serves, as one JSON document.
 * Its identifiers are audited before the document is returned (the read list it ends with
 * includes this export's own reads); if that cannot be written, nothing is returned.
 */
export async function exportMyData(ctx: Context, schema: GraphQLSchema): Promise<{ generatedAt: Date; document: Record<string, unknown> }> {
  const { viewer } = ctx;
  if (viewer.kind !== 'MEMBER') throw forbidden('Only a signed-in member exports its own data.');
  checkDocument(schema);
  const generatedAt = new Date();
  const result = await execute({
    schema,
    document: MEMBER_DATA,
    contextValue: ctx,
    variableValues: { ids: viewer.memberIds.map((id) => toGlobalId('Member', id)) },
  });
  // A refusal or an audit failure is rethrown as raised (KindredError); anything else surfaces as
  // an unexpected error of this field, not under a path of the inner document.
  const [error] = result.errors ?? [];
  if (error) throw error.originalError ?? new Error('exportMyData: a field of the export document failed');
  const reads = await allIdentifierReadsOf(ctx, viewer.memberIds);
  const members = (result.data!.nodes as MemberData[]).map((member, i) => {
    const { legalName, email, phone, dateOfBirth, emergencyContact, reservations, signatures, attendance, ...profile } = member;
    return {
      ...profile,
      identifiers: { legalName, email, phone, dateOfBirth, emergencyContact },
      reservations,
      signatures,
      attendance,
      identifierReads: reads[i],
    };
  });
  return { generatedAt, document: { format: FORMAT, exportedAt: generatedAt.toISOString(), members } };
}
