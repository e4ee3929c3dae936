#!/usr/bin/env bash
# Makes the image's base offline, for CI and for anyone without a registry: a jlinked Java 17
# runtime plus the glibc libraries it links, on an empty root, saved as a docker-save archive
# (Jib reads a local base only in that format: `tar://`; an OCI archive fails).
# It stands in for the published base (gcr.io/distroless/java17-debian12:nonroot) and mirrors
# what the image relies on there: `java` on PATH, user 65532 "nonroot" with a writable home,
# a writable /tmp, no shell.
#
# With --shell it stands in for the `debug-nonroot` flavour of that base instead, the one the
# Jenkins library's Kubernetes runner needs (its `container` step runs `sh`, the pod `sleep`):
# the same plus a static busybox in /busybox, its applets beside it, /busybox last on PATH.
#
# Usage: image/make-base.sh OUT.tar [--shell]
# Needs: jlink (a JDK 17 with jmods), ldd, GNU tar; with --shell a static busybox (Debian's
# busybox-static: /bin/busybox).
set -euo pipefail

out=${1:?usage: make-base.sh OUT.tar [--shell]}
shell=${2:-}
if [ -n "$shell" ] && [ "$shell" != "--shell" ]; then
  echo "usage: make-base.sh OUT.tar [--shell]" >&2
  exit 2
fi
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}
# What the runtime classpath uses (jdeps --list-deps over each runtime jar and target/classes),
# plus jdk.crypto.ec for ECDHE/ECDSA TLS to a Kubernetes API server. Add a module here when a new
# dependency needs one: the image test only exercises the code paths it runs.
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.unsupported

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
jre=/opt/java/openjdk

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$root$jre"
# Debian's libjvm.so keeps its symbol table: 4 MB less without it, where binutils is here.
if command -v strip >/dev/null; then
  find "$root$jre" -type f -name '*.so' -exec strip --strip-unneeded {} +
fi
# Debian's JDK keeps its CA bundle outside the module image; without it TLS trusts nothing.
if [ -f /etc/ssl/certs/java/cacerts ]; then
  cp /etc/ssl/certs/java/cacerts "$root$jre/lib/security/cacerts"
fi

# The shared libraries the runtime links, at the paths the dynamic loader looks for them; not
# those of AWT, fonts and sound (java.desktop is here for java.beans; a CLI never loads them).
# libgcc_s is dlopen'ed by glibc (thread cancellation), so ldd does not list it.
libs=$(find "$root$jre" -type f \( -name '*.so' -o -path '*/bin/*' \) \
    ! -name 'libawt*.so' ! -name 'libjawt.so' ! -name 'libsplashscreen.so' ! -name 'libjsound.so' \
    ! -name 'libfontmanager.so' ! -name 'liblcms.so' ! -name 'libjavajpeg.so' ! -name 'libmlib_image.so' -exec ldd {} \; 2>/dev/null \
  | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | grep -v "^$root" | sort -u)
gcc_s=$(PATH=$PATH:/sbin:/usr/sbin ldconfig -p | awk '$1 == "libgcc_s.so.1" {print $NF; exit}')
for lib in $libs $gcc_s; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
if [ -d /usr/lib/locale/C.utf8 ]; then
  mkdir -p "$root/usr/lib/locale" && cp -r /usr/lib/locale/C.utf8 "$root/usr/lib/locale/"
fi

path=$jre/bin:/usr/bin:/bin
tag=crosszone-base:local
if [ -n "$shell" ]; then
  busybox=$(command -v busybox || true)
  if [ -z "$busybox" ]; then
    echo "make-base.sh --shell needs busybox on PATH (apt-get install busybox-static)" >&2
    exit 2
  fi
  # a dynamic busybox links only glibc, which is already here for the JRE; copy what it links anyway
  for lib in $(ldd "$busybox" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
    mkdir -p "$root$(dirname "$lib")"
    [ -e "$root$lib" ] || cp -L "$lib" "$root$lib"
  done
  mkdir -p "$root/busybox"
  cp -L "$busybox" "$root/busybox/busybox"
  for applet in $("$busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/busybox/$applet"
  done
  path=$path:/busybox
  tag=crosszone-base:local-shell
fi

mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot"
chmod 1777 "$root/tmp"
chmod 0755 "$root/home/nonroot"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"

# One layer, reproducible: root owns everything but the home directory.
layer=$work/layer.tar
tarflags=(--sort=name --mtime=@0 --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
tar -C "$root" "${tarflags[@]}" --owner=0 --group=0 --exclude=./home/nonroot -cf "$layer" .
tar -C "$root" "${tarflags[@]}" --owner=65532 --group=65532 --no-recursion -rf "$layer" ./home/nonroot
diff_id=$(sha256sum "$layer" | cut -d' ' -f1)

case $(uname -m) in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
config='{"architecture":"'$arch'","os":"linux","created":"1970-01-01T00:00:00Z",'
config+='"config":{"User":"65532","WorkingDir":"/home/nonroot","Env":["PATH='$path'",'
config+='"JAVA_HOME='$jre'","LANG=C.UTF-8"]},'
config+='"rootfs":{"type":"layers","diff_ids":["sha256:'$diff_id'"]},'
config+='"history":[{"created":"1970-01-01T00:00:00Z","created_by":"image/make-base.sh: jlinked JRE ('$modules') and glibc'${shell:+, busybox}'"}]}'
printf '%s' "$config" > "$work/config.json"
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)

archive=$work/archive
mkdir -p "$archive/$diff_id"
mv "$layer" "$archive/$diff_id/layer.tar"
mv "$work/config.json" "$archive/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' \
  "$config_id" "$tag" "$diff_id" > "$archive/manifest.json"
mkdir -p "$(dirname "$out")"
# named members, no "./" entry: Jib refuses an archive member that resolves to its own root
tar -C "$archive" --mtime=@0 --owner=0 --group=0 --numeric-owner -cf "$out" \
  manifest.json "$config_id.json" "$diff_id/layer.tar"
echo "base image: $out ($(du -m "$out" | cut -f1) MB, modules $modules${shell:+, busybox})"
