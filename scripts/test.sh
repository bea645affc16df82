#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, then builds and runs every test.
# Needs ../shared/data (or SLUICE_SHARED_DATA) for the tests on real data.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
shared="${SLUICE_SHARED_DATA:-$root/../shared/data}"
if [ ! -d "$shared" ]; then
  echo "test: shared data not found at $shared (set SLUICE_SHARED_DATA)" >&2
  exit 2
fi
scripts/setup.sh --tools-only
exec mvn -B -ntp "-Dsluice.shared.data=$(cd "$shared" && pwd)" install "$@"
