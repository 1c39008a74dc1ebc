-- The role every Kindred process connects as (deploy/README.md, "The app role"). Run once, as a
-- superuser, before the first start:
--
--   psql -v ON_ERROR_STOP=1 -v app_role=kindred -v app_password="$KINDRED_DB_PASSWORD" \
--        -v app_connections=60 -f deploy/postgres/app-role.sql
--   createdb --owner=kindred kindred
--
-- Not a superuser: it cannot create roles or databases, replicate, bypass row security, read the
-- server's files or run programs on it. It owns the objects of its own database, because every API
-- process applies pending migrations when it starts. `connection limit` enforces the connection
-- budget: API processes × (DB_POOL_MAX + job worker pool) + operator commands.
create role :"app_role" login password :'app_password'
  nosuperuser nocreatedb nocreaterole noreplication nobypassrls
  connection limit :app_connections;
