#!/bin/sh
# Test double: stands in for the crosszone CLI (installed as `java` on the PATH of the shell the
# library tests run, or named by the step's `cli`/`java` keys). It records its argv exactly (one
# file per call, NUL-separated words) and $KUBECONFIG, writes what a task writes into
# --report-dir (<task>.json; verify-distribution also a JUnit XML), prints the JSON result on
# stdout and exits with the code the test put in $FAKE_CROSSZONE_DIR/exit-<task> (default 0).
dir="$FAKE_CROSSZONE_DIR"
mkdir -p "$dir/calls"
n=$(ls "$dir/calls" | grep -c -v '\.env$')
call="$dir/calls/$(printf '%03d' "$n")"
for word in "$@"; do printf '%s\0' "$word"; done > "$call"
printf 'KUBECONFIG=%s\n' "${KUBECONFIG:-}" > "$call.env"

task=""
report=""
for word in "$@"; do
  case "$word" in
    --report-dir=*) report="${word#--report-dir=}" ;;
    label-zones|switch-to-controller-mode|apply-affinity|verify-distribution|failover-drill)
      if [ -z "$task" ]; then task="$word"; fi ;;
  esac
done
code=$(cat "$dir/exit-$task" 2>/dev/null || echo 0)

if [ "$code" -ge 2 ]; then
  echo "crosszone $task: error: simulated exit $code" >&2
  printf '{"task":"%s","verdict":"error","exitCode":%s,"error":"simulated exit %s"}\n' "$task" "$code" "$code"
  exit "$code"
fi
verdict=passed
if [ "$code" = 1 ]; then verdict=failed; fi
mkdir -p "$report"
printf '{\n  "task" : "%s",\n  "verdict" : "%s"\n}\n' "$task" "$verdict" > "$report/$task.json"
if [ "$task" = verify-distribution ]; then
  failures=0
  if [ "$code" = 1 ]; then failures=1; fi
  cat > "$report/verify-distribution-junit.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="verify-distribution" tests="1" failures="$failures">
  <testcase classname="verify-distribution" name="group members in different zones"/>
</testsuite>
XML
fi
cat "$report/$task.json"
exit "$code"
