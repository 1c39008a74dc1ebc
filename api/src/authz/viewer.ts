/** Who is calling, resolved once per request from the bearer token or API key. */
export type Viewer =
  | { kind: 'ANONYMOUS' }
  | { kind: 'ADMIN'; accountId: string }
  | { kind: 'THERAPIST'; accountId: string; therapistId: string }
  | { kind: 'MEMBER'; accountId: string; memberId: string }
  | { kind: 'PARTNER'; partnerId: string; apiKeyId: string };

export type ViewerKind = Viewer['kind'];

export const ANONYMOUS: Viewer = { kind: 'ANONYMOUS' };
