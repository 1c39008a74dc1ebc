import type { Client } from '@urql/core';
import { computed, reactive, readonly } from 'vue';
import { SessionViewerDocument, type ViewerRole } from '@/gql/graphql';
import { clearForbiddenFields } from './forbidden-fields';

/**
 * Who is using the app. The session itself is an httpOnly cookie the app never sees; this only
 * mirrors `viewer` (role, therapist profile), asked of the API at start and on navigation
 * (`SessionViewer` in features/auth/auth.graphql).
 */

export interface SessionViewer {
  role: ViewerRole;
  therapist: { id: string; displayName: string; timeZone: string } | null;
}

/** Roles the admin app is for; the API alone enforces what each may do. */
export const STAFF_ROLES: readonly ViewerRole[] = ['ADMIN', 'THERAPIST'];

const state = reactive({
  viewer: null as SessionViewer | null,
  checkedAt: 0,
  /** True once a staff member signed in during this page's life (so ANONYMOUS later = expired). */
  wasSignedIn: false,
});

/** How often an open page asks whether its session is still alive. */
const WATCH_MS = 60_000;

export function setViewer(viewer: SessionViewer | null): void {
  state.viewer = viewer;
  state.checkedAt = Date.now();
  if (viewer && STAFF_ROLES.includes(viewer.role)) state.wasSignedIn = true;
}

/**
 * Asks the API who we are. A lapsed cookie makes the API answer ANONYMOUS (and clear it): if
 * someone was signed in on this page, the session expired. `maxAgeMs` reuses a recent answer.
 */
export async function loadViewer(client: Client, maxAgeMs = 0): Promise<SessionViewer | null> {
  if (state.viewer && Date.now() - state.checkedAt < maxAgeMs) return state.viewer;
  const result = await client.query(SessionViewerDocument, {}, { requestPolicy: 'network-only' }).toPromise();
  if (result.data) {
    const { role, therapist } = result.data.viewer;
    if (role === 'ANONYMOUS' && state.wasSignedIn) expireSession();
    setViewer({ role, therapist: therapist ?? null });
    return state.viewer;
  }
  return state.viewer;
}

/**
 * Notices an ended session on an idle page too: every minute and whenever the tab comes back
 * into view, while someone is signed in.
 */
export function watchSession(client: Client): () => void {
  const check = () => {
    if (state.wasSignedIn && document.visibilityState === 'visible') void loadViewer(client).catch(() => undefined);
  };
  const timer = setInterval(check, WATCH_MS);
  document.addEventListener('visibilitychange', check);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', check);
  };
}

/** Where the browser goes; replaced in tests. */
const navigation = {
  assign: (url: string) => window.location.assign(url),
};

let expiring = false;

/**
 * The session ended behind our back (expired, signed out elsewhere): back to sign-in with a
 * notice. A full page load drops every cached answer, identifiers included.
 */
export function expireSession(): void {
  if (expiring) return;
  expiring = true;
  clearForbiddenFields();
  const here = window.location.pathname + window.location.search;
  const redirect = here.startsWith('/sign-in') ? '' : `&redirect=${encodeURIComponent(here)}`;
  navigation.assign(`/sign-in?reason=expired${redirect}`);
}

/** After `logout`: a fresh page, nothing of the session left in memory. */
export function leaveAfterSignOut(): void {
  clearForbiddenFields();
  navigation.assign('/sign-in?reason=signed-out');
}

export function useSession() {
  return {
    state: readonly(state),
    viewer: computed(() => state.viewer),
    role: computed<ViewerRole>(() => state.viewer?.role ?? 'ANONYMOUS'),
    isAdmin: computed(() => state.viewer?.role === 'ADMIN'),
    isTherapist: computed(() => state.viewer?.role === 'THERAPIST'),
    isStaff: computed(() => !!state.viewer && STAFF_ROLES.includes(state.viewer.role)),
    therapistId: computed(() => state.viewer?.therapist?.id ?? null),
    /** The time zone to show times in: the therapist's own, else the browser's (admins have none in the API). */
    timeZone: computed(() => state.viewer?.therapist?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone),
  };
}
