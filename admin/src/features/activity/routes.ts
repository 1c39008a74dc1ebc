import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  {
    path: '/activity',
    name: 'activity',
    component: () => import('./pages/ActivityPage.vue'),
    meta: { title: 'Activity', roles: ['ADMIN', 'THERAPIST'] },
  },
];
