import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  {
    path: '/agreements',
    name: 'agreements',
    component: () => import('./pages/AgreementListPage.vue'),
    meta: { title: 'Agreements', roles: ['ADMIN'] },
  },
  {
    path: '/agreements/:id',
    name: 'agreement-detail',
    component: () => import('./pages/AgreementDetailPage.vue'),
    props: true,
    meta: { title: 'Agreement', roles: ['ADMIN'] },
  },
];
