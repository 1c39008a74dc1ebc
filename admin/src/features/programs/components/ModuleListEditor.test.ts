import { mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { type ModuleDraft, newModule } from '../program-draft';
import { fakeClient } from '@/testing/fake-api';
import { appGlobals } from '../test-helpers';
import ModuleListEditor from './ModuleListEditor.vue';

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

function mountEditor(modules: ModuleDraft[], props: Record<string, unknown> = {}) {
  const { client } = fakeClient(() => ({ data: null }));
  const current = { modules };
  wrapper = mount(ModuleListEditor, {
    attachTo: document.body,
    props: {
      modelValue: modules,
      'onUpdate:modelValue': (value: ModuleDraft[]) => {
        current.modules = value;
        void wrapper?.setProps({ modelValue: value });
      },
      ...props,
    },
    global: appGlobals(client),
  });
  return { wrapper, current };
}

const titlesOnScreen = (w: VueWrapper) => w.findAll('input[id$="-title"]').map((input) => (input.element as HTMLInputElement).value);
const button = (w: VueWrapper, label: string) => w.get(`button[aria-label="${label}"]`);

describe('ModuleListEditor', () => {
  it('moves a module up and down, and the order on screen follows', async () => {
    const { wrapper: w, current } = mountEditor([newModule({ title: 'A' }), newModule({ title: 'B' }), newModule({ title: 'C' })]);
    await button(w, 'Move module 2 up').trigger('click');
    expect(current.modules.map((m) => m.title)).toEqual(['B', 'A', 'C']);
    expect(titlesOnScreen(w)).toEqual(['B', 'A', 'C']);

    await button(w, 'Move module 1 down').trigger('click');
    await button(w, 'Move module 2 down').trigger('click');
    expect(titlesOnScreen(w)).toEqual(['A', 'C', 'B']);
  });

  it('cannot move the first module up or the last one down', () => {
    const { wrapper: w } = mountEditor([newModule({ title: 'A' }), newModule({ title: 'B' })]);
    expect(button(w, 'Move module 1 up').attributes('disabled')).toBeDefined();
    expect(button(w, 'Move module 2 down').attributes('disabled')).toBeDefined();
    expect(button(w, 'Move module 1 down').attributes('disabled')).toBeUndefined();
  });

  it('keeps keyboard focus on the moved module', async () => {
    const modules = [newModule({ title: 'A' }), newModule({ title: 'B' }), newModule({ title: 'C' })];
    const { wrapper: w } = mountEditor(modules);
    await button(w, 'Move module 3 up').trigger('click');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.activeElement?.id).toBe(`module-${modules[2]?.key}-up`);
    expect(w.text()).toContain('C moved to position 2.');
  });

  it('removes a module and tells the page its position-keyed errors are stale', async () => {
    const { wrapper: w, current } = mountEditor([newModule({ title: 'A' }), newModule({ title: 'B' })]);
    await button(w, 'Remove module 1').trigger('click');
    expect(current.modules.map((m) => m.title)).toEqual(['B']);
    expect(w.emitted('clear-module-errors')).toHaveLength(1);
  });

  it('adds modules up to the number of sessions', async () => {
    const { wrapper: w, current } = mountEditor([newModule({ title: 'A' })], { sessionCount: 2 });
    const add = () => w.get('#module-add');
    await add().trigger('click');
    expect(current.modules).toHaveLength(2);
    expect(add().attributes('disabled')).toBeDefined();
  });

  it("shows an API error next to the module's field it names", () => {
    const { wrapper: w } = mountEditor([newModule({ title: 'A' }), newModule({ title: '' })], {
      errors: { 'modules.1.title': 'Required.', modules: 'A program cannot have more modules than sessions.' },
    });
    const items = w.findAll('li.modules__item');
    expect(items[1]?.text()).toContain('Required.');
    expect(items[0]?.text()).not.toContain('Required.');
    expect(w.text()).toContain('A program cannot have more modules than sessions.');
  });
});
