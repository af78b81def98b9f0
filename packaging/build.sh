#!/usr/bin/env bash
# Builds mqscope's Linux packages from one release build.
#   packaging/build.sh [deb] [rpm] [tarball]     (all three when none is named)
# Writes them to $CARGO_TARGET_DIR/packages (target/packages by default). Needs cargo-deb and
# cargo-generate-rpm (cargo install --locked ...) for those two, rsvg-convert
# (librsvg2-bin) for the icons, and dpkg-shlibdeps (dpkg-dev) for the .deb's dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
kinds=("$@")
[ ${#kinds[@]} -gt 0 ] || kinds=(deb rpm tarball)
for kind in "${kinds[@]}"; do
  case "$kind" in
    deb | rpm | tarball) ;;
    *) echo "build.sh: no package kind \"$kind\" (deb, rpm or tarball)" >&2; exit 2 ;;
  esac
done

cargo build --release --locked --bin mqscope
bin="$target/release/mqscope"
# Everything the packages install besides the binary is generated here, under target/release/
# where cargo-deb's and cargo-generate-rpm's asset paths look (Cargo.toml).
dist="$target/release/dist"
rm -rf "$dist"
mkdir -p "$dist/completions" "$dist/bin" "$target/packages"
"$bin" --generate man | gzip -9n >"$dist/mqscope.1.gz"
"$bin" --generate bash >"$dist/completions/mqscope.bash"
"$bin" --generate zsh >"$dist/completions/_mqscope"
"$bin" --generate fish >"$dist/completions/mqscope.fish"
packaging/icons.sh "$dist/icons"
strip -o "$dist/bin/mqscope" "$bin"

version=$("$bin" --version | awk '{print $2}')
for kind in "${kinds[@]}"; do
  case "$kind" in
    deb) cargo deb --no-build --output "$target/packages/" ;;
    rpm) cargo generate-rpm --output "$target/packages/" ;;
    tarball)
      name="mqscope-$version-$(uname -m)-linux"
      stage="$target/release/tarball/$name"
      rm -rf "$stage"
      mkdir -p "$stage"/bin "$stage"/share/{applications,metainfo,man/man1,doc/mqscope,icons}
      mkdir -p "$stage"/share/{bash-completion/completions,zsh/site-functions,fish/vendor_completions.d}
      cp "$dist/bin/mqscope" "$stage/bin/"
      cp packaging/linux/mqscope.desktop "$stage/share/applications/"
      cp packaging/linux/io.github.mqscope.mqscope.metainfo.xml "$stage/share/metainfo/"
      cp -r "$dist/icons" "$stage/share/icons/hicolor"
      cp "$dist/mqscope.1.gz" "$stage/share/man/man1/"
      cp "$dist/completions/mqscope.bash" "$stage/share/bash-completion/completions/mqscope"
      cp "$dist/completions/_mqscope" "$stage/share/zsh/site-functions/"
      cp "$dist/completions/mqscope.fish" "$stage/share/fish/vendor_completions.d/"
      cp README.md LICENSE-MIT LICENSE-APACHE "$stage/share/doc/mqscope/"
      cp packaging/linux/install.sh "$stage/"
      tar -C "$(dirname "$stage")" --owner=0 --group=0 -czf "$target/packages/$name.tar.gz" "$name"
      ;;
  esac
done
ls -l "$target/packages"
