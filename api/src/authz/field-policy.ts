/**
 * Who reads what — the one table a reviewer reads top to bottom (docs/decisions/0003-field-policy-table.md).
 *
 * Every field of a type that carries personal data is listed here, and a test walks the emitted
 * schema to fail when one is missing. The rules:
 * - `withParent`: readable by anyone who may see the parent object (object visibility is decided
 *   where the object is looked up, and invisible objects are NOT_FOUND);
 * - `identifier`: a personal identifier of the member `memberOf(parent)`: readable only by that
 *   member and the therapists assigned to them (`canReadIdentifiers`), audited on every read,
 *   otherwise `null` with FORBIDDEN. Nothing filters, sorts or searches on these fields;
 * - `selfOnly`: about the member `memberOf(parent)` and for that member alone (`isSelf`): not even
 *   its assigned therapists read it; otherwise `null` with FORBIDDEN. Not an identifier, so not
 *   audited (docs/personal-identifiers.md, "Who read my identifiers").
 */
/*
 * Keyed by GraphQL type and field names, so the kernel needs no module: a rule reads only the
 * shape of the parent object the field is resolved on.
 */

export type FieldRule<Parent = never> =
  | { kind: 'withParent' }
  | { kind: 'identifier'; memberOf: (parent: Parent) => string }
  | { kind: 'selfOnly'; memberOf: (parent: Parent) => string };

const withParent = { kind: 'withParent' } as const;
const identifierOf = <P>(memberOf: (parent: P) => string): FieldRule<P> => ({ kind: 'identifier', memberOf });

/** On `Member`: the member itself. */
const memberIdentifier = identifierOf<{ id: string }>((member) => member.id);
/** On `Signature`: the member who signed. */
const signerIdentifier = identifierOf<{ member: { id: string } }>((signature) => signature.member.id);
/** On `Member`: for the member itself only. */
const memberSelfOnly: FieldRule<{ id: string }> = { kind: 'selfOnly', memberOf: (member) => member.id };

export const fieldPolicy = {
  /**
   * Staff, not members: an admin's sign-in address is readable with the object, and the object
   * only by admins (`node`/`admin`/`admins` are admin-only). Listed so the check that keeps
   * identifier-like fields inside this table covers it.
   */
  Admin: {
    id: withParent,
    email: withParent,
    createdAt: withParent,
    status: withParent,
    approvedAt: withParent,
    invitedBy: withParent,
    approvedBy: withParent,
  },
  Member: {
    id: withParent,
    displayName: withParent,
    pronouns: withParent,
    timeZone: withParent,
    partner: withParent,
    reservations: withParent,
    signatures: withParent,
    attendance: withParent,
    createdAt: withParent,
    erasedAt: withParent,
    legalName: memberIdentifier,
    email: memberIdentifier,
    phone: memberIdentifier,
    dateOfBirth: memberIdentifier,
    emergencyContact: memberIdentifier,
    identifierReads: memberSelfOnly,
  },
  /** Only reachable through `Member.emergencyContact`, which is an identifier as a whole. */
  EmergencyContact: {
    name: withParent,
    phone: withParent,
    relationship: withParent,
  },
  /** Only reachable through `Member.identifierReads`, which is `selfOnly`. */
  IdentifierRead: {
    readAt: withParent,
    readerKind: withParent,
    readerDisplayName: withParent,
    fields: withParent,
    operationName: withParent,
  },
  /**
   * Only made by `exportMyData`, for the signed-in member's own records: every identifier in the
   * document was read through the `identifier` rule above (and audited), the rest as the member
   * would read it field by field.
   */
  MemberDataExport: {
    generatedAt: withParent,
    document: withParent,
  },
  Signature: {
    id: withParent,
    member: withParent,
    agreementVersion: withParent,
    channel: withParent,
    signedAt: withParent,
    typedName: signerIdentifier,
  },
} as const satisfies Record<string, Record<string, FieldRule<any>>>;

/** GraphQL types that carry personal data: every one of their fields needs an entry above. */
export const PERSONAL_DATA_TYPES = Object.keys(fieldPolicy) as (keyof typeof fieldPolicy)[];
