import type { GraphQLResolveInfo } from 'graphql';
import { Authorized, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { exportMyData } from './member-export.service.js';
import { MemberDataExport } from './member-export.types.js';

@Resolver()
export class MemberExportResolver {
  // A query, though it writes identifier-audit rows: so does every read of an identifier
  // (docs/decisions/0006-reads-never-write.md); it changes nothing else.
  @Authorized('MEMBER')
  @Query(() => MemberDataExport, {
    description:
      'Your own data as one JSON document, to keep or take elsewhere: every member record your sign-in serves, with its identifiers, reservations, signatures, attendance and who read your identifiers. Signed-in members only (anyone else: FORBIDDEN; anonymous: UNAUTHENTICATED). Reading your identifiers for the export is audited like any other read of them.',
  })
  exportMyData(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo) {
    return exportMyData(ctx, info.schema);
  }
}
