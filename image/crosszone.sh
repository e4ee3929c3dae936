#!/bin/sh
# target/crosszone: `java -jar crosszone.jar` with what suits a short-lived CLI (BENCHMARKS.md):
# the class-data-sharing archive made at package time beside the jar (image/make-cds.sh), C1 only,
# the serial collector. The archive serves only the JDK that made it (the build's); with another
# java the JVM ignores it (-Xshare:auto) and the CLI runs as without it.
here=$(dirname "$(readlink -f "$0")")
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$java" -XX:SharedArchiveFile="$here/crosszone.jsa" -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -jar "$here/crosszone.jar" "$@"
