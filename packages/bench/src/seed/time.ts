/** Instants are plain epoch milliseconds throughout the seeder: cheap to sort, compare and add. */
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** 00:00 UTC of the day `now` falls on: every date of the dataset is relative to it. */
export const startOfUtcDay = (now: Date): number => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

/** `YYYY-MM-DD` of the UTC calendar day an instant falls on. */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const iso = (ms: number): string => new Date(ms).toISOString();

/** `iso`, keeping null (for nullable timestamp columns). */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
