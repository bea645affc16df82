#!/usr/bin/env bash
# Installs what Sluice needs on a Debian machine when it is missing (JDK 17, Maven), then builds.
# Usage: scripts/setup.sh [--if-needed | --tools-only]
#   --if-needed: build only when sources changed;  --tools-only: install the tools, do not build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
# index/ compiles a JNI binding against Debian's FAISS (static libfaiss.a, headers) and BLAS.
[ -f /usr/include/faiss/Index.h ] || need+=(libfaiss-dev)
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so ] || [ -e /usr/lib/libopenblas.so ] || need+=(libopenblas-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
if [ ${#need[@]} -gt 0 ]; then
  echo "sluice: installing ${need[*]} (apt-get)" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >&2
fi

[ "${1:-}" = "--tools-only" ] && exit 0

jar=jobs/target/sluice.jar
# benchmarks/ is not part of the jar (./bench builds it itself): editing a benchmark must not make
# ./sluice rebuild everything, least of all under a running benchmark's JVM.
if [ "${1:-}" = "--if-needed" ] && [ -f "$jar" ] && [ -f jobs/target/lib/.complete ] \
   && [ -z "$(find . \( -path ./demo-out -o -path ./benchmarks \) -prune -o \( -name '*.java' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
  exit 0
fi
echo "sluice: building (mvn package; the first build downloads ~1.3 GB of dependencies and takes minutes)" >&2
mvn -B -q -ntp -DskipTests install >&2
touch jobs/target/lib/.complete
