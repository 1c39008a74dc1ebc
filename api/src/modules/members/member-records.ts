import type { RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createDataKey } from '../../crypto/data-keys.js';
import { newId } from '../../db/ids.js';
import { MemberEntity, MemberIdentityEntity } from './member.entity.js';
import { type MemberIdentity, sealIdentity } from './member-identity.js';

type Profile = Omit<RequiredEntityData<MemberEntity>, 'id' | 'dataKey' | 'erasedAt'>;

/**
 * A member record with its own data key and, when given, its identifiers sealed with that key,
 * in `em`'s unit of work. The key is returned for what else is sealed with it (a signature's
 * typed name); it is never stored unwrapped.
 */
export function createMember(em: EntityManager, profile: Profile, identity: MemberIdentity | null): { member: MemberEntity; key: Buffer } {
  const { entity: dataKey, key } = createDataKey(em);
  const member = em.create(MemberEntity, { pronouns: null, partner: null, account: null, ...profile, id: newId(), dataKey });
  if (identity) em.create(MemberIdentityEntity, { member, ...sealIdentity(member.id, key, identity) });
  return { member, key };
}
