#!/bin/sh
# Runs once, when the PostgreSQL container initialises an empty data directory: the app role
# (deploy/postgres/app-role.sql) and the database it owns.
set -eu
psql -v ON_ERROR_STOP=1 --username postgres -v app_role=kindred -v app_password="$KINDRED_DB_PASSWORD" \
  -v app_connections=60 -f /kindred/app-role.sql
createdb --username postgres --owner=kindred kindred
psql -v ON_ERROR_STOP=1 --username postgres -c 'revoke all on database kindred from public'
