import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { clearForbiddenFields, recordForbiddenPaths } from '@/composables/forbidden-fields';
import IdentifierCell from './IdentifierCell.vue';

const member = { __typename: 'Member', id: 'TWVtYmVyOjE=' };
const forbidden = (path: (string | number)[]) => ({ message: 'Forbidden.', path, extensions: { code: 'FORBIDDEN' } });

afterEach(() => clearForbiddenFields());

describe('IdentifierCell', () => {
  it('shows the value when the viewer may read it', () => {
    const cell = mount(IdentifierCell, { props: { value: 'Maya Alvarez', entity: member, field: 'legalName' } });
    expect(cell.text()).toBe('Maya Alvarez');
  });

  it('shows a lock and "Hidden: personal identifier" when the API answered FORBIDDEN at that field', () => {
    recordForbiddenPaths({ group: { reservations: { nodes: [{ member: { ...member, legalName: null } }] } } }, [
      forbidden(['group', 'reservations', 'nodes', 0, 'member', 'legalName']),
    ]);
    const cell = mount(IdentifierCell, { props: { value: null, entity: member, field: 'legalName' } });
    expect(cell.text()).toContain('Hidden: personal identifier');
    expect(cell.find('.pi-lock').exists()).toBe(true);
  });

  it('does not hide another field of the same member', () => {
    recordForbiddenPaths({ member: { ...member, legalName: null } }, [forbidden(['member', 'legalName'])]);
    const cell = mount(IdentifierCell, { props: { value: null, entity: member, field: 'phone', emptyText: 'No phone' } });
    expect(cell.text()).toBe('No phone');
  });

  it('hides when told to, whatever the registry says', () => {
    const cell = mount(IdentifierCell, { props: { value: null, forbidden: true } });
    expect(cell.text()).toContain('Hidden: personal identifier');
  });

  it('renders a present value through its slot', () => {
    const cell = mount(IdentifierCell, {
      props: { value: 'maya@example.org', entity: member, field: 'email' },
      slots: { default: `<template #default="{ value }"><a :href="'mailto:' + value">{{ value }}</a></template>` },
    });
    expect(cell.find('a').attributes('href')).toBe('mailto:maya@example.org');
  });
});
