/**
 * The PostGraphile 5 configuration of the peer: the amber preset over schema `bench_peer` only
 * (see schema.sql), read-only, without Relay global IDs, served at POST /graphql.
 *
 * Import this module only after ./polyfill.js has run (server.ts does so with a dynamic import).
 */
import type {} from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const PEER_SCHEMA = 'bench_peer';

/**
 * Naming closer to Kindred's: root collections are plain plurals (`groups`, not `allGroups`); an
 * `id` column stays `id` (amber renames it `rowId` to make room for the Relay `id`, which the
 * peer does not expose: its ids are raw UUIDs); types from Kindred's `public` schema (the
 * `group_status` enum) carry no schema prefix (`GroupStatus`, not `PublicGroupStatus`).
 */
const PeerNamingPlugin: GraphileConfig.Plugin = {
  name: 'BenchPeerNamingPlugin',
  description: 'Root collections named by their plural, `id` columns keep their name, no `Public` type prefix.',
  version: '0.1.0',
  after: ['PgTablesPlugin', 'PgAllRowsPlugin', 'PgAttributesPlugin'],
  inflection: {
    replace: {
      _schemaPrefix(previous, _options, details) {
        return details.pgNamespace.nspname === 'public' ? '' : previous!(details);
      },
      _allRows(_previous, _options, resource) {
        return this.camelCase(this.pluralize(this._singularizedResourceName(resource)));
      },
      _attributeName(previous, _options, details) {
        const name = previous!(details);
        if (name !== 'row_id' || details.skipRowId) return name;
        const attribute = details.codec.attributes[details.attributeName];
        const baseName = attribute?.extensions?.tags?.name || details.attributeName;
        return typeof baseName === 'string' && baseName.toLowerCase() === 'id' ? 'id' : name;
      },
    },
  },
};

export interface PeerPresetOptions {
  connectionString: string;
  /** Connections in PostGraphile's pool (the benchmark gives every competitor 10). */
  poolSize?: number;
}

export function makePeerPreset({ connectionString, poolSize = 10 }: PeerPresetOptions): GraphileConfig.Preset {
  return {
    extends: [PostGraphileAmberPreset],
    plugins: [PeerNamingPlugin],
    disablePlugins: [
      // Read-only: no create/update/delete mutations (the catalogue views are not writable anyway).
      'PgMutationCreatePlugin',
      'PgMutationUpdateDeletePlugin',
      'PgMutationPayloadEdgePlugin',
      'MutationPayloadQueryPlugin',
      // No Relay global object identification: ids are the rows' UUIDs.
      'NodePlugin',
      'AddNodeInterfaceToSuitableTypesPlugin',
      'NodeAccessorPlugin',
      'PgTableNodePlugin',
      'PgNodeIdAttributesPlugin',
      'RegisterQueryNodePlugin',
    ],
    pgServices: [
      makePgService({
        connectionString,
        schemas: [PEER_SCHEMA],
        poolConfig: { max: poolSize },
        // No subscriptions: no LISTEN connection held open.
        pubsub: false,
      }),
    ],
    grafserv: {
      graphqlPath: '/graphql',
      graphqlOverGET: false,
      graphiql: false,
      watch: false,
      websockets: false,
    },
    grafast: {
      explain: false,
    },
  };
}
