#!/usr/bin/env bash
# Builds tests/install/parent, a meson project that takes dotasync as a
# subproject with warning-prone flags and werror=false, and runs its
# consumer: the subproject must build (no -Werror forced on the parent) and
# work.
#
# usage: subproject_consumer.sh <dotasync source root> <tests/install dir> <c++ compiler>
set -euo pipefail

source_root=$1
install_tests=$2
cxx=$3

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dotasync-parent.XXXXXX")
trap 'rm -rf -- "$scratch"' EXIT

mkdir -p -- "$scratch/parent/subprojects"
cp -- "$install_tests/parent/meson.build" "$install_tests/consumer.cpp" "$scratch/parent/"
# A copy without build directories, as a wrap or a git submodule would give.
tar -C "$source_root" --exclude='./build' --exclude='./.git' -cf - . | (mkdir "$scratch/parent/subprojects/dotasync" && tar -C "$scratch/parent/subprojects/dotasync" -xf -)

CXX=$cxx meson setup "$scratch/build" "$scratch/parent" >/dev/null
meson compile -C "$scratch/build"
"$scratch/build/consumer" "$scratch"
