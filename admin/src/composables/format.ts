/** Dates and labels as people read them; every instant is shown in an explicit time zone. */

export function formatDateTime(iso: string | null | undefined, timeZone: string, options: Intl.DateTimeFormatOptions = {}): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...options,
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined, timeZone: string): string {
  return formatDateTime(iso, timeZone, { hour: undefined, minute: undefined });
}

/** The UTC offset of an ISO string with offset, e.g. "+02:00" from "2026-03-30T18:00:00.000+02:00". */
export function offsetOf(isoWithOffset: string): string {
  const match = /([+-]\d{2}:\d{2}|Z)$/.exec(isoWithOffset);
  return match?.[1] === 'Z' ? '+00:00' : (match?.[1] ?? '');
}

/** "in 25 min", "3 h ago": for hold expiry. */
export function relativeTime(iso: string, now = Date.now()): string {
  const minutes = Math.round((new Date(iso).getTime() - now) / 60_000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 48) return format.format(hours, 'hour');
  return format.format(Math.round(hours / 24), 'day');
}

export function titleCase(value: string): string {
  const text = value.replace(/_/g, ' ').toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type TagSeverity = 'success' | 'info' | 'warn' | 'danger' | 'secondary' | 'contrast';

const severities: Record<string, TagSeverity> = {
  DRAFT: 'secondary',
  OPEN: 'success',
  IN_PROGRESS: 'info',
  COMPLETED: 'contrast',
  CANCELLED: 'danger',
  CONFIRMED: 'success',
  HELD: 'warn',
  WAITLISTED: 'info',
  EXPIRED: 'secondary',
  REMOVED: 'danger',
  MOVED: 'info',
  PUBLISHED: 'success',
  ARCHIVED: 'secondary',
  SCHEDULED: 'info',
  PRESENT: 'success',
  LATE: 'warn',
  ABSENT: 'danger',
  EXCUSED: 'secondary',
  INVITED: 'info',
  AWAITING_APPROVAL: 'warn',
  ACTIVE: 'success',
  DISABLED: 'secondary',
};

/** PrimeVue Tag severity for a status enum value. */
export function statusSeverity(status: string): TagSeverity {
  return severities[status] ?? 'secondary';
}

/** IANA time zones the browser knows, for pickers. */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return (
    intl.supportedValuesOf?.('timeZone') ?? [
      'UTC',
      'Europe/London',
      'Europe/Berlin',
      'America/New_York',
      'America/Los_Angeles',
      'Asia/Tokyo',
      'Australia/Sydney',
    ]
  );
}

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
