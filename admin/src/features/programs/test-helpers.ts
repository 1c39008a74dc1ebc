/**
 * Mounting helpers for the programs, agreements, therapists, partners and members tests, on top
 * of the app's fake API (`@/testing/fake-api`: the real urql client and cache, a fake fetch):
 * the app's plugins (PrimeVue with its confirmation and toast services, urql, a router).
 */
import type { Client } from '@urql/core';
import urql from '@urql/vue';
import PrimeVue from 'primevue/config';
import ConfirmationService from 'primevue/confirmationservice';
import ToastService from 'primevue/toastservice';
import type { Plugin } from 'vue';
import { createMemoryHistory, createRouter, type RouteRecordRaw, type Router } from 'vue-router';

/** What a fake API answers to one request. */
export interface Answer {
  data?: unknown;
  errors?: unknown[];
}

export function testRouter(routes: RouteRecordRaw[] = []): Router {
  const stub = { template: '<div />' };
  return createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/', name: 'home', component: stub }, ...routes, { path: '/:rest(.*)*', name: 'fallback', component: stub }],
  });
}

type PluginEntry = Plugin | [Plugin, ...unknown[]];

/** `global` mounting options: urql with the fake client, PrimeVue and its services, the router. */
export function appGlobals(client: Client, router: Router = testRouter()) {
  const plugins: PluginEntry[] = [[urql, client], [PrimeVue, { theme: 'none' }], ConfirmationService, ToastService, router];
  return { plugins };
}

/** Lets pending promises, timers and Vue updates settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
