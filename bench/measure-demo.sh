#!/usr/bin/env bash
# Measures the demo from an empty data folder (a new temporary one; ./data is left alone): time to healthy,
# READY, first journey, first message, first report with sends. Build the jar first: ./mvnw -DskipTests package
cd "$(dirname "$0")/.."
export LOYALFLOW_DATA_DIR=$(mktemp -d)
export LOYALFLOW_DEMO_CDNOW=true LOYALFLOW_ADMIN_PASSWORD=demo-password-123 SERVER_PORT=8095
start=$(date +%s.%N)
java -jar target/loyalflow-0.1.0-SNAPSHOT.jar > $LOYALFLOW_DATA_DIR/service.log 2>&1 &
echo $! > $LOYALFLOW_DATA_DIR/pid
t() { echo "$(echo "$(date +%s.%N) - $start" | bc)"; }
A="-s -u admin:demo-password-123"
healthy=; ready=; journey=; delivery=; report=
for i in $(seq 1 400); do
  [ -z "$healthy" ] && curl -s -o /dev/null -w '%{http_code}' localhost:8095/actuator/health | grep -q 200 && healthy=$(t) && echo "healthy $healthy"
  if [ -n "$healthy" ]; then
    [ -z "$ready" ] && curl $A localhost:8095/api/demo | grep -q '"state":"READY"' && ready=$(t) && echo "ready $ready"
    n=$(curl $A localhost:8095/engine-rest/process-instance/count?processDefinitionKeyIn=win-back,value-segment-upgrade,advocate-referral,best-customer,abandoned-cart,welcome | sed 's/[^0-9]//g')
    [ -z "$journey" ] && [ "${n:-0}" -gt 0 ] && journey=$(t) && echo "first journey $journey"
    [ -z "$delivery" ] && curl $A "localhost:8095/api/deliveries?limit=1" | grep -q deliveryId && delivery=$(t) && echo "first delivery $delivery"
    if [ -z "$report" ]; then
      for c in demo-value-upgrade demo-win-back demo-advocate-referral demo-best-customer demo-abandoned-cart demo-welcome; do
        r=$(curl $A localhost:8095/api/campaigns/$c/report)
        s=$(echo "$r" | python3 -c 'import sys,json; d=json.load(sys.stdin); print(d["totals"]["sent"])' 2>/dev/null)
        [ "${s:-0}" -gt 0 ] && report=$(t) && echo "report with sends ($c: $s) $report" && break
      done
    fi
  fi
  e=$(echo "$(t) > 300" | bc); [ "$e" = 1 ] && break
  sleep 2
done
echo "journeys at end: $n"; curl $A localhost:8095/api/demo; echo
for c in demo-value-upgrade demo-win-back demo-advocate-referral demo-best-customer demo-abandoned-cart demo-welcome; do curl $A localhost:8095/api/campaigns/$c/report | python3 -c 'import sys,json; d=json.load(sys.stdin); print(d["campaignId"], d["totals"])'; done
kill "$(cat "$LOYALFLOW_DATA_DIR/pid")"
