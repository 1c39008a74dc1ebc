import { badInput } from './errors.js';

/** GraphQL type names that have global IDs. */
export type NodeTypeName =
  | 'Admin'
  | 'Agreement'
  | 'AgreementVersion'
  | 'Group'
  | 'Member'
  | 'Partner'
  | 'PartnerApiKey'
  | 'Program'
  | 'ProgramModule'
  | 'Reservation'
  | 'Session'
  | 'Signature'
  | 'SignInSession'
  | 'StaffAction'
  | 'Therapist';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Opaque global ID: base64url of `Type:uuid`. Clients must not parse it. */
export function toGlobalId(type: NodeTypeName, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export interface DecodedId {
  type: string;
  id: string;
}

/** Decodes a global ID, or returns null when it is not one of ours. */
export function decodeGlobalId(globalId: string): DecodedId | null {
  if (globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 1) return null;
  const id = text.slice(colon + 1);
  if (!UUID.test(id)) return null;
  return { type: text.slice(0, colon), id };
}

/** Decodes a global ID that must name an object of `type`; a malformed or other-type ID is BAD_USER_INPUT. */
export function parseGlobalId(globalId: string, type: NodeTypeName): string {
  const decoded = decodeGlobalId(globalId);
  if (!decoded) throw badInput('This is not a valid ID.', 'INVALID_ID');
  if (decoded.type !== type) throw badInput(`Expected a ${type} ID.`, 'WRONG_ID_TYPE');
  return decoded.id;
}
