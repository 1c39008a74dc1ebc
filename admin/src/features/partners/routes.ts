import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  {
    path: '/partners',
    name: 'partners',
    component: () => import('./pages/PartnerListPage.vue'),
    meta: { title: 'Partners', roles: ['ADMIN'] },
  },
  {
    path: '/partners/:id',
    name: 'partner-detail',
    component: () => import('./pages/PartnerDetailPage.vue'),
    props: true,
    meta: { title: 'Partner', roles: ['ADMIN'] },
  },
];
