import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/programs', name: 'programs', component: () => import('./pages/ProgramListPage.vue'), meta: { title: 'Programs' } },
  {
    path: '/programs/new',
    name: 'program-new',
    component: () => import('./pages/ProgramCreatePage.vue'),
    meta: { title: 'New program', roles: ['ADMIN'] },
  },
  {
    path: '/programs/:id',
    name: 'program-edit',
    component: () => import('./pages/ProgramEditPage.vue'),
    props: true,
    meta: { title: 'Program' },
  },
];
