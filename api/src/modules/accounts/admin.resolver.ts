import { Arg, Args, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { isAdmin } from '../../authz/rules.js';
import { sql } from '../../db/sql.js';
import { connectionOf, PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { parseGlobalId } from '../../graphql/ids.js';
import { loadVisible, registerNode } from '../../graphql/node.js';
import { AccountEntity, AccountRole } from './account.entity.js';
import { Admin } from './account.types.js';

registerNode({
  typeName: 'Admin',
  entity: AccountEntity,
  load: async (ctx, id) => {
    const account = await ctx.loaders.account.load(id);
    return account?.role === AccountRole.ADMIN ? account : null;
  },
  visible: (ctx) => isAdmin(ctx.viewer),
});

const AdminConnection = connectionOf(Admin, 'Admin', 'admin');

@Resolver(() => Admin)
export class AdminResolver {
  @Authorized('ADMIN')
  @Query(() => AdminConnection, { description: 'Admin accounts, oldest first. Admins only.' })
  admins(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return paginate(ctx, AccountEntity, sql`t.role = 'ADMIN'`, page);
  }

  @Authorized('ADMIN')
  @Query(() => Admin, { nullable: true, description: 'One admin account. Admins only.' })
  admin(@Arg('id', () => ID, { description: 'Global ID of an Admin.' }) id: string, @Ctx() ctx: Context) {
    return loadVisible(ctx, 'Admin', parseGlobalId(id, 'Admin'));
  }
}
