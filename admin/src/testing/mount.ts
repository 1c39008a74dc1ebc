import type { Client } from '@urql/core';
import urql from '@urql/vue';
import { mount } from '@vue/test-utils';
import PrimeVue from 'primevue/config';
import ToastService from 'primevue/toastservice';
import { type Component, defineComponent, h } from 'vue';

/** Mounts a component with the app's plugins (urql with `client`, PrimeVue unstyled). */
export function mountWith(component: Component, client: Client, props: Record<string, unknown> = {}, plugins: any[] = []) {
  return mount(component, {
    props,
    global: { plugins: [[urql, client], [PrimeVue, { unstyled: true }], ToastService, ...plugins] },
  });
}

/** Runs a composable inside a component's setup and hands back what it returned. */
export function withSetup<T>(composable: () => T, client: Client): { result: T; unmount: () => void } {
  let result!: T;
  const wrapper = mountWith(
    defineComponent({
      setup() {
        result = composable();
        return () => h('div');
      },
    }),
    client,
  );
  return { result, unmount: () => wrapper.unmount() };
}
