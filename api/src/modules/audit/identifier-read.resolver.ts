import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { View } from '../../db/views.js';
import type { Context } from '../../graphql/context.js';
import type { IdentifierAuditEntity } from './identifier-audit.entity.js';
import { fieldsReadOf, readerDisplayNameOf, readerKindOf } from './identifier-read.queries.js';
import { IdentifierRead, IdentifierReaderKind } from './identifier-read.types.js';

@Resolver(() => IdentifierRead)
export class IdentifierReadResolver {
  @FieldResolver(() => IdentifierReaderKind, { description: 'What kind of reader it was: the member itself or a therapist.' })
  readerKind(@Root() row: View<IdentifierAuditEntity>): IdentifierReaderKind {
    return readerKindOf(row);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The therapist's display name, as on its public profile, when a therapist read them; null for the member's own reads (`readerKind` MEMBER) and for a therapist whose account was removed.",
  })
  readerDisplayName(@Root() row: View<IdentifierAuditEntity>, @Ctx() ctx: Context): Promise<string | null> {
    return readerDisplayNameOf(ctx, row);
  }

  @FieldResolver(() => [String], {
    description:
      'The fields read, by their GraphQL names, in alphabetical order: `legalName`, `email`, `phone`, `dateOfBirth`, `emergencyContact` (of `Member`) and `typedName` (of a `Signature`).',
  })
  fields(@Root() row: View<IdentifierAuditEntity>): string[] {
    return fieldsReadOf(row);
  }
}
