import { Field, ID, ObjectType } from 'type-graphql';
import { connectionOf } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';

const IDENTIFIER_NOTE =
  'Personal identifier: readable only by the member and the therapists of their groups; anyone else gets null with a FORBIDDEN error. Every read is audited.';

@ObjectType('EmergencyContact', {
  description: "Who to call if something happens to the member in a session. Part of the member's personal identifiers.",
})
export class EmergencyContact {
  @Field({ description: "The contact's name." }) name!: string;
  @Field({ description: "The contact's phone number, E.164 (e.g. +442079460958)." }) phone!: string;
  @Field(() => String, { nullable: true, description: 'How the contact relates to the member, e.g. "sister".' })
  relationship!: string | null;
}

@ObjectType('Member', {
  implements: Node,
  description:
    'A person in groups. Inside a group members are known only by their display name; the personal identifiers below are confined to the member and their therapists.',
})
export class Member {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'The name the member chose to be known by in groups. Not unique and not an identifier.' })
  displayName!: string;
  @Field(() => String, { nullable: true, description: 'Pronouns, as the member gave them.' }) pronouns!: string | null;
  @Field({ description: "The member's IANA time zone, used to show session times." }) timeZone!: string;
  @Field({ description: 'When the member was registered.' }) createdAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description:
      'When the member was erased (`eraseMember`): its identifiers are gone for good and its display name is "Former member". Null otherwise.',
  })
  erasedAt!: Date | null;
  @Field(() => String, { nullable: true, description: `Legal name. ${IDENTIFIER_NOTE}` }) legalName!: string | null;
  @Field(() => String, { nullable: true, description: `Email address. ${IDENTIFIER_NOTE}` }) email!: string | null;
  @Field(() => String, { nullable: true, description: `Phone number, E.164. ${IDENTIFIER_NOTE}` }) phone!: string | null;
  @Field(() => String, { nullable: true, description: `Date of birth, YYYY-MM-DD. ${IDENTIFIER_NOTE}` }) dateOfBirth!: string | null;
  @Field(() => EmergencyContact, { nullable: true, description: `Emergency contact. ${IDENTIFIER_NOTE}` })
  emergencyContact!: EmergencyContact | null;
}

export const MemberConnection = connectionOf(Member, 'Member', 'member');

export const RegisterMemberPayload = payloadType('RegisterMemberPayload', 'Result of `registerMember`.', {
  member: {
    type: () => Member,
    description:
      'The new member, for a partner or an admin (its identifiers follow the usual rule: they read null). Null for a person registering themself: it signs in once it confirmed its address.',
  },
  token: {
    type: () => String,
    description: 'Always null: registering never signs anyone in.',
    deprecationReason: 'A person registering themself confirms its address from a mailed link (verifyEmail), then signs in with login.',
  },
});

export const RequestMemberSignInPayload = payloadType('RequestMemberSignInPayload', 'Result of `requestMemberSignIn`.', {
  accepted: { type: () => Boolean, description: 'True when the request was taken; the same whatever the address.' },
});

export const ClaimMemberSignInPayload = payloadType('ClaimMemberSignInPayload', 'Result of `claimMemberSignIn`.', {
  done: { type: () => Boolean, description: 'True when the sign-in was made; null when refused (see userErrors).' },
});
