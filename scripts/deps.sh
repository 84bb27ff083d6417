#!/bin/sh
# deps.sh: install the Debian 12 packages mailcomments needs to build, test
# and run its demo.  As root, installs what is missing; otherwise prints the
# exact apt-get line to run.  Used by `make check`, `make demo` and .ci/run.
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev
libetpan-dev libsqlite3-dev libconfig-dev libcmark-dev libxml2-dev
libcurl4-gnutls-dev libgnutls28-dev libunistring-dev libcmocka-dev sqlite3
libidn2-dev libjson-c-dev zlib1g-dev groff-base gettext
dovecot-imapd python3-aiosmtpd isync chromium openssl libsasl2-modules procps"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

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
exit $rc
