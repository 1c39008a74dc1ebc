/** Who is calling, resolved once per request from the bearer token or API key. */
export type Viewer =
  | { kind: 'ANONYMOUS' }
  | { kind: 'ADMIN'; accountId: string }
  | { kind: 'THERAPIST'; accountId: string; therapistId: string }
  /**
   * A person's sign-in may serve several member records (each partner that referred them made
   * one): `memberIds`, oldest first; `memberId` is the first, the one a member acts for by default.
   */
  | { kind: 'MEMBER'; accountId: string; memberId: string; memberIds: string[] }
  | { kind: 'PARTNER'; partnerId: string; apiKeyId: string };

export type ViewerKind = Viewer['kind'];

export const ANONYMOUS: Viewer = { kind: 'ANONYMOUS' };
