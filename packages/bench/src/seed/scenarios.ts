/** Picks, from the built dataset, the rows the benchmark scenarios need. */
import type { Dataset } from './dataset.js';
import { type Group, lastStep, takesSeat } from './model.js';
import { Rng } from './random.js';

type SampleNodeType = 'Group' | 'Program' | 'Therapist' | 'Session';

export interface SampleNode {
  type: SampleNodeType;
  /** The row's UUID (Kindred's global ID is base64url of `Type:uuid`). */
  id: string;
}

export interface Scenarios {
  busyGroup: Group;
  stormGroupIds: string[];
  stormMemberIds: string[];
  /** A self-registered member with an account and an active reservation. */
  member: { id: string; email: string };
  sampleNodeIds: SampleNode[];
}

const SAMPLES_PER_TYPE = 50;

export function pickScenarios(d: Dataset): Scenarios {
  const seats = new Map<Group, { taken: number; waiting: number }>();
  for (const r of d.reservations) {
    const status = lastStep(r).status;
    const figures = seats.get(r.group) ?? { taken: 0, waiting: 0 };
    if (takesSeat(status)) figures.taken++;
    if (status === 'WAITLISTED') figures.waiting++;
    seats.set(r.group, figures);
  }
  const figuresOf = (g: Group) => seats.get(g) ?? { taken: 0, waiting: 0 };
  const busy = (g: Group) => g.status === 'OPEN' && figuresOf(g).taken >= 8 && figuresOf(g).waiting >= 3;
  const busyGroup = d.groups.find((g) => g.popular && busy(g)) ?? d.groups.find(busy);
  if (!busyGroup) throw new Error('The dataset has no OPEN group with 8 seats taken and a waitlist of 3.');

  const withSeat = new Set(d.reservations.filter((r) => takesSeat(lastStep(r).status)).map((r) => r.member));
  const member = d.members.find((m) => m.account && withSeat.has(m));
  if (!member) throw new Error('The dataset has no self-registered member with a seat.');

  const rng = new Rng(`${d.seed}:samples`);
  const visibleGroups = d.groups.filter((g) => g.status !== 'DRAFT');
  const pools = (
    [
      ['Group', visibleGroups.map((g) => g.id)],
      ['Program', d.programs.filter((p) => p.status !== 'DRAFT').map((p) => p.id)],
      ['Therapist', d.therapists.map((t) => t.id)],
      ['Session', visibleGroups.flatMap((g) => g.sessions.map((s) => s.id))],
    ] as const
  ).map(([type, ids]) => ({ type, ids: rng.shuffle([...ids]) }));
  const quota = pools.map((p) => Math.min(SAMPLES_PER_TYPE, p.ids.length));
  // Types with more rows make up for those with fewer (a catalogue may have under 50 visible programs).
  let short = pools.length * SAMPLES_PER_TYPE - quota.reduce((a, b) => a + b, 0);
  pools.forEach((p, i) => {
    const extra = Math.min(short, p.ids.length - quota[i]!);
    quota[i]! += extra;
    short -= extra;
  });
  const sampleNodeIds = rng.shuffle(pools.flatMap((p, i) => p.ids.slice(0, quota[i]).map((id): SampleNode => ({ type: p.type, id }))));

  return {
    busyGroup,
    stormGroupIds: d.groups.filter((g) => g.storm && figuresOf(g).taken < g.capacity).map((g) => g.id),
    stormMemberIds: d.members.filter((m) => m.storm).map((m) => m.id),
    member: { id: member.id, email: member.account!.email },
    sampleNodeIds,
  };
}
