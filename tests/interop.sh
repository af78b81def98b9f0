#!/usr/bin/env bash
# The interop matrix: mqscope's connection path against Mosquitto, rumqttd, aedes and amqtt
# (tests/interop/, the README's "Brokers tested"). Installs the brokers that do not come from
# Debian or crates.io, once, under ${CARGO_TARGET_DIR:-target}/interop: aedes with npm (Node.js),
# amqtt with pip in a venv (Python 3.10 or later); rumqttd is a dev-dependency, built with the
# tests. Usage: tests/interop.sh          install if needed, then run the matrix
#               tests/interop.sh install  only install (tests/run.sh does this before its tests)
set -euo pipefail
cd "$(dirname "$0")/.."

AEDES=aedes@1.2.0
WS=ws@8.23.1
AMQTT=amqtt==0.12.1

dir="${MQSCOPE_INTEROP_DIR:-${CARGO_TARGET_DIR:-target}/interop}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

need=()
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
command -v python3 >/dev/null || need+=(python3)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v mosquitto_pub >/dev/null || need+=(mosquitto-clients)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} for the interop matrix"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# aedes and ws, for the server script the tests write (tests/interop/aedes.rs).
if [ "$(cat "$dir/node/.installed" 2>/dev/null)" != "$AEDES $WS" ]; then
  echo "installing $AEDES $WS into $dir/node"
  rm -rf "$dir/node"
  mkdir -p "$dir/node"
  npm install --prefix "$dir/node" --no-audit --no-fund --loglevel=error "$AEDES" "$WS"
  echo "$AEDES $WS" >"$dir/node/.installed"
fi

# amqtt and its `amqtt` broker command (tests/interop/amqtt.rs).
if [ "$(cat "$dir/venv/.installed" 2>/dev/null)" != "$AMQTT" ]; then
  echo "installing $AMQTT into $dir/venv"
  rm -rf "$dir/venv"
  python3 -m venv "$dir/venv"
  "$dir/venv/bin/pip" install --quiet --disable-pip-version-check "$AMQTT"
  echo "$AMQTT" >"$dir/venv/.installed"
fi

[ "${1:-}" = install ] && exit 0
export MQSCOPE_INTEROP_DIR="$dir"
cargo test --locked --test interop -- --nocapture
