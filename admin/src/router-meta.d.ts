import 'vue-router';
import type { ViewerRole } from '@/gql/graphql';

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without signing in (the sign-in page). */
    public?: boolean;
    /** Only these roles (default: every staff role, ADMIN and THERAPIST). */
    roles?: ViewerRole[];
    /** Document title. */
    title?: string;
  }
}
