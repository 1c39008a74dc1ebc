/**
 * The floor: the least a GraphQL server can do to answer the catalogue document — node:http,
 * graphql-js, pg and per-request DataLoaders, no ORM, no framework. It implements only the
 * part of Kindred's schema the document reads, with the same IDs and cursors, so its answer is
 * byte-for-byte comparable. Started as its own process: DATABASE_URL, PORT; prints
 * `listening <port>` when ready.
 */
import { createServer } from 'node:http';
import DataLoader from 'dataloader';
import { buildSchema, execute, type GraphQLSchema, parse, validate } from 'graphql';
import pg from 'pg';

// Dates stay 'YYYY-MM-DD' strings, as Kindred's cursors carry them.
pg.types.setTypeParser(1082, (value) => value);

const SDL = /* GraphQL */ `
  type Query { groups(first: Int!, after: String, filter: GroupFilter): GroupConnection! }
  enum GroupStatus { DRAFT OPEN IN_PROGRESS COMPLETED CANCELLED }
  input GroupFilter { statuses: [GroupStatus!], hasSeatsAvailable: Boolean }
  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
  type GroupConnection { nodes: [Group!]! pageInfo: PageInfo! }
  type Program { id: ID! title: String! }
  type Therapist { id: ID! displayName: String! }
  type Session { id: ID! startsAt: String! }
  type Group {
    id: ID! title: String! capacity: Int!
    program: Program! leadTherapist: Therapist!
    seatsTaken: Int! seatsAvailable: Int! nextSession: Session
  }
`;

interface GroupRow {
  id: string;
  title: string;
  capacity: number;
  starts_on: string;
  program_id: string;
  lead_therapist_id: string;
  seats_taken: number;
}

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
const cursorOf = (row: GroupRow) => Buffer.from(JSON.stringify([row.starts_on, row.id]), 'utf8').toString('base64url');

function byId<T extends { id: string }>(rows: T[], ids: readonly string[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

function loaders(pool: pg.Pool) {
  return {
    program: new DataLoader(async (ids: readonly string[]) =>
      byId((await pool.query('select id, title from program where id = any($1)', [ids])).rows, ids),
    ),
    therapist: new DataLoader(async (ids: readonly string[]) =>
      byId((await pool.query('select id, display_name from therapist where id = any($1)', [ids])).rows, ids),
    ),
    nextSession: new DataLoader(async (groupIds: readonly string[]) => {
      const { rows } = await pool.query(
        `select distinct on (group_id) id, group_id, starts_at from group_session
          where group_id = any($1) and status = 'SCHEDULED' and starts_at > now()
          order by group_id, starts_at`,
        [groupIds],
      );
      const map = new Map(rows.map((r) => [r.group_id as string, r]));
      return groupIds.map((id) => map.get(id) ?? null);
    }),
  };
}
type Loaders = ReturnType<typeof loaders>;

function rootValue(pool: pg.Pool) {
  return {
    async groups(args: { first: number; after?: string; filter?: { statuses?: string[]; hasSeatsAvailable?: boolean } }) {
      const params: unknown[] = [args.filter?.statuses ?? ['OPEN', 'IN_PROGRESS'], args.first + 1];
      let where = 'status = any($1::group_status[])';
      if (args.filter?.hasSeatsAvailable != null) where += ` and capacity - seats_taken ${args.filter.hasSeatsAvailable ? '>' : '<='} 0`;
      if (args.after) {
        const [startsOn, id] = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8'));
        params.push(startsOn, id);
        where += ' and (starts_on, id) > ($3::date, $4::uuid)';
      }
      const { rows } = await pool.query<GroupRow>(
        `select id, title, capacity, starts_on, program_id, lead_therapist_id, seats_taken
           from therapy_group where ${where} order by starts_on, id limit $2`,
        params,
      );
      const page = rows.slice(0, args.first);
      return {
        nodes: page,
        pageInfo: {
          hasNextPage: rows.length > args.first,
          hasPreviousPage: false,
          startCursor: page[0] ? cursorOf(page[0]) : null,
          endCursor: page.at(-1) ? cursorOf(page.at(-1)!) : null,
        },
      };
    },
  };
}

/** Field resolvers (graphql-js's default resolver reads properties; these map rows to the schema). */
function attachResolvers(schema: GraphQLSchema) {
  const fields = (type: string) => (schema.getType(type) as unknown as { getFields(): Record<string, { resolve?: unknown }> }).getFields();
  const group = fields('Group');
  group.id!.resolve = (row: GroupRow) => globalId('Group', row.id);
  group.program!.resolve = (row: GroupRow, _: unknown, ctx: Loaders) => ctx.program.load(row.program_id);
  group.leadTherapist!.resolve = (row: GroupRow, _: unknown, ctx: Loaders) => ctx.therapist.load(row.lead_therapist_id);
  group.seatsAvailable!.resolve = (row: GroupRow) => Math.max(0, row.capacity - row.seats_taken);
  group.seatsTaken!.resolve = (row: GroupRow) => row.seats_taken;
  group.nextSession!.resolve = (row: GroupRow, _: unknown, ctx: Loaders) => ctx.nextSession.load(row.id);
  fields('Program').id!.resolve = (row: { id: string }) => globalId('Program', row.id);
  const therapist = fields('Therapist');
  therapist.id!.resolve = (row: { id: string }) => globalId('Therapist', row.id);
  therapist.displayName!.resolve = (row: { display_name: string }) => row.display_name;
  const session = fields('Session');
  session.id!.resolve = (row: { id: string }) => globalId('Session', row.id);
  session.startsAt!.resolve = (row: { starts_at: Date }) => row.starts_at.toISOString();
}

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const schema = buildSchema(SDL);
attachResolvers(schema);
const root = rootValue(pool);
const documents = new Map<string, ReturnType<typeof parse>>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      let document = documents.get(query);
      if (!document) {
        document = parse(query);
        const errors = validate(schema, document);
        if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
        documents.set(query, document);
      }
      const result = await execute({ schema, document, rootValue: root, contextValue: loaders(pool), variableValues: variables });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    } catch (error) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
    }
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : ''}\n`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
