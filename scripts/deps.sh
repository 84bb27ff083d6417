#!/bin/sh
# deps.sh: install the Debian 12 packages mailcomments needs to build, test
# and run its demo.  As root, installs what is missing; otherwise prints the
# exact apt-get line to run.  Used by `make check`, `make demo` and .ci/run.
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libetpan-dev libsqlite3-dev libconfig-dev libcmark-dev libxml2-dev
libcurl4-gnutls-dev libgnutls28-dev libunistring-dev libcmocka-dev sqlite3
libidn2-dev libjson-c-dev zlib1g-dev groff-base gettext
dovecot-imapd python3-aiosmtpd isync chromium openssl libsasl2-modules procps
hugo jekyll nodejs python3-jsonschema git curl python3-botocore strace"

# npm packages the tests run, into a local prefix (never global):
# s3rver, an S3-protocol server that checks signatures (t-deploy-s3);
# Eleventy, the site generator t-eleventy builds a site with.
NODE_PREFIX=${MC_NODE_PREFIX:-/opt/mailcomments-node}
NPM_PKGS="s3rver@3.7.1 @11ty/eleventy@3.1.8"

npm_deps() {
	[ -x "$NODE_PREFIX/node_modules/.bin/s3rver" ] &&
		[ -x "$NODE_PREFIX/node_modules/.bin/eleventy" ] && return 0
	if ! mkdir -p "$NODE_PREFIX" 2>/dev/null || [ ! -w "$NODE_PREFIX" ]; then
		echo "mailcomments tests need: npm install --prefix $NODE_PREFIX $NPM_PKGS" >&2
		return 1
	fi
	# Debian's nodejs has npm apart; NodeSource's includes it
	if ! command -v npm >/dev/null 2>&1; then
		[ "$(id -u)" = 0 ] &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y \
				--no-install-recommends npm >&2 || return 1
	fi
	echo "installing into $NODE_PREFIX: $NPM_PKGS" >&2
	npm install --no-audit --no-fund --prefix "$NODE_PREFIX" $NPM_PKGS >&2
}

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	npm_deps
	exit $?
fi

if [ "$(id -u)" != 0 ]; then
	echo "mailcomments needs these Debian packages; run as root:" >&2
	echo "  apt-get install -y --no-install-recommends$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
# Debian starts a system Dovecot on install; the tests start their own on
# free ports, so keep the system one from starting.
policy=/usr/sbin/policy-rc.d
created=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	created=1
fi
rc=0
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends $missing >&2 ||
	{ apt-get update >&2 && apt-get install -y --no-install-recommends $missing >&2; } ||
	rc=$?
[ "$created" = 1 ] && rm -f "$policy"
[ "$rc" = 0 ] && { npm_deps || rc=$?; }
exit $rc
