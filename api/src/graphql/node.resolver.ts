import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { Context } from './context.js';
import { badInput, notFound } from './errors.js';
import { decodeGlobalId } from './ids.js';
import { loadVisible, Node, nodeSource } from './node.js';

async function fetchNode(ctx: Context, globalId: string): Promise<{ id: string }> {
  const decoded = decodeGlobalId(globalId);
  if (!decoded) throw badInput('This is not a valid ID.', 'INVALID_ID');
  if (!nodeSource(decoded.type)) throw notFound();
  return loadVisible(ctx, decoded.type, decoded.id);
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      'Any object by global ID. Null with NOT_FOUND when it does not exist or you may not see it (the two are indistinguishable).',
  })
  node(@Arg('id', () => ID, { description: 'A global ID.' }) id: string, @Ctx() ctx: Context) {
    return fetchNode(ctx, id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: 'Up to 100 objects by global ID, in the order asked; each missing or invisible one is null with its own NOT_FOUND error.',
  })
  async nodes(@Arg('ids', () => [ID], { description: 'Global IDs (at most 100).' }) ids: string[], @Ctx() ctx: Context) {
    if (ids.length > 100) throw badInput('Ask for at most 100 IDs at once.', 'TOO_MANY_IDS');
    // An Error in a list position becomes null plus an error at that index.
    return Promise.all(ids.map((id) => fetchNode(ctx, id).catch((error: unknown) => error)));
  }
}
