#!/usr/bin/env bash
# The module map, enforced: the model and payload crates must not depend, even indirectly, on
# a UI toolkit, an async runtime or an MQTT client. Usage: tests/module_map.sh
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(egui|eframe|epaint|winit|glow|tokio|rumqttc|rfd|keyring)$'
status=0
for crate in mqscope-model mqscope-payload; do
  deps=$(cargo tree --locked -p "$crate" -e normal --prefix none --format '{p}' | awk '{print $1}' | sort -u)
  bad=$(grep -E "$forbidden" <<<"$deps" || true)
  if [ -n "$bad" ]; then
    echo "module map broken: $crate depends on $(tr '\n' ' ' <<<"$bad")" >&2
    status=1
  fi
done
# Inside the app crate: the connection and profile modules know nothing of the window, and the
# window reaches the MQTT client only through mqtt/.
check_no_use() {
  local what=$1 pattern=$2; shift 2
  local found
  found=$(grep -rnE "$pattern" "$@" || true)
  if [ -n "$found" ]; then
    echo "module map broken: $what" >&2
    echo "$found" >&2
    status=1
  fi
}
check_no_use "mqtt/ or profiles/ uses egui or eframe" '\b(egui|eframe)::' src/mqtt src/profiles
check_no_use "ui/, app or explorer uses rumqttc" '\brumqttc::' src/ui src/app.rs src/app src/explorer
[ $status = 0 ] && echo "module map holds: mqscope-model and mqscope-payload depend on no UI, runtime or MQTT crate; mqtt/ and profiles/ use no egui; the window uses no rumqttc"
exit $status
