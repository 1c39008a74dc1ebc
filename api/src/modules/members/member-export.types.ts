import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';

@ObjectType('MemberDataExport', {
  description:
    "Everything Kindred holds about the signed-in person, as one JSON document it can save or take to another service (data portability, GDPR Art. 20). Contains the person's personal identifiers: handle it as you would them.",
})
export class MemberDataExport {
  @Field({ description: 'When the export was made (the same instant as `document.exportedAt`).' })
  generatedAt!: Date;

  @Field(() => GraphQLJSONObject, {
    description:
      'The export: `{ format, exportedAt, members: [...] }`, one entry per member record the sign-in serves, each with its profile, `identifiers`, reservations (with their group, sessions and history), signatures, attendance and `identifierReads`. Its layout is documented in docs/personal-identifiers.md; `format` names its version.',
  })
  document!: Record<string, unknown>;
}
