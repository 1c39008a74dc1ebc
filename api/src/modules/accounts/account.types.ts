import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Payload } from '../../graphql/payload.js';
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

@ObjectType({ description: 'Result of `login`.' })
export class LoginPayload extends Payload {
  @Field(() => String, {
    nullable: true,
    description: 'Bearer token for `Authorization: Bearer <token>`. Keep it secret; it is shown once.',
  })
  token: string | null = null;

  @Field(() => Date, { nullable: true, description: 'When the token stops working (12 hours after sign-in).' })
  expiresAt: Date | null = null;

  @Field(() => Viewer, { nullable: true, description: 'Who is now signed in.' })
  viewer: Viewer | null = null;
}

@ObjectType({ description: 'Result of `logout`.' })
export class LogoutPayload extends Payload {
  @Field({ description: 'True when the session was ended.' }) loggedOut: boolean = false;
}
