import { AccountEntity, AuthSessionEntity } from '../modules/accounts/account.entity.js';
import { AgreementEntity, AgreementVersionEntity, SignatureEntity } from '../modules/agreements/agreement.entity.js';
import { IdentifierAuditEntity } from '../modules/audit/identifier-audit.entity.js';
import { GroupEntity } from '../modules/groups/group.entity.js';
import { MemberEntity, MemberIdentityEntity } from '../modules/members/member.entity.js';
import { PartnerApiKeyEntity, PartnerEntity } from '../modules/partners/partner.entity.js';
import { ProgramEntity, ProgramModuleEntity } from '../modules/programs/program.entity.js';
import { ReservationEntity } from '../modules/reservations/reservation.entity.js';
import { AttendanceEntity, SessionEntity } from '../modules/sessions/session.entity.js';
import { TherapistEntity } from '../modules/therapists/therapist.entity.js';

/** Every entity, listed explicitly (no folder scanning, so the built and source trees behave alike). */
export const entities = [
  AccountEntity,
  AuthSessionEntity,
  AgreementEntity,
  AgreementVersionEntity,
  SignatureEntity,
  IdentifierAuditEntity,
  GroupEntity,
  MemberEntity,
  MemberIdentityEntity,
  PartnerEntity,
  PartnerApiKeyEntity,
  ProgramEntity,
  ProgramModuleEntity,
  ReservationEntity,
  AttendanceEntity,
  SessionEntity,
  TherapistEntity,
];
