/**
 * A member's identifiers in clear exist only in memory: sealed with the member's data key when
 * written, opened per request when an allowed reader asks (docs/encryption.md).
 */
import { emailIndex } from '@kindred/crypto';
import { unwrapRow } from '../../crypto/data-keys.js';
import { open, openOptional, seal, sealOptional } from '@kindred/crypto';
import { sealedPlaces } from '@kindred/crypto';
import { sql } from '../../db/sql.js';

/** A member's identifiers, opened. */
export interface MemberIdentity {
  legalName: string;
  email: string;
  phone: string | null;
  dateOfBirth: string | null;
  emergencyContactName: string | null;
  emergencyContactPhone: string | null;
  emergencyContactRelationship: string | null;
}

/** The stored columns of `member_identity`, as entity properties. */
export function sealIdentity(memberId: string, key: Buffer, identity: MemberIdentity) {
  const place = sealedPlaces.member(memberId);
  return {
    legalName: seal(key, identity.legalName, place.legalName),
    email: seal(key, identity.email, place.email),
    emailIndex: emailIndex(identity.email),
    phone: sealOptional(key, identity.phone, place.phone),
    dateOfBirth: sealOptional(key, identity.dateOfBirth, place.dateOfBirth),
    emergencyContactName: sealOptional(key, identity.emergencyContactName, place.emergencyContactName),
    emergencyContactPhone: sealOptional(key, identity.emergencyContactPhone, place.emergencyContactPhone),
    emergencyContactRelationship: sealOptional(key, identity.emergencyContactRelationship, place.emergencyContactRelationship),
  };
}

/** A `member_identity` row with its member's wrapped key, as `IDENTITY_ROW` selects it. */
export interface SealedIdentityRow {
  member_id: string;
  legal_name: Buffer;
  email: Buffer;
  phone: Buffer | null;
  date_of_birth: Buffer | null;
  emergency_contact_name: Buffer | null;
  emergency_contact_phone: Buffer | null;
  emergency_contact_relationship: Buffer | null;
  key_id: string | null;
  wrapped: Buffer | null;
  kek_id: string | null;
}

/** Selects `SealedIdentityRow`s: `from member_identity i` joined to its member's key. */
export const IDENTITY_ROW = sql`i.member_id, i.legal_name, i.email, i.phone, i.date_of_birth, i.emergency_contact_name,
  i.emergency_contact_phone, i.emergency_contact_relationship, k.id as key_id, k.wrapped, k.kek_id
  from member_identity i join member m on m.id = i.member_id left join data_key k on k.id = m.data_key_id`;

/** The identifiers of a row; null when the member's key was destroyed (erased). */
export function openIdentity(row: SealedIdentityRow): MemberIdentity | null {
  const key = unwrapRow(row);
  if (!key) return null;
  const place = sealedPlaces.member(row.member_id);
  return {
    legalName: open(key, row.legal_name, place.legalName),
    email: open(key, row.email, place.email),
    phone: openOptional(key, row.phone, place.phone),
    dateOfBirth: openOptional(key, row.date_of_birth, place.dateOfBirth),
    emergencyContactName: openOptional(key, row.emergency_contact_name, place.emergencyContactName),
    emergencyContactPhone: openOptional(key, row.emergency_contact_phone, place.emergencyContactPhone),
    emergencyContactRelationship: openOptional(key, row.emergency_contact_relationship, place.emergencyContactRelationship),
  };
}
