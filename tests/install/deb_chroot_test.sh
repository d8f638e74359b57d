#!/bin/sh
# The .deb installed the way a Debian user installs it: `apt-get install
# ./tim_*.deb` into a clean, minimal Debian 12 (debootstrap --variant=minbase
# from Debian's archive), which must fetch the dependencies the package
# declares and nothing else; then the seed demo runs inside it, and the
# man page and completion are where Debian looks for them.
# Opt-in (it downloads a Debian base system, ~100 MB): runs when
# TIM_DEB_CHROOT_TEST=1, as root, with debootstrap installed; else skipped
# (exit 77). TIM_DEB_MIRROR overrides the mirror.
# Usage: deb_chroot_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -eu
build=$1 source=$2 work=$3
skip() { echo "skipped: $1"; exit 77; }
[ "${TIM_DEB_CHROOT_TEST:-}" = 1 ] || skip "set TIM_DEB_CHROOT_TEST=1 to run (downloads a Debian base system)"
[ "$(id -u)" = 0 ] || skip "needs root (debootstrap, chroot)"
command -v debootstrap >/dev/null || skip "needs debootstrap (apt-get install debootstrap)"
mirror=${TIM_DEB_MIRROR:-http://deb.debian.org/debian}

root="$work/root"
cleanup() { umount "$root/proc" 2>/dev/null || true; rm -rf "$work"; }
cleanup
trap cleanup EXIT
mkdir -p "$work"
cpack --config "$build/CPackConfig.cmake" -B "$work/package" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/package/tim_*.deb)

debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log"; exit 1; }
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/"
cp -r "$source/seeds" "$root/tmp/seeds"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
in_root apt-get update -q >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; exit 1; }
in_root apt-get install -y -q "/tmp/$(basename "$deb")" >>"$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log"; exit 1; }

in_root tim --version
in_root tim ingest --db /tmp/db /tmp/seeds
in_root tim search --db /tmp/db --json --facets source "dam phan hoa binh" >"$work/search.json"
grep -q '"total":[1-9]' "$work/search.json" || { cat "$work/search.json"; exit 1; }
for file in /usr/share/bash-completion/completions/tim /usr/lib/pkgconfig/tim.pc \
  /usr/include/tim/searcher.h; do
  [ -f "$root$file" ] || { echo "the package did not install $file"; exit 1; }
done
if command -v help2man >/dev/null; then
  [ -f "$root/usr/share/man/man1/tim.1.gz" ] || [ -f "$root/usr/share/man/man1/tim.1" ] ||
    { echo "the package did not install the man page tim(1)"; exit 1; }
fi
echo "installed with apt-get into a clean Debian 12 and ran the seed demo"
