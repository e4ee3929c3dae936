#!/usr/bin/env bash
# Makes the class-data-sharing (AppCDS) archive of the CLI, at package time: lists the classes a
# training run loads (io.crosszone.startup.CdsTraining: --help, plan, label-zones --dry-run,
# verify-distribution, in one JVM), then dumps a static archive of them for exactly this JVM and
# this classpath. A JVM opens an archive only if it is the JVM that dumped it and the classpath's
# jars are the same files (path, size, time); otherwise -Xshare:auto ignores it silently and
# -Xshare:on refuses to start. So the jar's archive is dumped by the build's JDK for
# target/crosszone.jar, and the image's by the image's own JVM for /app (image/make-image-cds.sh).
#
# Usage: image/make-cds.sh JAVA CLASSPATH OUT.jsa [TRAINING_CLASSPATH]
#   TRAINING_CLASSPATH (default CLASSPATH) runs the training; the archive is dumped for CLASSPATH.
set -euo pipefail

java=${1:?usage: make-cds.sh JAVA CLASSPATH OUT.jsa [TRAINING_CLASSPATH]}
cp=${2:?usage: make-cds.sh JAVA CLASSPATH OUT.jsa [TRAINING_CLASSPATH]}
out=${3:?usage: make-cds.sh JAVA CLASSPATH OUT.jsa [TRAINING_CLASSPATH]}
training_cp=${4:-$cp}

mkdir -p "$(dirname "$out")"
list=${out%.jsa}.classlist
# quiet: the training's tasks fail by design (no RocketMQ listens), and the mock API logs at INFO
"$java" -Xshare:off -XX:DumpLoadedClassList="$list" -Djava.util.logging.config.file=/dev/null \
  -cp "$training_cp" io.crosszone.startup.CdsTraining 2>"$out.training.log" >/dev/null \
  || { cat "$out.training.log" >&2; echo "make-cds.sh: the training run failed" >&2; exit 3; }
# the training's own class and the mock API server's are not on a task's path
grep -v -e '^io/crosszone/startup/' -e '^io/fabric8/mockwebserver/' -e '^io/fabric8/kubernetes/client/server/mock/' \
  "$list" > "$list.tmp" && mv "$list.tmp" "$list"
"$java" -Xshare:dump -XX:SharedClassListFile="$list" -XX:SharedArchiveFile="$out" -cp "$cp" \
  -Xlog:cds=off -Xlog:cds+dynamic=off > "$out.dump.log" 2>&1 \
  || { cat "$out.dump.log" >&2; echo "make-cds.sh: the dump failed" >&2; exit 3; }
echo "CDS archive: $out ($(du -m "$out" | cut -f1) MB, $(grep -c -v '^#' "$list") classes listed)"
