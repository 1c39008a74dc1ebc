import { Field, ID, InputType } from 'type-graphql';
import { z } from 'zod';
import { globalId, requiredText } from '../../graphql/validators.js';
import { AgreementKind } from './agreement.entity.js';

@InputType({ description: 'A new agreement and the text of its first version.' })
export class CreateAgreementInput {
  @Field(() => AgreementKind, { description: 'What the agreement is about.' }) kind!: AgreementKind;
  @Field({ description: 'Title shown to members.' }) title!: string;
  @Field({ description: 'Text of version 1, in Markdown.' }) bodyMarkdown!: string;
}

export const createAgreementSchema = z.object({
  kind: z.enum(AgreementKind),
  title: requiredText(200),
  bodyMarkdown: requiredText(50_000),
});

@InputType({ description: 'A new version of an agreement.' })
export class PublishAgreementVersionInput {
  @Field(() => ID, { description: 'The agreement.' }) agreementId!: string;
  @Field({ description: 'The new text, in Markdown.' }) bodyMarkdown!: string;
  @Field({ description: 'Whether members who signed an earlier version must sign again.' }) requiresResign!: boolean;
}

export const publishAgreementVersionSchema = z.object({
  agreementId: globalId('Agreement'),
  bodyMarkdown: requiredText(50_000),
  requiresResign: z.boolean(),
});

@InputType({ description: 'A signature of the latest version of an agreement.' })
export class SignAgreementInput {
  @Field(() => ID, { description: 'The agreement; its latest version is signed.' }) agreementId!: string;
  @Field(() => ID, { nullable: true, description: 'The member signing. Required for partners; a member signs for itself.' })
  memberId?: string;
  @Field({ description: 'The name the member types to sign (a personal identifier).' }) typedName!: string;
  @Field({
    nullable: true,
    description: 'Optional key making a retry safe: the same key from the same caller returns the first result for at least 24 hours.',
  })
  idempotencyKey?: string;
}

export const signAgreementSchema = z.object({
  agreementId: globalId('Agreement'),
  memberId: globalId('Member').optional().nullable(),
  typedName: requiredText(200),
  idempotencyKey: requiredText(200).optional().nullable(),
});
