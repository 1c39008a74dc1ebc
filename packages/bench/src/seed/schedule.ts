/**
 * Kindred's `planSessions` (api/src/modules/sessions/schedule.ts) without Luxon: weekly sessions
 * at the same wall-clock time in the group's zone, built from calendar fields. A start time in a
 * spring-forward gap moves forward by the gap; one that occurs twice on a fall-back day is its
 * first occurrence. Offsets come from the platform's IANA data (Intl), as Luxon's do.
 */
import { DAY, MINUTE } from './time.js';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface WeeklySchedule {
  timeZone: string;
  /** YYYY-MM-DD: the first session is the first `weekday` on or after this date. */
  startsOn: string;
  weekday: Weekday;
  /** HH:MM local wall-clock time in `timeZone`. */
  startTime: string;
  durationMinutes: number;
  sessionCount: number;
}

export interface PlannedSession {
  position: number;
  startsAt: number;
  endsAt: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The zone's UTC offset in minutes at an instant (what Luxon's IANAZone.offset computes). */
function offsetMinutes(timeZone: string, ms: number): number {
  const field: Record<string, number> = {};
  for (const part of formatIn(timeZone).formatToParts(new Date(ms))) field[part.type] = Number(part.value);
  const local = Date.UTC(field.year!, field.month! - 1, field.day!, field.hour! % 24, field.minute!, field.second!);
  return (local - (ms - (((ms % 1000) + 1000) % 1000))) / MINUTE;
}

/** The instant of a local wall-clock time (given as if it were UTC) in a zone, by Kindred's rules. */
function instantOf(localAsUtc: number, timeZone: string): number {
  const before = offsetMinutes(timeZone, localAsUtc - DAY);
  const after = offsetMinutes(timeZone, localAsUtc + DAY);
  const valid = [before, after]
    .map((offset) => localAsUtc - offset * MINUTE)
    .filter((ms) => localAsUtc - ms === offsetMinutes(timeZone, ms) * MINUTE);
  // In a spring-forward gap no offset fits: read the time with the offset before the gap.
  return valid.length > 0 ? Math.min(...valid) : localAsUtc - Math.min(before, after) * MINUTE;
}

export function planSessions(schedule: WeeklySchedule): PlannedSession[] {
  const [hour, minute] = schedule.startTime.split(':').map(Number) as [number, number];
  const [year, month, day] = schedule.startsOn.split('-').map(Number) as [number, number, number];
  const startDay = Date.UTC(year, month - 1, day);
  const isoWeekday = ((new Date(startDay).getUTCDay() + 6) % 7) + 1;
  const offset = (WEEKDAYS.indexOf(schedule.weekday) + 1 - isoWeekday + 7) % 7;
  return Array.from({ length: schedule.sessionCount }, (_, i) => {
    const startsAt = instantOf(startDay + (offset + 7 * i) * DAY + hour * 60 * MINUTE + minute * MINUTE, schedule.timeZone);
    return { position: i + 1, startsAt, endsAt: startsAt + schedule.durationMinutes * MINUTE };
  });
}
