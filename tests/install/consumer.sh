#!/usr/bin/env bash
# Installs the built library into a scratch directory and builds
# tests/install/consumer.cpp against the installed copy the way a user's
# project would, then runs it:
#   pkg-config  the compiler with nothing but `pkg-config --cflags --libs dotasync`
#   cmake       a CMake project: find_package(dotasync 0.1) and dotasync::dotasync
#   meson       a meson project: dependency('dotasync')
# The Asio configuration macros that are part of the ABI must arrive through
# what the package hands out, so the consumer checks that its view of
# io_context is the library's.
#
# usage: consumer.sh <pkg-config|cmake|meson> <build dir> <tests/install dir> <c++ compiler> [extra compiler flags...]
set -euo pipefail

mode=$1
build_dir=$2
install_tests=$3
cxx=$4
shift 4

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
libdir=$(pkg-config --variable=libdir dotasync)

case $mode in
  pkg-config)
    cflags=$(pkg-config --cflags dotasync)
    libs=$(pkg-config --libs dotasync)
    echo "Cflags: $cflags"
    echo "Libs: $libs"
    "$cxx" -std=c++20 "$@" $cflags -o "$scratch/consumer" "$install_tests/consumer.cpp" $libs
    ;;
  cmake)
    cp -- "$install_tests/cmake/CMakeLists.txt" "$install_tests/consumer.cpp" "$scratch/"
    cmake -S "$scratch" -B "$scratch/build" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
      -DCMAKE_PREFIX_PATH="$scratch/root$prefix" >/dev/null
    cmake --build "$scratch/build"
    cp -- "$scratch/build/consumer" "$scratch/consumer"
    ;;
  meson)
    cp -- "$install_tests/meson/meson.build" "$install_tests/consumer.cpp" "$scratch/"
    CXX=$cxx meson setup "$scratch/build" "$scratch" >/dev/null
    meson compile -C "$scratch/build"
    cp -- "$scratch/build/consumer" "$scratch/consumer"
    ;;
  *)
    echo "consumer.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac

LD_LIBRARY_PATH=$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} "$scratch/consumer" "$scratch"
