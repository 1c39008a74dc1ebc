import { Migration } from '@mikro-orm/migrations';

/**
 * The public cache's freshness check that names what changed (graphql/public-cache.ts,
 * docs/decisions/0011-catalogue-scopes.md): `catalogue_changes_since(snapshot, scopes)` returns
 * the scopes among `scopes` with a change the snapshot does not see, so an entry whose only
 * changes are seat scopes can be served with fresh seat figures spliced in instead of recomputed.
 *
 * Same range as 0019's `catalogue_changed_since` (from the snapshot's first running transaction
 * that has committed since, else its xmax), but probed per scope: a lateral subquery with
 * `limit 1` cannot become a join, so the plan is one index range on (scope, txid) per scope by
 * construction, ended by its first change outside the snapshot; sequential and bitmap scans are
 * off as in 0019.
 */
export class CatalogueChangedScopes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "catalogue_changes_since"(snapshot pg_snapshot, scopes text[]) returns text[]
      language plpgsql stable strict set enable_seqscan = off set enable_bitmapscan = off as $$
      declare
        low xid8;
      begin
        select coalesce(min(x), pg_snapshot_xmax(snapshot)) into low
          from pg_snapshot_xip(snapshot) x where pg_xact_status(x) = 'committed';
        return array(select s from unnest(scopes) s
                      cross join lateral (select 1 from catalogue_scope_change c
                                           where c.scope = s and c.txid >= low
                                             and not pg_visible_in_snapshot(c.txid, snapshot) limit 1) changed);
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function "catalogue_changes_since"(pg_snapshot, text[]);`);
  }
}
