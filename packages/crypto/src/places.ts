/**
 * Where each sealed value lives: the additional data it is sealed with (envelope.ts), so a value
 * opens only in its own row and column. One list, used by every writer and reader.
 */
export const sealedPlaces = {
  member: (memberId: string) => ({
    legalName: `member:${memberId}:legalName`,
    email: `member:${memberId}:email`,
    phone: `member:${memberId}:phone`,
    dateOfBirth: `member:${memberId}:dateOfBirth`,
    emergencyContactName: `member:${memberId}:emergencyContactName`,
    emergencyContactPhone: `member:${memberId}:emergencyContactPhone`,
    emergencyContactRelationship: `member:${memberId}:emergencyContactRelationship`,
  }),
  /** A signature's typed name, sealed with the signer's key. */
  signature: (signatureId: string) => `signature:${signatureId}:typedName`,
  account: (accountId: string) => ({
    email: `account:${accountId}:email`,
    totpSecret: `account:${accountId}:totpSecret`,
    totpPendingSecret: `account:${accountId}:totpPendingSecret`,
  }),
  /** A new sign-in address waiting for confirmation, sealed with the account's key. */
  token: (tokenId: string) => `account-token:${tokenId}:email`,
};
