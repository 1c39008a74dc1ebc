import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { constraintOf } from '@/composables/input-constraints';
import { fakeClient } from '@/testing/fake-api';
import { emptyProgramDraft, newModule, validateProgramDraft } from '../program-draft';
import { appGlobals } from '../test-helpers';
import ProgramForm from './ProgramForm.vue';

// The bounds as `pnpm schema:emit` would write them after the API changed two of them: the form
// must follow the file, with no number of its own.
vi.mock('../../../../../schema/input-constraints.json', async (importOriginal) => {
  const emitted = (await importOriginal<{ default: typeof import('../../../../../schema/input-constraints.json') }>()).default;
  const CreateProgramInput = { ...emitted.CreateProgramInput, title: { minLength: 1, maxLength: 123 }, sessionCount: { min: 2, max: 52 } };
  return { default: { ...emitted, CreateProgramInput } };
});

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

describe('ProgramForm', () => {
  it('takes its limits from schema/input-constraints.json', () => {
    const title = constraintOf('CreateProgramInput', 'title');
    const sessions = constraintOf('CreateProgramInput', 'sessionCount');
    expect([title.maxLength, sessions.min, sessions.max]).toEqual([123, 2, 52]);

    const { client } = fakeClient(() => ({ data: null }));
    const draft = { ...emptyProgramDraft(), modules: [newModule()] };
    wrapper = mount(ProgramForm, {
      props: { modelValue: draft, errors: {}, submitLabel: 'Save', agreementOptions: [], authorOptions: [] },
      global: appGlobals(client),
    });

    expect(wrapper.get('#program-title').attributes('maxlength')).toBe(String(title.maxLength));
    expect(wrapper.text()).toContain(`${sessions.min} to ${sessions.max}.`);
    const moduleTitle = wrapper.get('input[id^="module-"][id$="-title"]');
    expect(moduleTitle.attributes('maxlength')).toBe(String(constraintOf('ProgramModuleInput', 'title').maxLength));

    const tooLong = validateProgramDraft({ ...draft, title: 'x'.repeat(title.maxLength + 1), sessionCount: 53 });
    expect(tooLong).toMatchObject({ title: 'At most 123 characters.', sessionCount: 'Between 2 and 52.' });
  });
});
