#!/usr/bin/env bash
# What `npm install dendrite` gives a user with no compiler: packs the package
# as it would be published (npm pack, which compiles the TypeScript), installs
# the tarball into a fresh folder with a PATH holding only node and npm (no cc,
# g++, make or python3), checks that nothing was compiled and that the prebuilt
# binary is the one loaded, and trains an MLP for 2 epochs on the bundled
# Fashion-MNIST sample through the package's CLI, from CommonJS and ESM.
#   npm run build:prebuilds && bash scripts/test-package.sh
#   bash scripts/test-package.sh --no-prepare   packs the dist/ already compiled (CI, after npm ci)
# Needs prebuilds/<platform>-<arch>/ for this machine (the other platforms'
# binaries are packed too, and their presence and stripping are checked).
# Dependencies come from the npm registry or npm's cache.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
node_bin="$(command -v node)"
npm_bin="$(command -v npm)"
platform_dir="$(node -p 'process.platform + "-" + process.arch')"
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
t0=$(date +%s)
pack_flags=()
case "${1:-}" in
  --no-prepare) pack_flags=(--ignore-scripts) ;;
  "") ;;
  *) echo "usage: bash scripts/test-package.sh [--no-prepare]" >&2; exit 2 ;;
esac

ls "$root/prebuilds/$platform_dir/"*.node >/dev/null 2>&1 ||
  fail "no prebuilt binary for $platform_dir in prebuilds/ (run npm run build:prebuilds first)"

work="$(mktemp -d /tmp/dendrite-package.XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== npm pack"
(cd "$root" && npm pack --silent "${pack_flags[@]}" --pack-destination "$work" >"$work/pack.out")
tarball="$work/$(tail -1 "$work/pack.out")"
[ -f "$tarball" ] || fail "npm pack wrote no tarball"
tar -tzf "$tarball" | sed 's|^package/||' | sort >"$work/contents"
bytes=$(stat -c %s "$tarball")
unpacked=$(tar -xzOf "$tarball" | wc -c)
echo "tarball $(basename "$tarball"): $((bytes / 1024)) KiB packed, $((unpacked / 1024)) KiB unpacked, $(wc -l <"$work/contents") files"
grep -q '^data/fashion-mnist-sample/train-images-idx3-ubyte.gz$' "$work/contents" || fail "the Fashion-MNIST sample is not packed"
grep -q '^dist/index.js$' "$work/contents" || fail "dist/index.js is not packed"
for unwanted in '^build/' '^build-cmake/' '^build-prebuilds/' '^test/' '^ts/' '^node_modules/'; do
  if grep -q "$unwanted" "$work/contents"; then fail "the tarball holds ${unwanted#^}: $(grep "$unwanted" "$work/contents" | head -3 | tr '\n' ' ')"; fi
done
mkdir "$work/unpacked" && tar -xzf "$tarball" -C "$work/unpacked"
echo "prebuilt binaries in the tarball:"
found_mine=0
for f in $(grep '^prebuilds/.*\.node$' "$work/contents"); do
  file="$work/unpacked/package/$f"
  if readelf -S -W "$file" | grep -q '\.symtab'; then fail "$f is not stripped"; fi
  glibc=$(readelf --dyn-syms -W "$file" | grep -oE '@GLIBC_[0-9.]+' | sed 's/@GLIBC_//' | sort -V | tail -1)
  echo "  $f  $(($(stat -c %s "$file") / 1024)) KiB, stripped, $(readelf -h "$file" | sed -n 's/^ *Machine: *//p'), needs glibc ${glibc:-?}"
  case "$f" in "prebuilds/$platform_dir/"*) found_mine=1 ;; esac
done
[ "$found_mine" = 1 ] || fail "no prebuilds/$platform_dir/ binary in the tarball"

echo "== install into a fresh folder with only node and npm on PATH"
mkdir "$work/bin" "$work/app"
ln -s "$node_bin" "$work/bin/node"
ln -s "$npm_bin" "$work/bin/npm"
for tool in cc c++ gcc g++ clang make python3 python cmake; do
  if PATH="$work/bin" command -v "$tool" >/dev/null 2>&1; then fail "$tool is on the restricted PATH"; fi
done
echo "no cc, c++, gcc, g++, clang, make, python3, python or cmake on PATH=$work/bin"
echo '{ "name": "dendrite-package-test", "version": "1.0.0", "private": true }' >"$work/app/package.json"
# npm runs the package's install script (node-gyp-build) through a shell: name /bin/sh,
# so that PATH need not hold /bin, where the compilers are.
(cd "$work/app" && PATH="$work/bin" npm_config_script_shell=/bin/sh npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" >"$work/install.log" 2>&1) ||
  { cat "$work/install.log" >&2; fail "npm install of the tarball failed"; }
installed="$work/app/node_modules/dendrite"
[ -d "$installed" ] || fail "node_modules/dendrite is missing after npm install"
[ ! -e "$installed/build" ] || fail "npm install compiled the addon (node_modules/dendrite/build exists)"
echo "installed without compiling (no node_modules/dendrite/build)"

echo "== load from CommonJS and ESM, train for 2 epochs"
cd "$work/app"
PATH="$work/bin" node -e "
const fs = require('fs');
const dd = require('dendrite');
const info = dd.backendInfo();
const mapped = fs.readFileSync('/proc/self/maps', 'utf8').split('\n').map((l) => l.split(/\s+/)[5]).filter((p) => p && p.endsWith('.node'));
const mine = [...new Set(mapped.filter((p) => p.includes('/node_modules/dendrite/')))];
if (mine.length !== 1 || !mine[0].includes('/prebuilds/$platform_dir/')) throw new Error('expected the prebuilt binary, mapped: ' + [...new Set(mapped)].join(', '));
console.log('require(\"dendrite\") loaded', mine[0].replace('$work/app/', ''), JSON.stringify(info));
"
PATH="$work/bin" node --input-type=module -e "
import * as dd from 'dendrite';
const t = dd.tensor([[1, 2], [3, 4]]);
const s = t.matmul(t).sum().item();
if (s !== 54) throw new Error('matmul through ESM gave ' + s);
console.log('import from \"dendrite\" works: sum of t@t =', s);
"
PATH="$work/bin" ./node_modules/.bin/dendrite train --model mlp --epochs 2 --quiet | tee "$work/train.out"
acc=$(sed -n 's/^test accuracy \([0-9.]*\)%.*/\1/p' "$work/train.out")
[ -n "$acc" ] || fail "the CLI printed no test accuracy"
awk -v a="$acc" 'BEGIN { exit !(a >= 70) }' || fail "test accuracy $acc% after 2 epochs is below 70%"

echo "test-package: ok ($(( $(date +%s) - t0 )) s): $((bytes / 1024)) KiB tarball, installed with no compiler, prebuilt binary loaded, MLP reached $acc%"
