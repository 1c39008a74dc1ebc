import type { Client } from '@urql/core';
import { createRouter, createWebHistory, type Router } from 'vue-router';
import AppShell from './components/AppShell.vue';
import { loadViewer, STAFF_ROLES } from './composables/use-session';
import { publicRoutes as accountLinks, routes as account } from './features/account/routes';
import { routes as activity } from './features/activity/routes';
import { routes as admins } from './features/admins/routes';
import { routes as agreements } from './features/agreements/routes';
import { routes as auth } from './features/auth/routes';
import { routes as dashboard } from './features/dashboard/routes';
import { routes as groups } from './features/groups/routes';
import { routes as members } from './features/members/routes';
import { routes as partners } from './features/partners/routes';
import { routes as programs } from './features/programs/routes';
import { routes as therapists } from './features/therapists/routes';

/**
 * Every feature brings its own routes; signed-in pages render inside the shell (navigation,
 * who is signed in). The guard lets only ADMIN and THERAPIST in: anyone else goes to sign-in,
 * a member or partner with a notice that this app is not for them.
 */
export function createAppRouter(client: Client): Router {
  const router = createRouter({
    history: createWebHistory(),
    routes: [
      ...auth,
      ...accountLinks,
      {
        path: '/',
        component: AppShell,
        children: [
          ...dashboard,
          ...groups,
          ...programs,
          ...agreements,
          ...therapists,
          ...partners,
          ...members,
          ...account,
          ...activity,
          ...admins,
          {
            path: '/not-allowed',
            name: 'not-allowed',
            component: () => import('./components/NotAllowedPage.vue'),
            meta: { title: 'Not allowed' },
          },
          {
            path: '/:pathMatch(.*)*',
            name: 'not-found',
            component: () => import('./components/NotFoundPage.vue'),
            meta: { title: 'Not found' },
          },
        ],
      },
    ],
    scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
  });

  router.beforeEach(async (to) => {
    if (to.meta.public) return true;
    let viewer: Awaited<ReturnType<typeof loadViewer>>;
    try {
      viewer = await loadViewer(client);
    } catch {
      viewer = null;
    }
    if (!viewer) return { name: 'sign-in', query: { reason: 'unreachable', redirect: to.fullPath } };
    if (viewer.role === 'ANONYMOUS') {
      return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    if (!STAFF_ROLES.includes(viewer.role)) return { name: 'sign-in', query: { reason: 'not-staff' } };
    const allowed = to.matched.every((record) => !record.meta.roles || record.meta.roles.includes(viewer.role));
    return allowed ? true : { name: 'not-allowed' };
  });

  router.afterEach((to) => {
    document.title = to.meta.title ? `${to.meta.title} · Kindred admin` : 'Kindred admin';
  });

  return router;
}
