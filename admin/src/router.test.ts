import { describe, expect, it } from 'vitest';
import { createAppRouter } from './router';
import { fakeClient } from './testing/fake-api';

function routerFor(role: string) {
  const therapist = role === 'THERAPIST' ? { __typename: 'Therapist', id: 't1', displayName: 'Dr. T', timeZone: 'Europe/London' } : null;
  const { client } = fakeClient(() => ({ data: { viewer: { __typename: 'Viewer', role, therapist } } }));
  return createAppRouter(client);
}

describe('route guard', () => {
  it('sends anonymous visitors to sign-in, remembering where they were going', async () => {
    const router = routerFor('ANONYMOUS');
    await router.push('/groups?status=OPEN');
    expect(router.currentRoute.value.name).toBe('sign-in');
    expect(router.currentRoute.value.query.redirect).toBe('/groups?status=OPEN');
  });

  it('tells members and partners the app is not for them', async () => {
    for (const role of ['MEMBER', 'PARTNER']) {
      const router = routerFor(role);
      await router.push('/groups');
      expect(router.currentRoute.value.fullPath).toBe('/sign-in?reason=not-staff');
    }
  });

  it('lets therapists in, but not onto admin-only pages', async () => {
    const router = routerFor('THERAPIST');
    await router.push('/groups');
    expect(router.currentRoute.value.name).toBe('groups');
    await router.push('/groups/new');
    expect(router.currentRoute.value.name).toBe('not-allowed');
  });

  it("shows therapists the activity log, but not the admins or a therapist's account", async () => {
    const router = routerFor('THERAPIST');
    await router.push('/activity');
    expect(router.currentRoute.value.name).toBe('activity');
    for (const path of ['/admins', '/therapists/VGhlcmFwaXN0OjE=']) {
      await router.push(path);
      expect(router.currentRoute.value.name).toBe('not-allowed');
    }
  });

  it('lets admins create groups', async () => {
    const router = routerFor('ADMIN');
    await router.push('/groups/new');
    expect(router.currentRoute.value.name).toBe('group-create');
  });
});
