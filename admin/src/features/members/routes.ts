import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  { path: '/members', name: 'members', component: () => import('./pages/MemberListPage.vue'), meta: { title: 'Members' } },
];
