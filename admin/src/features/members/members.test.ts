import { type ASTNode, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MemberListDocument } from '@/gql/graphql';

/** The personal identifiers (docs/personal-identifiers.md): readable only by the member and their therapists. */
const IDENTIFIER_FIELDS = ['legalName', 'email', 'phone', 'dateOfBirth', 'emergencyContact', 'typedName'];

function fieldsOf(document: ASTNode): string[] {
  const names: string[] = [];
  visit(document, {
    Field(node) {
      names.push(node.name.value);
    },
  });
  return names;
}

describe('MemberList', () => {
  it('never asks for a personal identifier', () => {
    const asked = fieldsOf(MemberListDocument as unknown as ASTNode);
    expect(asked).toContain('displayName');
    expect(asked.filter((f) => IDENTIFIER_FIELDS.includes(f))).toEqual([]);
  });
});
