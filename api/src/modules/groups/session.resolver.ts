import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { registerNode } from '../../graphql/node.js';
import type { View } from '../../db/views.js';
import { ProgramModule } from '../programs/index.js';
import { canSeeGroup } from './group.queries.js';
import { Group } from './group.types.js';
import { localIso } from './schedule.js';
import { SessionEntity } from './session.entity.js';
import { Session } from './session.types.js';

registerNode({
  typeName: 'Session',
  entity: SessionEntity,
  load: (ctx, id) => ctx.loaders.session.load(id),
  visible: async (ctx, session) => {
    const group = await ctx.loaders.group.load(session.group.id);
    return group !== null && canSeeGroup(ctx, group);
  },
});

@Resolver(() => Session)
export class SessionResolver {
  @FieldResolver(() => Group, { description: 'The group meeting.' })
  group(@Root() session: View<SessionEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.group.load(session.group.id);
  }

  @FieldResolver(() => ProgramModule, {
    nullable: true,
    description: 'The program module this session covers, if the program has one for it.',
  })
  module(@Root() session: View<SessionEntity>, @Ctx() ctx: Context) {
    return session.module ? ctx.loaders.programModule.load(session.module.id) : null;
  }

  @FieldResolver(() => String, { description: "Start in the group's time zone, ISO 8601 with offset, e.g. 2026-03-30T18:00:00.000+02:00." })
  async startsAtLocal(@Root() session: View<SessionEntity>, @Ctx() ctx: Context) {
    const group = await ctx.loaders.group.load(session.group.id);
    return localIso(session.startsAt, group?.timeZone ?? 'UTC');
  }
}
