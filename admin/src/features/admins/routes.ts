import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  {
    path: '/admins',
    name: 'admins',
    component: () => import('./pages/AdminListPage.vue'),
    meta: { title: 'Admins', roles: ['ADMIN'] },
  },
];
