#!/bin/sh
# Installs mqscope from this unpacked tarball, or removes it again.
#   ./install.sh [--prefix DIR]              install (default: /usr/local as root, else ~/.local)
#   ./install.sh [--prefix DIR] --uninstall  remove what this tarball installs there
# The files go to DIR/bin and DIR/share (desktop entry, metainfo, icons, man page, completions
# for bash, zsh and fish); the desktop entry is pointed at DIR/bin/mqscope.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" = 0 ]; then prefix=/usr/local; else prefix="$HOME/.local"; fi
action=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 2; }; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) action=uninstall; shift ;;
    -h | --help) sed -n '2,6s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$prefix" in
  /*) ;;
  *) prefix="$(pwd)/$prefix" ;;
esac

# The files of this tarball, relative to the prefix (install.sh itself is not one).
files=$(cd "$here" && find bin share -type f | sort)

refresh() {
  # Menus and icon caches, where the desktop has the tools; a missing one is not an error.
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$prefix/share/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$prefix/share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "$action" = uninstall ]; then
  removed=0
  for file in $files; do
    if [ -f "$prefix/$file" ]; then rm -f "$prefix/$file"; removed=$((removed + 1)); fi
  done
  rmdir "$prefix/share/doc/mqscope" 2>/dev/null || true
  refresh
  # The menu cache refresh() wrote, when mqscope's entry was the only one there.
  if ! ls "$prefix/share/applications/"*.desktop >/dev/null 2>&1; then
    rm -f "$prefix/share/applications/mimeinfo.cache"
  fi
  echo "mqscope removed from $prefix ($removed files)"
  exit 0
fi

for file in $files; do
  case "$file" in
    bin/*) mode=755 ;;
    *) mode=644 ;;
  esac
  mkdir -p "$prefix/$(dirname "$file")"
  if [ "$file" = share/applications/mqscope.desktop ]; then
    sed "s|^Exec=mqscope|Exec=$prefix/bin/mqscope|" "$here/$file" >"$prefix/$file"
    chmod "$mode" "$prefix/$file"
  else
    cp "$here/$file" "$prefix/$file"
    chmod "$mode" "$prefix/$file"
  fi
done
refresh
echo "mqscope installed in $prefix: run $prefix/bin/mqscope, or find it in the application menu"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on your PATH" ;;
esac
