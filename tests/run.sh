#!/usr/bin/env bash
# mqscope's test command: installs what the tests need (Mosquitto), then runs
# the format check, clippy and every test. Usage: tests/run.sh
# (mosquitto_ctrl comes with mosquitto, mosquitto_pub/sub with mosquitto-clients; openssl
# rewrites test keys into the older PEM formats.)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || need+=(mosquitto)
command -v mosquitto_pub >/dev/null || need+=(mosquitto-clients)
command -v openssl >/dev/null || need+=(openssl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} for the tests"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

cargo fmt --all -- --check
cargo clippy --locked --all-targets -- -D warnings
cargo test --locked
