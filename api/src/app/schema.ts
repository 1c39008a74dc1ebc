import 'reflect-metadata';
import { type GraphQLSchema, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import pino, { type Logger } from 'pino';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../authz/auth-checker.js';
import { enforceFieldPolicy } from '../authz/enforce-field-policy.js';
import { auditMutations } from '../authz/staff-actions.js';
import { type NodeTypeName, toGlobalId } from '../graphql/ids.js';
import { inputConstraints } from '../graphql/input-type.js';
import { NodeResolver } from '../graphql/node.resolver.js';
import { AccountResolver, AdminResolver, SignInResolver } from '../modules/accounts/index.js';
import { AgreementResolver, AgreementVersionResolver, MemberSignaturesResolver, SignatureResolver } from '../modules/agreements/index.js';
import { AttendanceResolver, MemberAttendanceResolver, SessionAttendanceResolver } from '../modules/attendance/index.js';
import { IdentifierReadResolver, StaffActionResolver } from '../modules/audit/index.js';
import {
  GroupResolver,
  ReservationGroupResolver,
  SessionResolver,
  TherapistAssignmentResolver,
  TherapistGroupsResolver,
} from '../modules/groups/index.js';
import { ErasureResolver } from '../modules/erasure/index.js';
import { MemberExportResolver, MemberResolver, ViewerMemberResolver } from '../modules/members/index.js';
import { PartnerResolver, ViewerPartnerResolver } from '../modules/partners/index.js';
import { ProgramResolver } from '../modules/programs/index.js';
import { MemberReservationsResolver, ReservationResolver } from '../modules/reservations/index.js';
import { TherapistResolver, ViewerTherapistResolver } from '../modules/therapists/index.js';

const resolvers: [Function, ...Function[]] = [
  NodeResolver,
  AccountResolver,
  AdminResolver,
  SignInResolver,
  ViewerMemberResolver,
  ViewerPartnerResolver,
  ViewerTherapistResolver,
  AgreementResolver,
  AgreementVersionResolver,
  SignatureResolver,
  MemberSignaturesResolver,
  GroupResolver,
  ReservationGroupResolver,
  SessionResolver,
  TherapistGroupsResolver,
  TherapistAssignmentResolver,
  MemberResolver,
  MemberExportResolver,
  ErasureResolver,
  PartnerResolver,
  ProgramResolver,
  ReservationResolver,
  MemberReservationsResolver,
  AttendanceResolver,
  SessionAttendanceResolver,
  MemberAttendanceResolver,
  TherapistResolver,
  StaffActionResolver,
  IdentifierReadResolver,
];

/** Every `id` of a Node type is the opaque global ID of the row's UUID. */
function globalIds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) continue;
    const name = type.name as NodeTypeName;
    const idField = type.getFields().id;
    if (idField) idField.resolve = (parent: { id: string }) => toGlobalId(name, parent.id);
  }
  return schema;
}

/**
 * Builds the executable schema: type-graphql, then global IDs, then the field policy, then the
 * staff action log around every mutation (`logger` reports a log write that failed).
 */
export async function createSchema(logger: Logger = pino({ level: 'silent' })): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers,
    authChecker,
    authMode: 'error',
    validate: false,
    emitSchemaFile: false,
  });
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  if (query) query.description = 'Everything Kindred lets you read. What you see depends on who you are (`viewer.role`).';
  if (mutation)
    mutation.description = 'Everything Kindred lets you change. Each mutation takes one `input` and returns a payload with `userErrors`.';
  return auditMutations(enforceFieldPolicy(globalIds(schema)), logger);
}

/** The SDL committed at schema/schema.graphql. */
export function printSdl(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}

/**
 * schema/input-constraints.json: the bounds of every input field, from the same zod schemas the
 * API validates with (graphql/input-type.ts), for the admin app's forms. Call after createSchema.
 */
export function printInputConstraints(): string {
  const sorted = Object.fromEntries(Object.entries(inputConstraints).sort(([a], [b]) => a.localeCompare(b)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
