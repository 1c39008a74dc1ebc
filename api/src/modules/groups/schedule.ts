import { DateTime } from 'luxon';
import { Weekday } from './group.entity.js';

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
  startsAt: Date;
  endsAt: Date;
}

const LUXON_WEEKDAY: Record<Weekday, number> = {
  MONDAY: 1,
  TUESDAY: 2,
  WEDNESDAY: 3,
  THURSDAY: 4,
  FRIDAY: 5,
  SATURDAY: 6,
  SUNDAY: 7,
};

/**
 * Weekly sessions at the same local wall-clock time in the group's zone, whatever the UTC
 * offset that week (so a 18:00 Berlin group stays at 18:00 across the daylight-saving change).
 * Each date is built from calendar fields, never by adding 7 × 24 hours. As in iCalendar
 * (RFC 5545 §3.3.5): a start time that does not exist on a spring-forward day (e.g. 02:30) is
 * read with the offset before the gap, so it moves forward by the gap (03:30), as clocks do; a
 * start time that occurs twice on a fall-back day is its first occurrence (still in summer time).
 */
export function planSessions(schedule: WeeklySchedule): PlannedSession[] {
  const [hour, minute] = schedule.startTime.split(':').map(Number) as [number, number];
  const start = DateTime.fromISO(schedule.startsOn, { zone: schedule.timeZone });
  const offset = (LUXON_WEEKDAY[schedule.weekday] - start.weekday + 7) % 7;
  const firstDay = start.plus({ days: offset });
  return Array.from({ length: schedule.sessionCount }, (_, i) => {
    const day = firstDay.plus({ weeks: i });
    const local = DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone: schedule.timeZone });
    // Luxon picks the later of two possible instants for an ambiguous local time: take the first.
    const startsAt = local.getPossibleOffsets().reduce((a, b) => (b.toMillis() < a.toMillis() ? b : a));
    return {
      position: i + 1,
      startsAt: startsAt.toJSDate(),
      endsAt: startsAt.plus({ minutes: schedule.durationMinutes }).toJSDate(),
    };
  });
}

/** An instant as ISO 8601 local time with offset in a zone, e.g. 2026-03-30T18:00:00.000+02:00. */
export function localIso(instant: Date, timeZone: string): string {
  return DateTime.fromJSDate(instant, { zone: timeZone }).toISO()!;
}
