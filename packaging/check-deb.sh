#!/usr/bin/env bash
# Builds the Debian package and checks it as a user's machine would see it: lintian finds no
# error, the desktop entry and the AppStream metainfo validate, it installs with dpkg -i,
# `mqscope --version`, `man mqscope` and the bash, zsh and fish completions work from the
# installed paths, and it removes cleanly. Run as root (or with sudo) on Debian or Ubuntu;
# installs what it needs with apt-get and cargo-deb with cargo when missing. An mqscope
# package already installed is removed at the end. Usage: packaging/check-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
target=${CARGO_TARGET_DIR:-target}

need=()
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v lintian >/dev/null || need+=(lintian)
command -v desktop-file-validate >/dev/null || need+=(desktop-file-utils)
command -v appstreamcli >/dev/null || need+=(appstream)
command -v rsvg-convert >/dev/null || need+=(librsvg2-bin)
command -v man >/dev/null || need+=(man-db)
command -v zsh >/dev/null || need+=(zsh)
command -v fish >/dev/null || need+=(fish)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} to check the package"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked

fail() {
  echo "package check failed: $*" >&2
  exit 1
}

rm -f "$target"/packages/mqscope_*.deb
bash packaging/build.sh deb
deb=$(ls "$target"/packages/mqscope_*.deb)
echo "checking $deb"
dpkg-deb --info "$deb" | sed -n 's/^ \(Depends\|Recommends\):/  \1:/p'

lintian --fail-on error --tag-display-limit 0 "$deb"
desktop-file-validate packaging/linux/mqscope.desktop
appstreamcli validate --no-net packaging/linux/io.github.mqscope.mqscope.metainfo.xml

# Install as a user would; dependencies apt has not installed yet are brought by apt-get -f.
if ! $sudo dpkg -i "$deb"; then
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -f
fi
dpkg-query -W -f '${Status}\n' mqscope | grep -qx 'install ok installed' || fail "dpkg did not install mqscope"

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ "$(command -v mqscope)" = /usr/bin/mqscope ] || fail "mqscope is not /usr/bin/mqscope on the PATH"
[ "$(/usr/bin/mqscope --version)" = "mqscope $version" ] || fail "mqscope --version says $(/usr/bin/mqscope --version)"

[ "$(man -w mqscope)" = /usr/share/man/man1/mqscope.1.gz ] || fail "man finds $(man -w mqscope 2>&1)"
MANPAGER=cat MANWIDTH=100 man mqscope 2>/dev/null | grep -q -- '--broker <URL>' || fail "man mqscope does not show --broker"

desktop-file-validate /usr/share/applications/mqscope.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.mqscope.mqscope.metainfo.xml
for size in 16 22 24 32 48 64 128 256 512; do
  [ -s "/usr/share/icons/hicolor/${size}x${size}/apps/mqscope.png" ] || fail "no ${size}px icon"
done
[ -s /usr/share/icons/hicolor/scalable/apps/mqscope.svg ] || fail "no scalable icon"

# bash: the completion bash-completion loads for `mqscope`, asked to complete "--bro".
bash_words=$(bash -c 'source /usr/share/bash-completion/completions/mqscope
  COMP_WORDS=(mqscope --bro); COMP_CWORD=1; COMP_LINE="mqscope --bro"; COMP_POINT=${#COMP_LINE}
  _mqscope mqscope --bro mqscope; echo "${COMPREPLY[*]}"')
[ "$bash_words" = "--broker" ] || fail "bash completes --bro to \"$bash_words\""
# zsh: compinit finds the completion on zsh's own function path and ties it to mqscope.
zsh -f -c 'autoload -Uz compinit && compinit -u -d /tmp/mqscope-zcompdump.$$ && [[ $_comps[mqscope] = _mqscope ]]' ||
  fail "zsh's compinit does not find _mqscope"
rm -f /tmp/mqscope-zcompdump.*
# fish: completes "--bro" from its vendor completions.
fish_words=$(HOME=$(mktemp -d) fish -c 'complete -C "mqscope --bro"' | cut -f1)
[ "$fish_words" = "--broker" ] || fail "fish completes --bro to \"$fish_words\""

$sudo dpkg -r mqscope
[ ! -e /usr/bin/mqscope ] || fail "/usr/bin/mqscope is still there after dpkg -r"
[ ! -e /usr/share/applications/mqscope.desktop ] || fail "the desktop entry is still there after dpkg -r"
echo "package check passed: $(basename "$deb") builds, passes lintian and the validators, installs, works and is removed"
