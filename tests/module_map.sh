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
[ $status = 0 ] && echo "module map holds: mqscope-model and mqscope-payload depend on no UI, runtime or MQTT crate"
exit $status
