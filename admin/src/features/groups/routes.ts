import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/groups', name: 'groups', component: () => import('./pages/GroupListPage.vue'), meta: { title: 'Groups' } },
  {
    path: '/groups/new',
    name: 'group-create',
    component: () => import('./pages/GroupCreatePage.vue'),
    meta: { title: 'New group', roles: ['ADMIN'] },
  },
  {
    path: '/groups/:id',
    name: 'group-detail',
    component: () => import('./pages/GroupDetailPage.vue'),
    props: true,
    meta: { title: 'Group' },
  },
];
