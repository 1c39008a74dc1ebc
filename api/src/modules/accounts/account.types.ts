import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../graphql/node.js';
import { payloadType } from '../../graphql/payload.js';
import { AccountRole } from './account.entity.js';

export const ViewerRole = { ...AccountRole, PARTNER: 'PARTNER', ANONYMOUS: 'ANONYMOUS' } as const;

registerEnumType(ViewerRole, {
  name: 'ViewerRole',
  description: 'What the caller is, which decides what it may see and do.',
  valuesConfig: {
    ADMIN: { description: 'Platform staff: configures everything, never reads personal identifiers.' },
    THERAPIST: { description: 'A licensed clinician: its own groups, and the identifiers of their members.' },
    MEMBER: { description: 'A person in groups: the catalogue and its own record.' },
    PARTNER: { description: 'A partner app authenticated with an API key: the catalogue and its own referred members.' },
    ANONYMOUS: { description: 'No credentials: the public catalogue only.' },
  },
});

@ObjectType({ description: 'The caller of this request.' })
export class Viewer {
  @Field(() => ViewerRole, { description: 'What the caller is.' }) role!: keyof typeof ViewerRole;
}

@ObjectType('Admin', { implements: Node, description: 'A member of platform staff with an admin account. Visible to admins only.' })
export class Admin {
  @Field(() => ID, { description: 'Global ID.' }) id!: string;
  @Field({ description: 'The address the admin signs in with (staff, not a member: not a personal identifier of the platform).' })
  email!: string;
  @Field({ description: 'When the account was created.' }) createdAt!: Date;
}

export const LoginPayload = payloadType('LoginPayload', 'Result of `login`.', {
  token: { type: () => String, description: 'Bearer token for `Authorization: Bearer <token>`. Keep it secret; it is shown once.' },
  expiresAt: { type: () => Date, description: 'When the token stops working (12 hours after sign-in).' },
  viewer: { type: () => Viewer, description: 'Who is now signed in.' },
});

export const LogoutPayload = payloadType('LogoutPayload', 'Result of `logout`.', {
  loggedOut: { type: () => Boolean, nullable: false, description: 'True when the session was ended.' },
});
