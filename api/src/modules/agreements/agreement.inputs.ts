import { z } from 'zod';
import { inputType } from '../../graphql/input-type.js';
import { globalId, requiredText } from '../../graphql/validators.js';
import { AgreementKind } from './agreement.entity.js';

export const createAgreementSchema = z.object({
  kind: z.enum(AgreementKind),
  title: requiredText(200),
  bodyMarkdown: requiredText(50_000),
});
export const CreateAgreementInput = inputType(
  'CreateAgreementInput',
  'A new agreement and the text of its first version.',
  createAgreementSchema,
  {
    kind: 'What the agreement is about.',
    title: 'Title shown to members.',
    bodyMarkdown: 'Text of version 1, in Markdown.',
  },
);
export type CreateAgreementInput = z.input<typeof createAgreementSchema>;

export const publishAgreementVersionSchema = z.object({
  agreementId: globalId('Agreement'),
  bodyMarkdown: requiredText(50_000),
  requiresResign: z.boolean(),
});
export const PublishAgreementVersionInput = inputType(
  'PublishAgreementVersionInput',
  'A new version of an agreement.',
  publishAgreementVersionSchema,
  {
    agreementId: 'The agreement.',
    bodyMarkdown: 'The new text, in Markdown.',
    requiresResign: 'Whether members who signed an earlier version must sign again.',
  },
);
export type PublishAgreementVersionInput = z.input<typeof publishAgreementVersionSchema>;

export const signAgreementSchema = z.object({
  agreementId: globalId('Agreement'),
  memberId: globalId('Member').optional().nullable(),
  typedName: requiredText(200),
  idempotencyKey: requiredText(200).optional().nullable(),
});
export const SignAgreementInput = inputType(
  'SignAgreementInput',
  'A signature of the latest version of an agreement.',
  signAgreementSchema,
  {
    agreementId: 'The agreement; its latest version is signed.',
    memberId: 'The member signing. Required for partners; a member signs for itself.',
    typedName: 'The name the member types to sign (a personal identifier).',
    idempotencyKey: 'Optional key making a retry safe: the same key from the same caller returns the first result for at least 24 hours.',
  },
);
export type SignAgreementInput = z.input<typeof signAgreementSchema>;
