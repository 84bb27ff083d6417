# tests/servers.sh: real mail servers for integration tests, on loopback
# and free ports, each in the test's own directory.  Source it after
# tests/lib.sh.  Everything started here is stopped by its PID at exit.
#
#   make_certs                 CA + server certificates under $T_DIR/tls
#   start_dovecot              Dovecot: IMAP (STARTTLS) and IMAPS
#   restart_dovecot / stop_dovecot
#   start_smtp [OPTIONS]       aiosmtpd sink (see tests/servers/smtpsink.py)
#   stop_smtp
#   imap_tool ARGS...          tests/servers/imaptool.py against Dovecot
#   dv_deliver USER FILE...    files straight into a user's Maildir
#   write_conf FILE [EXTRA]    a mailcomments.conf for these servers
#
# Variables set: DV_IMAP_PORT, DV_IMAPS_PORT, DV_DIR, DV_MAIL (Maildirs,
# one per user), SMTP_PORT, SMTP_DIR (what the sink received: Maildir
# new/ plus envelope.log), TLS_CA, TLS_CERT, TLS_KEY.
#
# Users (passwd-file): comments@example.org / comments-pw,
# moderator@example.org / moderator-pw, and three that change what the
# server offers for the fallbacks: nomove@example.org (no MOVE, no
# UIDPLUS), nouidplus@example.org (UIDPLUS but no MOVE: the name says
# what the code path lacks) and noidle@example.org (no IDLE); all with
# password "fallback-pw".  oauth@example.org accepts the XOAUTH2 token
# "oauth-token-1".

T_SERVERS_DIR="$T_ROOT/tests/servers"
PY=/usr/bin/python3

# Dovecot refuses to give mail access to root; when run as root, mail is
# owned by Debian's `mail` user and logins run as `dovenull`.
if [ "$(id -u)" = 0 ]; then
	DV_MAIL_USER=mail
	DV_LOGIN_USER=dovenull
	DV_INTERNAL_USER=dovecot
else
	DV_MAIL_USER=$(id -un)
	DV_LOGIN_USER=$DV_MAIL_USER
	DV_INTERNAL_USER=$DV_MAIL_USER
fi
DV_UID=$(id -u "$DV_MAIL_USER")
DV_GID=$(id -g "$DV_MAIL_USER")

make_certs() {
	local d="$T_DIR/tls"
	[ -f "$d/ca.crt" ] && return 0
	mkdir -p "$d"
	(
		cd "$d" || exit 1
		openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
			-subj "/CN=mailcomments test CA" -keyout ca.key \
			-out ca.crt -addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign"
		# The server: good for localhost and 127.0.0.1.
		openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
			-keyout server.key -out server.csr
		printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" \
			"extendedKeyUsage=serverAuth" \
			"basicConstraints=CA:FALSE" >server.ext
		openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key \
			-CAcreateserial -days 3650 -extfile server.ext \
			-out server.crt
		# Another name, for host name mismatch tests.
		openssl req -newkey rsa:2048 -nodes \
			-subj "/CN=mail.example.net" -keyout other.key \
			-out other.csr
		printf '%s\n' "subjectAltName=DNS:mail.example.net" \
			"basicConstraints=CA:FALSE" >other.ext
		openssl x509 -req -in other.csr -CA ca.crt -CAkey ca.key \
			-CAcreateserial -days 3650 -extfile other.ext \
			-out other.crt
	) >"$d/openssl.log" 2>&1 || { cat "$d/openssl.log" >&2; return 1; }
	chmod 644 "$d"/*.crt "$d"/*.key
	TLS_CA="$d/ca.crt"
	TLS_CERT="$d/server.crt"
	TLS_KEY="$d/server.key"
}

# port_open PORT: something listens on 127.0.0.1:PORT.
port_open() {
	$PY -c 'import socket,sys
s=socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"
}

port_closed() { ! port_open "$1"; }

dv_write_conf() {
	local cert=${DV_CERT:-$TLS_CERT} key=${DV_KEY:-$TLS_KEY}
	cat >"$DV_DIR/dovecot.conf" <<EOF
# Written by tests/servers.sh: a private Dovecot for one test.
base_dir = $DV_BASE
state_dir = $DV_DIR/state
instance_name = mc-$$-$RANDOM
log_path = $DV_DIR/dovecot.log
protocols = imap
listen = 127.0.0.1
shutdown_clients = yes
ssl = yes
ssl_cert = <$cert
ssl_key = <$key
# LOGIN in plain text is allowed (127.0.0.1 only) so that tls = "none"
# can be tested; mailcomments itself refuses it elsewhere.
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_verbose = yes
first_valid_uid = $DV_UID
last_valid_uid = $DV_UID
first_valid_gid = $DV_GID
last_valid_gid = $DV_GID
default_internal_user = $DV_INTERNAL_USER
default_login_user = $DV_LOGIN_USER
mail_location = maildir:$DV_MAIL/%u
mail_max_userip_connections = 200
# Keep-alives often, so that tests see IDLE survive them.
imap_idle_notify_interval = 2 secs
namespace inbox {
  inbox = yes
  separator = /
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DV_DIR/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u $DV_DIR/passwd
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $DV_IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $DV_IMAPS_PORT
    ssl = yes
  }
}
service stats {
  unix_listener stats-reader {
    user = $DV_INTERNAL_USER
  }
  unix_listener stats-writer {
    user = $DV_INTERNAL_USER
    mode = 0666
  }
}
EOF
}

dv_write_passwd() {
	local u=$DV_UID g=$DV_GID
	local caps="IMAP4rev1 SASL-IR LITERAL+ ID ENABLE SORT THREAD=REFERENCES"
	cat >"$DV_DIR/passwd" <<EOF
comments@example.org:{PLAIN}comments-pw:$u:$g::$DV_MAIL/comments@example.org::
moderator@example.org:{PLAIN}moderator-pw:$u:$g::$DV_MAIL/moderator@example.org::
nomove@example.org:{PLAIN}fallback-pw:$u:$g::$DV_MAIL/nomove@example.org::userdb_imap_capability=$caps IDLE
nouidplus@example.org:{PLAIN}fallback-pw:$u:$g::$DV_MAIL/nouidplus@example.org::userdb_imap_capability=$caps IDLE UIDPLUS
noidle@example.org:{PLAIN}fallback-pw:$u:$g::$DV_MAIL/noidle@example.org::userdb_imap_capability=$caps UIDPLUS MOVE
oauth@example.org:{PLAIN}oauth-token-1:$u:$g::$DV_MAIL/oauth@example.org::
EOF
}

dv_started() {
	[ -f "$DV_BASE/master.pid" ] && port_open "$DV_IMAP_PORT" &&
		port_open "$DV_IMAPS_PORT"
}

# start_dovecot: a private Dovecot on two free ports.
start_dovecot() {
	make_certs || return 1
	if [ -z "${DV_DIR:-}" ]; then
		DV_DIR="$T_DIR/dovecot"
		DV_MAIL="$DV_DIR/mail"
		# sun_path is 108 bytes: keep the sockets' directory short.
		DV_BASE=$(mktemp -d /tmp/mcdv.XXXXXX)
		at_exit "rm -rf '$DV_BASE'"
		DV_IMAP_PORT=$(free_port)
		DV_IMAPS_PORT=$(free_port)
		mkdir -p "$DV_DIR/state" "$DV_MAIL"
		# Dovecot's users must reach their Maildirs under $T_DIR.
		chmod 755 "$T_DIR" "$DV_DIR"
		chown "$DV_UID:$DV_GID" "$DV_MAIL"
		chmod 755 "$DV_BASE"
		dv_write_passwd
		dv_write_conf
		at_exit stop_dovecot
	fi
	/usr/sbin/dovecot -c "$DV_DIR/dovecot.conf" >>"$DV_DIR/start.log" 2>&1 ||
		{ cat "$DV_DIR/start.log" "$DV_DIR/dovecot.log" >&2; return 1; }
	if ! wait_for 20 dv_started; then
		echo "# dovecot did not start" >&2
		tail -20 "$DV_DIR/dovecot.log" 2>/dev/null | diag >&2
		return 1
	fi
	DV_PID=$(cat "$DV_BASE/master.pid")
}

# stop_dovecot: stops the master we started and its children.  Dovecot
# lets running sessions go on when its master stops (imap-login proxies
# TLS connections); a test that restarts it wants them cut, as a crash or
# a reboot would.  The proxies get SIGKILL, which cuts the clients; the
# IMAP processes SIGTERM, so that they release their Maildir locks (a
# SIGKILLed one leaves dovecot-uidlist.lock behind for two minutes).
stop_dovecot() {
	local pid kids k
	[ -f "${DV_BASE:-/nonexistent}/master.pid" ] || return 0
	pid=$(cat "$DV_BASE/master.pid")
	kids=$(pgrep -P "$pid" | tr '\n' ' ')
	for k in $kids; do
		case $(cat "/proc/$k/cmdline" 2>/dev/null | tr '\0' ' ') in
		*/imap-login*) kill -KILL "$k" 2>/dev/null ;;
		esac
	done
	kill "$pid" 2>/dev/null
	# shellcheck disable=SC2086
	[ -n "$kids" ] && kill -TERM $kids 2>/dev/null
	wait_for 20 sh -c "! kill -0 $pid 2>/dev/null" ||
		kill -KILL "$pid" 2>/dev/null
	for k in $kids; do
		wait_for 10 sh -c "! kill -0 $k 2>/dev/null" ||
			kill -KILL "$k" 2>/dev/null
	done
	# Wait for the listeners to go too, so a restart can bind again.
	wait_for 10 port_closed "$DV_IMAP_PORT"
	wait_for 10 port_closed "$DV_IMAPS_PORT"
	rm -f "$DV_BASE/master.pid"
}

restart_dovecot() {
	stop_dovecot && start_dovecot
}

# dv_deliver USER FILE...: delivers files straight into the user's
# Maildir INBOX (new/), as a local delivery agent would: much faster than
# APPEND for thousands of messages.
dv_deliver() {
	local user=$1 dir f name i=0
	shift
	[[ $user == *@* ]] || user=$user@example.org
	dir="$DV_MAIL/$user"
	mkdir -p "$dir/new" "$dir/cur" "$dir/tmp"
	for f in "$@"; do
		i=$((i + 1))
		name="$(date +%s).M${i}P$$R$RANDOM.test"
		cp "$f" "$dir/tmp/$name" && mv "$dir/tmp/$name" "$dir/new/" ||
			return 1
	done
	chown -R "$DV_UID:$DV_GID" "$dir"
}

# Runs doveadm against our instance.
dv_adm() { /usr/bin/doveadm -c "$DV_DIR/dovecot.conf" "$@"; }

# imap_tool ARGS...: tests/servers/imaptool.py over IMAPS with our CA.
imap_tool() {
	$PY "$T_SERVERS_DIR/imaptool.py" --port "$DV_IMAPS_PORT" \
		--ca "$TLS_CA" "$@"
}

# start_smtp [smtpsink.py options]: the SMTP sink on a free port.  Call
# again after stop_smtp to start it with the same port and directory.
start_smtp() {
	make_certs || return 1
	if [ -z "${SMTP_DIR:-}" ]; then
		SMTP_DIR="$T_DIR/smtp"
		SMTP_PORT=$(free_port)
		mkdir -p "$SMTP_DIR"
		at_exit stop_smtp
	fi
	$PY "$T_SERVERS_DIR/smtpsink.py" --port "$SMTP_PORT" \
		--maildir "$SMTP_DIR" --cert "$TLS_CERT" --key "$TLS_KEY" \
		"$@" >>"$SMTP_DIR/server.log" 2>&1 &
	SMTP_PID=$!
	if ! wait_for 20 port_open "$SMTP_PORT"; then
		echo "# the SMTP sink did not start" >&2
		tail -20 "$SMTP_DIR/server.log" | diag >&2
		return 1
	fi
}

stop_smtp() {
	[ -n "${SMTP_PID:-}" ] || return 0
	kill "$SMTP_PID" 2>/dev/null
	wait "$SMTP_PID" 2>/dev/null
	SMTP_PID=
}

# smtp_count: number of messages the sink received.
smtp_count() {
	find "$SMTP_DIR/new" -type f 2>/dev/null | wc -l
}

# smtp_count_settled: smtp_count once the sink has stopped writing.  The
# last message of a killed client can still be on its way to the sink's
# Maildir: counted at once, it is missed after its own kill and counted
# after the next (0, then 2).  Bounded: 50 looks, 0.1 s apart, 3 at least.
smtp_count_settled() {
	local n m i=0
	n=$(smtp_count)
	while [ "$i" -lt 50 ]; do
		sleep 0.1
		m=$(smtp_count)
		[ "$m" = "$n" ] && [ "$i" -ge 2 ] && break
		n=$m i=$((i + 1))
	done
	echo "$n"
}

# write_conf FILE [SETTING=VALUE...]: a configuration for the servers
# started above (IMAP source when Dovecot runs, SMTP transport when the
# sink runs), with overrides: imap.tls=starttls, imap.port=143,
# source.processed= (empty string), imap.ca_file=- (removed).  Numbers,
# true/false and [lists] are written as they are, the rest quoted.
write_conf() {
	local f=$1 kv k val g last=
	shift
	declare -A v
	printf 'comments-pw\n' >"$T_DIR/imap.pw"
	chmod 600 "$T_DIR/imap.pw"
	v[address.mailbox]=comments@example.org
	v[moderation.moderators]='["moderator@example.org"]'
	v[database.path]=$T_DIR/mc.db
	if [ -n "${DV_IMAPS_PORT:-}" ]; then
		v[source.type]=imap
		v[source.processed]=Processed
		v[source.set_aside]="Set aside"
		v[source.junk]=Junk
		v[imap.host]=127.0.0.1
		v[imap.port]=$DV_IMAPS_PORT
		v[imap.tls]=implicit
		v[imap.user]=comments@example.org
		v[imap.password_file]=$T_DIR/imap.pw
		v[imap.ca_file]=$TLS_CA
		v[imap.timeout]=10
	fi
	if [ -n "${SMTP_PORT:-}" ]; then
		v[transport.type]=smtp
		v[smtp.host]=127.0.0.1
		v[smtp.port]=$SMTP_PORT
		v[smtp.tls]=starttls
		v[smtp.ca_file]=$TLS_CA
		v[smtp.timeout]=10
	fi
	for kv in "$@"; do
		k=${kv%%=*}
		val=${kv#*=}
		if [ "$val" = - ]; then unset "v[$k]"; else v[$k]=$val; fi
	done
	for k in $(printf '%s\n' "${!v[@]}" | sort); do
		g=${k%%.*}
		if [ "$g" != "$last" ]; then
			[ -n "$last" ] && echo "};"
			echo "$g = {"
			last=$g
		fi
		val=${v[$k]}
		case $val in
		true | false | \[*) ;;
		*[!0-9-]* | '' | -) val="\"$val\"" ;;
		esac
		echo "  ${k#*.} = $val;"
	done >"$f"
	[ -n "$last" ] && echo "};" >>"$f"
}

# start_s3rver DIR BUCKET: an S3-protocol server on free loopback ports:
# npm s3rver (installed by scripts/deps.sh under $MC_NODE_PREFIX) stores
# the objects, behind tests/servers/s3verify.py, which checks each
# request's SigV4 signature with botocore (s3rver checks V2 only) for the
# key pair S3RVER / S3RVER, region us-east-1.  Sets S3_PORT (the checked
# front); both are stopped at exit.
start_s3rver() {
	local bin=${MC_NODE_PREFIX:-/opt/mailcomments-node}/node_modules/.bin/s3rver
	local back
	if [ ! -x "$bin" ]; then
		notok "s3rver is installed (scripts/deps.sh: $bin)"
		t_done
		exit 1
	fi
	back=$(free_port)
	S3_PORT=$(free_port)
	mkdir -p "$1"
	"$bin" -d "$1" -a 127.0.0.1 -p "$back" --no-vhost-buckets \
		--configure-bucket "$2" >"$1.log" 2>&1 &
	at_exit "kill $!"
	$PY "$T_SERVERS_DIR/s3verify.py" "$S3_PORT" "$back" S3RVER S3RVER \
		us-east-1 >"$1.verify.log" 2>&1 &
	at_exit "kill $!"
	if ! wait_for 20 port_open "$back" || ! wait_for 10 port_open "$S3_PORT"; then
		notok "s3rver started"
		head -20 "$1.log" "$1.verify.log" | diag
		t_done
		exit 1
	fi
}
