#!/usr/bin/env bash
# Installs the built library into a scratch directory, compiles
# tests/install/consumer.cpp with nothing but `pkg-config --cflags --libs
# dotasync`, and runs it against the installed library. This is how a user's
# non-meson project sees dotasync, so the Asio configuration macros that are
# part of the ABI must arrive through the .pc file.
#
# usage: pkg_config_consumer.sh <build dir> <consumer.cpp> <c++ compiler> [extra compiler flags...]
set -euo pipefail

build_dir=$1
source=$2
cxx=$3
shift 3

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dotasync-install.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT

meson install -C "$build_dir" --no-rebuild --quiet --destdir "$scratch/root" >/dev/null

pc=$(find "$scratch/root" -name dotasync.pc -print -quit)
if [[ -z "$pc" ]]; then
  echo "no dotasync.pc was installed" >&2
  exit 1
fi
# The .pc file names the real prefix; a copy points it into the scratch
# tree. (pkg-config --define-prefix guesses the prefix from the file's
# location, which multiarch library directories defeat.)
mkdir -p -- "$scratch/pc"
prefix=$(sed -n 's/^prefix=//p' "$pc")
sed "s|^prefix=.*|prefix=$scratch/root$prefix|" "$pc" >"$scratch/pc/dotasync.pc"
export PKG_CONFIG_PATH=$scratch/pc${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
cflags=$(pkg-config --cflags dotasync)
libs=$(pkg-config --libs dotasync)
echo "Cflags: $cflags"
echo "Libs: $libs"

"$cxx" -std=c++20 "$@" $cflags -o "$scratch/consumer" "$source" $libs
libdir=$(pkg-config --variable=libdir dotasync)
LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$scratch/consumer" "$scratch"
