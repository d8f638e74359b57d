#!/bin/sh
# The .deb CPack makes: it holds the program, library, headers, CMake and
# pkg-config files, man pages and completion under /usr, and its program,
# unpacked, runs the seed demo. (Installing it with dpkg into a clean
# chroot is left to a machine with debootstrap and a Debian mirror.)
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR WORK_DIR
set -eu
build=$1 source=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/tim_*.deb)
dpkg-deb -c "$deb" >"$work/contents"
for file in ./usr/bin/tim ./usr/include/tim/searcher.h ./usr/include/tim/version.h \
  ./usr/lib/libtim.a ./usr/lib/pkgconfig/tim.pc ./usr/lib/cmake/tim/tim-config.cmake \
  ./usr/share/bash-completion/completions/tim; do
  grep -q " $file\$" "$work/contents" || { echo "$deb lacks $file"; exit 1; }
done
if command -v help2man >/dev/null; then
  grep -q " ./usr/share/man/man1/tim-search.1" "$work/contents" ||
    { echo "$deb lacks the man pages"; exit 1; }
fi
dpkg-deb -f "$deb" Depends | grep -q libxapian || { echo "no Depends on Xapian"; exit 1; }
dpkg-deb -x "$deb" "$work/root"
tim="$work/root/usr/bin/tim"
"$tim" --version
"$tim" ingest --db "$work/db" "$source/seeds"
"$tim" search --db "$work/db" --json "dam phan hoa binh" | grep -q '"total":[1-9]'
rm -rf "$work"
