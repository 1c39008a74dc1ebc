import { Field, ID, Int, ObjectType } from 'type-graphql';
import { payloadType } from '../../graphql/payload.js';

@ObjectType('SecondFactorSetup', {
  description:
    'What to add to an authenticator app (scan `uri` as a QR code, or type `secret`). Shown only to the account itself, while it sets up its second factor.',
})
export class SecondFactorSetup {
  @Field({ description: 'The shared secret, base32.' }) secret!: string;
  @Field({ description: 'An otpauth:// URI for authenticator apps (issuer Kindred, the account as label).' }) uri!: string;
}

@ObjectType('SecondFactorStatus', { description: "A staff account's second factor." })
export class SecondFactorStatus {
  @Field({ description: 'Whether sign-in asks for a code from an authenticator app.' }) enabled!: boolean;
  @Field({ description: 'Whether this installation requires staff to use one (KINDRED_STAFF_MFA=required).' }) required!: boolean;
  @Field(() => Int, { description: 'Recovery codes not used yet.' }) recoveryCodesLeft!: number;
}

const recoveryCodes = {
  type: () => [String],
  description: 'Single-use recovery codes, for when the authenticator is lost. Shown only in this response: store them safely.',
};

export const SecondFactorSetupPayload = payloadType('SecondFactorSetupPayload', 'Result of `beginSecondFactorSetup`.', {
  secondFactorSetup: {
    type: () => SecondFactorSetup,
    description: 'What to add to the authenticator app; confirm with `confirmSecondFactorSetup`.',
  },
});
export const RecoveryCodesPayload = payloadType(
  'RecoveryCodesPayload',
  'Result of `confirmSecondFactorSetup` and `regenerateRecoveryCodes`: new recovery codes (earlier ones stop working).',
  { recoveryCodes },
);
export const RemoveSecondFactorPayload = payloadType('RemoveSecondFactorPayload', 'Result of `removeSecondFactor`.', {
  done: { type: () => Boolean, description: 'True when sign-in stopped asking for a code.' },
});

@ObjectType('SignInSession', { description: 'A place where you are signed in. Only you see your sessions.' })
export class SignInSession {
  @Field(() => ID, { description: 'ID, for `revokeSignInSession`.' }) id!: string;
  @Field({ description: 'When you signed in.' }) signedInAt!: Date;
  @Field({ description: 'When it stops working by itself.' }) expiresAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description:
      'When it last made a request, to within five minutes (null: none since signing in). A session you do not recognise: revoke it.',
  })
  lastUsedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'The browser or app it signed in from (its user agent), when it said.' })
  client!: string | null;
  @Field({ description: 'Whether the sign-in passed a second factor.' }) secondFactor!: boolean;
  @Field({ description: 'Whether this is the session of the current request.' }) current!: boolean;
}

export const RevokeSignInSessionPayload = payloadType('RevokeSignInSessionPayload', 'Result of `revokeSignInSession`.', {
  done: { type: () => Boolean, description: 'True when the session was ended.' },
});
export const RevokeOtherSignInSessionsPayload = payloadType('RevokeOtherSignInSessionsPayload', 'Result of `revokeOtherSignInSessions`.', {
  revoked: { type: () => Int, description: 'How many sessions were ended.' },
});
