#!/usr/bin/env bash
# Makes the image's class-data-sharing archive with the image's own JVM (an archive dumped by any
# other JVM, e.g. the build's JDK, is ignored by the image's): unpacks the image Jib built
# (a docker-save archive) into a directory, and in it (chroot: the same /opt/java/openjdk, the
# same /app jars with the same times as in the image) dumps the classes the jar's training run
# listed (image/make-cds.sh) for the image's classpath, `-cp @/app/jib-classpath-file`.
# The archive goes to OUT_DIR/opt/java/openjdk/lib/server/classes.jsa, the JVM's default archive,
# which Jib then adds to the image: `java -cp @/app/jib-classpath-file ...`, the entrypoint and
# what steps/ and vars/ run, uses it with no flag. Needs root or user namespaces (unshare -r).
#
# Usage: image/make-image-cds.sh IMAGE.tar CLASSLIST OUT_DIR
set -euo pipefail

image=${1:?usage: make-image-cds.sh IMAGE.tar CLASSLIST OUT_DIR}
classlist=${2:?usage: make-image-cds.sh IMAGE.tar CLASSLIST OUT_DIR}
out=${3:?usage: make-image-cds.sh IMAGE.tar CLASSLIST OUT_DIR}
jre=/opt/java/openjdk

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/image" "$work/root"
tar -C "$work/image" -xf "$image"
# layers in order (Jib's images have no whiteouts); tar keeps the files' times, which CDS checks
for layer in $(sed -e 's/.*"Layers":\[//' -e 's/\].*//' -e 's/[",]/ /g' "$work/image/manifest.json"); do
  tar -C "$work/root" -xzf "$work/image/$layer" 2>/dev/null || tar -C "$work/root" -xf "$work/image/$layer"
done
cp "$classlist" "$work/root/tmp/crosszone.classlist"
# no /proc in the chroot: the loader cannot resolve $ORIGIN, so name the JRE's libraries
run=(env LD_LIBRARY_PATH=$jre/lib:$jre/lib/server chroot "$work/root")
if [ "$(id -u)" != 0 ]; then
  run=(env LD_LIBRARY_PATH=$jre/lib:$jre/lib/server unshare -r chroot "$work/root")
fi
"${run[@]}" "$jre/bin/java" -Xshare:dump -XX:SharedClassListFile=/tmp/crosszone.classlist \
  -XX:SharedArchiveFile=/tmp/classes.jsa -cp @/app/jib-classpath-file -Xlog:cds=off -Xlog:cds+dynamic=off \
  > "$work/dump.log" 2>&1 || { cat "$work/dump.log" >&2; echo "make-image-cds.sh: the dump failed" >&2; exit 3; }
# the image's JVM opens it: the same check the image test makes
"${run[@]}" "$jre/bin/java" -Xshare:on -XX:SharedArchiveFile=/tmp/classes.jsa -cp @/app/jib-classpath-file \
  io.crosszone.cli.Crosszone --help > "$work/check.log" 2>&1 \
  || { cat "$work/check.log" >&2; echo "make-image-cds.sh: the image's JVM does not open the archive" >&2; exit 3; }
mkdir -p "$out$jre/lib/server"
rm -f "$out$jre/lib/server/classes.jsa"
cp "$work/root/tmp/classes.jsa" "$out$jre/lib/server/classes.jsa"
chmod 0644 "$out$jre/lib/server/classes.jsa"
echo "image CDS archive: $out$jre/lib/server/classes.jsa ($(du -m "$out$jre/lib/server/classes.jsa" | cut -f1) MB)"
