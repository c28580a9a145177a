#!/usr/bin/env bash
# Import and start-up benchmark on PostgreSQL. Usage: bash bench/import-benchmark.sh [orders]
# Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust or PGPASSWORD) and a built jar (it builds one if absent).
# Writes its figures to bench/work/import-results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ORDERS=${1:-1000000}
CUSTOMERS=$((ORDERS / 5))
PORT=${BENCH_PORT:-8089}
DB=loyalflow_bench
WORK=bench/work
RESULTS=$WORK/import-results.txt
PSQL="psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -q"
export LOYALFLOW_ADMIN_USER=bench-admin LOYALFLOW_ADMIN_PASSWORD=bench-admin-password
AUTH="$LOYALFLOW_ADMIN_USER:$LOYALFLOW_ADMIN_PASSWORD"
mkdir -p $WORK

[ -f target/loyalflow-*.jar ] || ./mvnw -B -q package -DskipTests
JAR=$(ls target/loyalflow-*.jar | head -1)
[ -f $WORK/orders-$ORDERS.ndjson ] || java bench/GenerateOrders.java $ORDERS $CUSTOMERS $WORK/orders-$ORDERS.ndjson
java bench/CdnowToNdjson.java src/main/resources/demo/CDNOW_master.txt $WORK/cdnow.ndjson

$PSQL -d postgres -c "drop database if exists $DB with (force)" -c "create database $DB"

start_service() {
  SPRING_PROFILES_ACTIVE=postgres \
  SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:5432/$DB?reWriteBatchedInserts=true" \
  SPRING_DATASOURCE_USERNAME=postgres SPRING_DATASOURCE_PASSWORD= \
  java -Xmx512m -Xlog:gc:file=$WORK/gc.log -jar $JAR --server.port=$PORT > $WORK/service.log 2>&1 &
  SERVICE_PID=$!
  local started=$(date +%s.%N)
  until curl -fs http://localhost:$PORT/actuator/health/readiness >/dev/null 2>&1; do
    kill -0 $SERVICE_PID 2>/dev/null || { echo "service died"; tail -50 $WORK/service.log; exit 1; }
    sleep 0.1
  done
  STARTUP=$(echo "$(date +%s.%N) - $started" | bc)
}

stop_service() {
  kill $SERVICE_PID; wait $SERVICE_PID 2>/dev/null || true
}

heap_mb() {
  curl -fs -u "$AUTH" "http://localhost:$PORT/actuator/metrics/jvm.memory.used?tag=area:heap" \
    | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["measurements"][0]["value"]/1048576))'
}

import_file() { # file -> seconds, report json in $WORK/report.json
  local file=$1 started
  started=$(date +%s.%N)
  curl -fsS -u "$AUTH" -H 'Content-Type: application/x-ndjson' --data-binary @"$file" \
    "http://localhost:$PORT/api/imports/orders" -o $WORK/report.json
  echo "$(date +%s.%N) - $started" | bc
}

start_service
FIRST_START=$STARTUP
CDNOW_SECONDS=$(import_file $WORK/cdnow.ndjson)
CDNOW_REPORT=$(cat $WORK/report.json)

: > $WORK/heap.txt
( while sleep 1; do heap_mb >> $WORK/heap.txt 2>/dev/null || true; done ) &
SAMPLER=$!
BIG_SECONDS=$(import_file $WORK/orders-$ORDERS.ndjson)
kill $SAMPLER
BIG_REPORT=$(cat $WORK/report.json)
stop_service

start_service   # a second start on the now populated database
SECOND_START=$STARTUP
stop_service

STORED=$($PSQL -d $DB -t -A -c "select count(*) from customer_order")
MAX_HEAP=$(sort -n $WORK/heap.txt | tail -1)
{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "postgres: $($PSQL -d postgres -t -A -c 'show server_version')"
  echo "jvm: $(java -version 2>&1 | head -1), -Xmx512m"
  echo "start to healthy, empty database: ${FIRST_START} s"
  echo "start to healthy, populated database: ${SECOND_START} s"
  echo "cdnow import: ${CDNOW_SECONDS} s, report: ${CDNOW_REPORT}"
  echo "bulk import of $ORDERS orders: ${BIG_SECONDS} s = $(echo "$ORDERS / $BIG_SECONDS" | bc) orders/s"
  echo "bulk report: ${BIG_REPORT}"
  echo "orders stored: $STORED"
  echo "heap used during bulk import (1 s samples): max ${MAX_HEAP} MB, samples: $(tr '\n' ' ' < $WORK/heap.txt)"
} | tee $RESULTS
