/** The catalogue: the confidentiality agreement (two versions) and the programs with their modules. */
import { AUDIENCES, CONFIDENTIALITY_V1, CONFIDENTIALITY_V2, TOPICS } from './content.js';
import type { Agreement, Program, ProgramStatus, Therapist, Timeline } from './model.js';
import { Rng, uuidV7 } from './random.js';
import { DAY, HOUR } from './time.js';

export function buildAgreement(seed: string, timeline: Timeline): Agreement {
  const rng = new Rng(`${seed}:agreement`);
  return {
    id: uuidV7(timeline.agreementAt, rng),
    title: 'Group confidentiality agreement',
    createdAt: timeline.agreementAt,
    versions: [
      {
        id: uuidV7(timeline.agreementAt, rng),
        version: 1,
        bodyMarkdown: CONFIDENTIALITY_V1,
        requiresResign: true,
        publishedAt: timeline.agreementAt,
      },
      {
        id: uuidV7(timeline.version2At, rng),
        version: 2,
        bodyMarkdown: CONFIDENTIALITY_V2,
        requiresResign: true,
        publishedAt: timeline.version2At,
      },
    ],
  };
}

/** Every sixteenth program is a draft and every sixteenth (offset) archived; the rest are published. */
const statusOf = (i: number): ProgramStatus => (i % 16 === 15 ? 'DRAFT' : i % 16 === 7 ? 'ARCHIVED' : 'PUBLISHED');

/** A third of the programs need no agreement (the storm reserves in those). */
const requiresAgreement = (i: number) => i % 3 !== 1;

/**
 * Programs: each of the ten topics for five audiences (then numbered series), 6–12 ordered
 * modules, sometimes a session or two more than modules (those sessions have no module).
 */
export function buildPrograms(seed: string, count: number, therapists: Therapist[], timeline: Timeline): Program[] {
  const rng = new Rng(`${seed}:programs`);
  return Array.from({ length: count }, (_, i): Program => {
    const topic = TOPICS[i % TOPICS.length]!;
    const audience = AUDIENCES[Math.floor(i / TOPICS.length) % AUDIENCES.length]!;
    const series = Math.floor(i / (TOPICS.length * AUDIENCES.length));
    const title = [topic.title, audience, series > 0 ? `(series ${series + 1})` : ''].filter(Boolean).join(' ');
    const status = statusOf(i);
    const createdAt = timeline.agreementAt + rng.int(5, 40) * DAY + rng.int(9, 17) * HOUR;
    const publishedAt = status === 'DRAFT' ? null : createdAt + rng.int(3, 20) * DAY;
    const archivedAt = status === 'ARCHIVED' ? timeline.today - rng.int(5, 15) * DAY : null;
    const moduleCount = rng.int(6, 12);
    const id = uuidV7(createdAt, rng);
    const modules = topic.modules.slice(0, moduleCount).map((moduleTitle, m) => ({
      id: uuidV7(createdAt, rng),
      position: m + 1,
      title: moduleTitle,
      guidance: `Open with a check-in round. Introduce "${moduleTitle}" in ten minutes, practise it in pairs, then come back together to share what stood out. Close with one word each.`,
      homeworkPrompt: `This week, notice one moment connected to "${moduleTitle.toLowerCase()}" and write down what happened, what you felt and what you did.`,
    }));
    const authors = rng.shuffle([...therapists]).slice(0, rng.int(1, 2));
    return {
      id,
      title,
      short: topic.short,
      summary: `${topic.summary.replace(/\.$/, '')}${audience ? `, ${audience.toLowerCase()}` : ''}.`,
      description: `${topic.summary}\n\nEach session combines a short teaching segment, guided practice and time to share. Members get a short exercise to try between sessions.`,
      focusAreas: topic.focusAreas,
      sessionCount: moduleCount + (rng.chance(0.1) ? rng.int(1, 2) : 0),
      sessionLengthMinutes: topic.sessionLengthMinutes,
      requiresAgreement: requiresAgreement(i),
      status,
      createdAt,
      updatedAt: archivedAt ?? publishedAt ?? createdAt,
      publishedAt,
      archivedAt,
      modules,
      authorIds: authors.map((t) => t.id),
    };
  });
}
