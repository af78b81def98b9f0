#!/usr/bin/env bash
# mqscope's test command: installs what the tests need (Mosquitto), then runs
# the format check, clippy and every test, then builds and checks the Debian package
# (packaging/check-deb.sh). Usage: tests/run.sh
# (mosquitto_ctrl comes with mosquitto, mosquitto_pub/sub with mosquitto-clients; openssl
# rewrites test keys into the older PEM formats; the keyring test runs GNOME Keyring on a
# private D-Bus session bus and checks it with secret-tool; RabbitMQ 3.10 is a broker that
# speaks only MQTT 3.1.1; tests/interop.sh installs aedes and amqtt under target/interop for
# the interop matrix, tests/interop/, which the workspace's tests run.)
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/mosquitto ] || command -v mosquitto >/dev/null || need+=(mosquitto)
command -v mosquitto_pub >/dev/null || need+=(mosquitto-clients)
command -v openssl >/dev/null || need+=(openssl)
command -v dbus-daemon >/dev/null || need+=(dbus-daemon)
command -v dbus-send >/dev/null || need+=(dbus-bin)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
command -v secret-tool >/dev/null || need+=(libsecret-tools)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} for the tests"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
bash tests/module_map.sh
bash tests/interop.sh install
cargo test --locked --workspace
# The Debian package, built, validated, installed, used and removed (packaging/README.md).
bash packaging/check-deb.sh
