#!/usr/bin/env bash
# Runs once, when the postgres volume is new (docker-entrypoint-initdb.d): one role and one database per service,
# each role owning only its own database. Passwords come from the environment (.env), never from this file.
set -euo pipefail

create() {
  local role="$1" database="$2" password="$3"
  if [[ -z "$password" ]]; then
    echo "postgres-init: no password for role $role (set it in .env)" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v role="$role" -v database="$database" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"database" OWNER :"role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
SQL
}

create chat chat "${CHAT_DB_PASSWORD:-}"
create orchestrator orchestrator "${ORCHESTRATOR_DB_PASSWORD:-}"
create provisioner provisioner "${PROVISIONER_DB_PASSWORD:-}"
create gateway gateway "${GATEWAY_DB_PASSWORD:-}"
