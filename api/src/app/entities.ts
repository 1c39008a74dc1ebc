import { DataKeyEntity } from '../crypto/data-key.entity.js';
import { AccountEntity, AccountTokenEntity, AuthSessionEntity, RecoveryCodeEntity } from '../modules/accounts/index.js';
import { AgreementEntity, AgreementVersionEntity, SignatureEntity } from '../modules/agreements/index.js';
import { AttendanceEntity } from '../modules/attendance/index.js';
import { IdentifierAuditEntity, StaffActionEntity } from '../modules/audit/index.js';
import { GroupEntity, SessionEntity } from '../modules/groups/index.js';
import { MemberEntity, MemberIdentityEntity } from '../modules/members/index.js';
import { PartnerApiKeyEntity, PartnerEntity } from '../modules/partners/index.js';
import { ProgramEntity, ProgramModuleEntity } from '../modules/programs/index.js';
import { ReservationEntity } from '../modules/reservations/index.js';
import { TherapistEntity } from '../modules/therapists/index.js';

/** Every entity, listed explicitly (no folder scanning, so the built and source trees behave alike). */
export const entities = [
  AccountEntity,
  AccountTokenEntity,
  RecoveryCodeEntity,
  AuthSessionEntity,
  AgreementEntity,
  AgreementVersionEntity,
  SignatureEntity,
  IdentifierAuditEntity,
  StaffActionEntity,
  GroupEntity,
  MemberEntity,
  MemberIdentityEntity,
  PartnerEntity,
  PartnerApiKeyEntity,
  ProgramEntity,
  ProgramModuleEntity,
  ReservationEntity,
  AttendanceEntity,
  DataKeyEntity,
  SessionEntity,
  TherapistEntity,
];
