#!/bin/sh
# demo.sh: `make demo`.  Runs the whole flow on the embedded defaults.
set -eu
cd "$(dirname "$0")/.."
mc=./mailcomments

echo "== mailcomments $($mc --version | cut -d' ' -f2): the configuration (embedded defaults, no server needed)"
$mc check-config -c conf/mailcomments.conf
