import type { RouteRecordRaw } from 'vue-router';

export const routes: RouteRecordRaw[] = [
  {
    path: '/therapists',
    name: 'therapists',
    component: () => import('./pages/TherapistListPage.vue'),
    meta: { title: 'Therapists', roles: ['ADMIN'] },
  },
  {
    path: '/therapists/new',
    name: 'therapist-new',
    component: () => import('./pages/TherapistCreatePage.vue'),
    meta: { title: 'New therapist', roles: ['ADMIN'] },
  },
  {
    path: '/therapists/:id',
    name: 'therapist-detail',
    component: () => import('./pages/TherapistDetailPage.vue'),
    props: true,
    meta: { title: 'Therapist', roles: ['ADMIN'] },
  },
];
