import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { open } from '@kindred/crypto';
import { sealedPlaces } from '@kindred/crypto';
import type { View } from '../../db/views.js';
import { PageArgs } from '../../graphql/connection.js';
import { type Context, forgetCachedLoads } from '../../graphql/context.js';
import { INPUT, mutate } from '../../graphql/payload.js';
import { Member, type MemberEntity } from '../members/index.js';
import type { AgreementEntity, AgreementVersionEntity, SignatureEntity } from './agreement.entity.js';
import { CreateAgreementInput, PublishAgreementVersionInput, SignAgreementInput } from './agreement.inputs.js';
import {
  createAgreement,
  currentVersion,
  listAgreements,
  publishAgreementVersion,
  signAgreement,
  visibleSignatures,
} from './agreement.service.js';
import {
  Agreement,
  AgreementConnection,
  AgreementVersion,
  CreateAgreementPayload,
  PublishAgreementVersionPayload,
  Signature,
  SignAgreementPayload,
} from './agreement.types.js';

@Resolver(() => Agreement)
export class AgreementResolver {
  @Query(() => AgreementConnection, { description: 'All agreements, by title. Public: members read what they will sign.' })
  agreements(@Args() page: PageArgs, @Ctx() ctx: Context) {
    return listAgreements(ctx, page);
  }

  @FieldResolver(() => [AgreementVersion], { description: 'All versions, newest first.' })
  versions(@Root() agreement: View<AgreementEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.versionsOfAgreement.load(agreement.id);
  }

  @FieldResolver(() => AgreementVersion, { nullable: true, description: 'The latest version: the one members are asked to sign.' })
  currentVersion(@Root() agreement: View<AgreementEntity>, @Ctx() ctx: Context) {
    return currentVersion(ctx, agreement.id);
  }

  @Authorized('ADMIN')
  @Mutation(() => CreateAgreementPayload, { description: 'Creates an agreement with its first version. Admins only.' })
  createAgreement(@Arg('input', () => CreateAgreementInput, INPUT) input: CreateAgreementInput, @Ctx() ctx: Context) {
    return mutate(async () => ({ agreement: await createAgreement(ctx, input) }));
  }

  @Authorized('ADMIN')
  @Mutation(() => PublishAgreementVersionPayload, { description: 'Publishes a new version of an agreement. Admins only.' })
  publishAgreementVersion(
    @Arg('input', () => PublishAgreementVersionInput, INPUT) input: PublishAgreementVersionInput,
    @Ctx() ctx: Context,
  ) {
    return mutate(async () => ({ agreementVersion: await publishAgreementVersion(ctx, input) }));
  }

  @Authorized('MEMBER', 'PARTNER')
  @Mutation(() => SignAgreementPayload, {
    description: "Records a member's signature of an agreement's latest version: the member itself or its partner.",
  })
  signAgreement(@Arg('input', () => SignAgreementInput, INPUT) input: SignAgreementInput, @Ctx() ctx: Context) {
    return mutate(async () => {
      const result = await signAgreement(ctx, input);
      // Signing may have confirmed holds: later fields read the seats afresh.
      forgetCachedLoads(ctx.loaders);
      const signature = result.objectId ? await ctx.loaders.signature.load(result.objectId) : null;
      return { signature, userErrors: result.userErrors };
    });
  }
}

@Resolver(() => AgreementVersion)
export class AgreementVersionResolver {
  @FieldResolver(() => Agreement, { description: 'The agreement this is a version of.' })
  agreement(@Root() version: View<AgreementVersionEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.agreement.load(version.agreement.id);
  }
}

@Resolver(() => Signature)
export class SignatureResolver {
  @FieldResolver(() => Member, { description: 'The member who signed.' })
  member(@Root() signature: View<SignatureEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.member.load(signature.member.id);
  }

  @FieldResolver(() => AgreementVersion, { description: 'The version signed.' })
  agreementVersion(@Root() signature: View<SignatureEntity>, @Ctx() ctx: Context) {
    return ctx.loaders.agreementVersion.load(signature.agreementVersion.id);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The name the member typed to sign. Personal identifier: readable only by the member and the therapists of their groups; anyone else gets null with FORBIDDEN. Every read is audited. Null for everyone once the member was erased.',
  })
  async typedName(@Root() signature: View<SignatureEntity>, @Ctx() ctx: Context): Promise<string | null> {
    const key = await ctx.loaders.dataKeyOfMember.load(signature.member.id);
    return key ? open(key, signature.typedName, sealedPlaces.signature(signature.id)) : null;
  }
}

@Resolver(() => Member)
export class MemberSignaturesResolver {
  @FieldResolver(() => [Signature], { description: "The member's agreement signatures, newest first." })
  signatures(@Root() member: View<MemberEntity>, @Ctx() ctx: Context) {
    return visibleSignatures(ctx, member.id);
  }
}
