import { describe, expect, it } from 'vitest';
import type { ProgramEditFieldsFragment } from '@/gql/graphql';
import constraints from '../../../../schema/input-constraints.json';
import {
  addModule,
  draftFromProgram,
  emptyProgramDraft,
  messagesFor,
  moveModule,
  newModule,
  type ProgramDraft,
  removeModule,
  toUpdateProgramInput,
  validateProgramDraft,
} from './program-draft';

const titles = (list: { title: string }[]) => list.map((m) => m.title);
const three = () => [newModule({ title: 'A' }), newModule({ title: 'B' }), newModule({ title: 'C' })];

function validDraft(patch: Partial<ProgramDraft> = {}): ProgramDraft {
  return { ...emptyProgramDraft(), title: 'Steady Ground', summary: 'Eight weeks of skills.', modules: three(), ...patch };
}

describe('module list operations', () => {
  it('moves a module up and down by one place', () => {
    const modules = three();
    expect(titles(moveModule(modules, 1, -1))).toEqual(['B', 'A', 'C']);
    expect(titles(moveModule(modules, 1, 1))).toEqual(['A', 'C', 'B']);
  });

  it('leaves the list as it is when a move would leave it', () => {
    const modules = three();
    expect(titles(moveModule(modules, 0, -1))).toEqual(['A', 'B', 'C']);
    expect(titles(moveModule(modules, 2, 1))).toEqual(['A', 'B', 'C']);
    expect(titles(moveModule(modules, 7, -1))).toEqual(['A', 'B', 'C']);
  });

  it('never changes the list it was given', () => {
    const modules = three();
    moveModule(modules, 0, 1);
    removeModule(modules, 0);
    addModule(modules);
    expect(titles(modules)).toEqual(['A', 'B', 'C']);
  });

  it('keeps each module its key when it moves, and gives new modules a fresh one', () => {
    const modules = three();
    const moved = moveModule(modules, 2, -1);
    expect(moved[1]).toBe(modules[2]);
    const added = addModule(modules);
    expect(new Set(added.map((m) => m.key)).size).toBe(4);
  });

  it('removes exactly the module at the index', () => {
    expect(titles(removeModule(three(), 1))).toEqual(['A', 'C']);
  });

  it('reads modules in position order from the API', () => {
    const program = {
      id: 'P1',
      title: 'T',
      summary: 'S',
      description: '',
      status: 'DRAFT',
      focusAreas: [],
      sessionCount: 4,
      sessionLengthMinutes: 60,
      publishedAt: null,
      archivedAt: null,
      updatedAt: '2026-01-01T00:00:00Z',
      requiredAgreement: null,
      authors: [],
      modules: [
        { id: 'm2', position: 2, title: 'Second', guidance: '', homeworkPrompt: '' },
        { id: 'm1', position: 1, title: 'First', guidance: '', homeworkPrompt: '' },
      ],
    } satisfies ProgramEditFieldsFragment;
    expect(titles(draftFromProgram(program).modules)).toEqual(['First', 'Second']);
  });
});

describe('validateProgramDraft', () => {
  it('accepts a complete draft', () => {
    expect(validateProgramDraft(validDraft())).toEqual({});
  });

  it('asks for a title, a summary and both session figures', () => {
    const errors = validateProgramDraft(validDraft({ title: '  ', summary: '', sessionCount: null, sessionLengthMinutes: null }));
    expect(Object.keys(errors).sort()).toEqual(['sessionCount', 'sessionLengthMinutes', 'summary', 'title']);
  });

  it('mirrors the API limits on lengths and ranges', () => {
    const errors = validateProgramDraft(
      validDraft({ title: 'x'.repeat(201), summary: 'y'.repeat(501), sessionCount: 105, sessionLengthMinutes: 10 }),
    );
    expect(errors).toMatchObject({
      title: 'At most 200 characters.',
      summary: 'At most 500 characters.',
      sessionCount: 'Between 1 and 104.',
      sessionLengthMinutes: 'Between 15 and 480.',
    });
    expect(validateProgramDraft(validDraft({ sessionCount: 104, sessionLengthMinutes: 480 }))).toEqual({});
    expect(validateProgramDraft(validDraft({ sessionLengthMinutes: 15 }))).toEqual({});
  });

  it('refuses more modules than sessions, as the API does', () => {
    expect(validateProgramDraft(validDraft({ sessionCount: 2 })).modules).toMatch(/more modules than sessions/);
  });

  it('puts a module error under the key the API uses for it', () => {
    const modules = three();
    modules[1] = newModule({ title: '', homeworkPrompt: 'h'.repeat(4001) });
    const errors = validateProgramDraft(validDraft({ modules }));
    expect(errors).toEqual({ 'modules.1.title': 'Enter a module title.', 'modules.1.homeworkPrompt': 'At most 4000 characters.' });
  });

  it('checks edits against the same bounds as new programs, since the API has one set for both', () => {
    expect(constraints.UpdateProgramInput).toEqual(constraints.CreateProgramInput);
  });

  it('limits focus areas to ten of at most 60 characters', () => {
    expect(validateProgramDraft(validDraft({ focusAreas: Array.from({ length: 11 }, (_, i) => `a${i}`) })).focusAreas).toBe(
      'At most 10 focus areas.',
    );
    expect(validateProgramDraft(validDraft({ focusAreas: ['z'.repeat(61)] })).focusAreas).toMatch(/1 to 60 characters/);
  });
});

describe('toUpdateProgramInput', () => {
  it('sends the whole program, clearing the agreement with null and modules in their new order', () => {
    const draft = validDraft({ requiredAgreementId: null, modules: moveModule(three(), 2, -1) });
    const input = toUpdateProgramInput('P1', draft);
    expect(input).toMatchObject({ id: 'P1', title: 'Steady Ground', requiredAgreementId: null });
    expect(input.modules?.map((m) => m.title)).toEqual(['A', 'C', 'B']);
    expect(input.modules?.[0]).toEqual({ title: 'A', guidance: '', homeworkPrompt: '' });
  });
});

describe('messagesFor', () => {
  it("gathers a field's messages with those of its list items, but not of nested fields", () => {
    const errors = { focusAreas: 'At most 10.', 'focusAreas.3': 'Required.', 'modules.1.title': 'Required.' };
    expect(messagesFor(errors, 'focusAreas')).toBe('At most 10. Required.');
    expect(messagesFor(errors, 'modules')).toBeUndefined();
  });
});
