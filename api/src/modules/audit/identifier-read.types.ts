import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';

/** Who read a member's identifiers: the `actor_kind` values the identifier audit writes. */
export enum IdentifierReaderKind {
  MEMBER = 'MEMBER',
  THERAPIST = 'THERAPIST',
  ADMIN = 'ADMIN',
  PARTNER = 'PARTNER',
  ANONYMOUS = 'ANONYMOUS',
}

registerEnumType(IdentifierReaderKind, {
  name: 'IdentifierReaderKind',
  description: "Who read a member's personal identifiers.",
  valuesConfig: {
    MEMBER: { description: 'The member itself, signed in with its own sign-in.' },
    THERAPIST: { description: "A therapist assigned to one of the member's groups (`readerDisplayName` names it)." },
    ADMIN: { description: 'An admin. Admins may not read identifiers; listed so that every row the audit can hold has a kind.' },
    PARTNER: { description: "A partner organisation's app. Partners may not read identifiers; listed for the same reason." },
    ANONYMOUS: { description: 'A caller without a sign-in. Never allowed; listed for the same reason.' },
  },
});

@ObjectType('IdentifierRead', {
  description:
    "One read of a member's personal identifiers, from the append-only audit: when, by whom, which fields, in which operation. Only the member itself sees these.",
})
export class IdentifierRead {
  @Field({ description: 'When the identifiers were read (when the audit row was written, just before they were answered).' })
  readAt!: Date;
  @Field(() => String, {
    nullable: true,
    description:
      'The name of the GraphQL operation the reader sent (e.g. "GroupRoster"), as the reader named it; null when it sent an unnamed one.',
  })
  operationName!: string | null;
}

export const IdentifierReadConnection = connectionOf(IdentifierRead, 'IdentifierRead', 'identifier read');
