import { sql } from '../../db/sql.js';
import { type PageArgs, paginate } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { registerNode } from '../../graphql/node.js';
import { validateInput } from '../../graphql/user-errors.js';
import { AccountRole, createAccount } from '../accounts/index.js';
import { type CreateTherapistInput, createTherapistSchema } from './therapist.inputs.js';
import { TherapistEntity } from './therapist.entity.js';

registerNode({
  typeName: 'Therapist',
  entity: TherapistEntity,
  load: (ctx, id) => ctx.loaders.therapist.load(id),
  // A therapist's professional profile is public (it is shown in the catalogue).
  visible: () => true,
});

export function listTherapists(ctx: Context, page: PageArgs) {
  return paginate(ctx, TherapistEntity, sql`true`, page, [{ property: 'displayName', direction: 'asc' }]);
}

/** Creates a therapist and their sign-in account in one transaction (admins only). */
export async function createTherapist(ctx: Context, input: CreateTherapistInput): Promise<TherapistEntity> {
  const data = validateInput(createTherapistSchema, input);
  return ctx.em.transactional(async (em) => {
    const therapist = em.create(TherapistEntity, {
      displayName: data.displayName,
      credentials: data.credentials,
      bio: data.bio,
      timeZone: data.timeZone,
    });
    await createAccount(em, data.email, data.password, { role: AccountRole.THERAPIST, therapist });
    return therapist;
  });
}
