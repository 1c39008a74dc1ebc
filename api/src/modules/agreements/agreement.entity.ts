import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref, type Rel, Unique } from '@mikro-orm/core';
import type { Opt } from '@mikro-orm/core';
import { newId } from '../../db/ids.js';
import type { MemberEntity } from '../members/index.js';
import type { PartnerEntity } from '../partners/index.js';

export enum AgreementKind {
  CONFIDENTIALITY = 'CONFIDENTIALITY',
}

export enum SignatureChannel {
  MEMBER = 'MEMBER',
  PARTNER = 'PARTNER',
}

/** A document members sign (today: the confidentiality agreement), published in versions. */
@Entity({ tableName: 'agreement' })
export class AgreementEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Enum({ items: () => AgreementKind, nativeEnumName: 'agreement_kind' }) kind!: AgreementKind;
  @Property({ type: 'text' }) title!: string;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) createdAt: Opt<Date> = new Date();
}

/** One published text of an agreement. Versions are immutable once written. */
@Entity({ tableName: 'agreement_version' })
@Unique({ name: 'agreement_version_number_key', properties: ['agreement', 'version'] })
@Check({ name: 'agreement_version_number_check', expression: 'version >= 1' })
export class AgreementVersionEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @ManyToOne(() => AgreementEntity, { ref: true }) agreement!: Ref<Rel<AgreementEntity>>;
  @Property({ type: 'int' }) version!: number;
  @Property({ type: 'text' }) bodyMarkdown!: string;
  /** When true, a member must sign this version even if they signed an earlier one. */
  @Property({ type: 'boolean' }) requiresResign!: boolean;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) publishedAt: Opt<Date> = new Date();
}

/** A member's signature of one agreement version. `typedName` is a personal identifier. */
@Entity({ tableName: 'signature' })
@Unique({ name: 'signature_member_version_key', properties: ['member', 'agreementVersion'] })
@Check({ name: 'signature_partner_channel_check', expression: "(channel = 'PARTNER') = (partner_id is not null)" })
export class SignatureEntity {
  @PrimaryKey({ type: 'uuid' }) id: string = newId();
  @Index() @ManyToOne('MemberEntity', { ref: true }) member!: Ref<Rel<MemberEntity>>;
  @ManyToOne(() => AgreementVersionEntity, { ref: true }) agreementVersion!: Ref<AgreementVersionEntity>;
  /** Sealed with the signer's data key (`sealedPlaces.signature`). */
  @Property({ type: 'blob' }) typedName!: Buffer;
  @Enum({ items: () => SignatureChannel, nativeEnumName: 'signature_channel' }) channel!: SignatureChannel;
  @ManyToOne('PartnerEntity', { ref: true, nullable: true }) partner?: Ref<Rel<PartnerEntity>> | null;
  @Property({ type: 'timestamptz', defaultRaw: 'now()' }) signedAt: Opt<Date> = new Date();
}
