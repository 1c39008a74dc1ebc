import urql from '@urql/vue';
import PrimeVue from 'primevue/config';
import ConfirmationService from 'primevue/confirmationservice';
import ToastService from 'primevue/toastservice';
import { createApp } from 'vue';
import 'primeicons/primeicons.css';
import App from './App.vue';
import './styles.css';
import { createAppRouter } from './router';
import { watchSession } from './composables/use-session';
import { KindredTheme } from './theme';
import { createKindredClient } from './urql';

// The page's CSP nonce (index.html, filled in by the API): PrimeVue's run-time <style> elements carry it.
const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;
const client = createKindredClient();
const app = createApp(App);
app.use(urql, client);
app.use(PrimeVue, {
  theme: { preset: KindredTheme, options: { darkModeSelector: '.kindred-dark', cssLayer: false } },
  csp: { nonce },
});
app.use(ConfirmationService);
app.use(ToastService);
// No PrimeVue tooltip directive: it builds its element with a `style` attribute, which the strict
// CSP (no 'unsafe-inline') refuses. Icon buttons carry an aria-label and a native `title`.
const router = createAppRouter(client);
app.use(router);
// The first route waits for `viewer`; the page's static "Loading…" stays until it is known.
await router.isReady();
app.mount('#app');
watchSession(client);
