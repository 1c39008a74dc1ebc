import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { EraseMemberInput } from './erasure.inputs.js';
import { eraseMember } from './erasure.service.js';
import { EraseMemberPayload } from './erasure.types.js';

@Resolver()
export class ErasureResolver {
  @Mutation(() => EraseMemberPayload, {
    description:
      'Erases a member by destroying its data key: its identifiers read as null for everyone from then on, its display name becomes "Former member", its seats are released (the waitlist moves up) and mails waiting to go to it are cancelled; reservations, attendance and the audits stay. A member erases itself at once (its own sign-in ends when it serves no other member record). A partner asks for a member it referred and an admin approves by calling this too; an admin\'s request needs a second admin\'s call. Therapists cannot. Backups taken before an erasure hold the wrapped key until they expire (see the README).',
  })
  eraseMember(@Arg('input', () => EraseMemberInput, INPUT) input: EraseMemberInput, @Ctx() ctx: Context) {
    return mutate(() => eraseMember(ctx, input));
  }
}
