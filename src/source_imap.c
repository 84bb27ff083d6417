/* source_imap.c: the IMAP source, on libetpan's mailimap.
 *
 * One connection to one folder.  Messages are read with UID FETCH
 * BODY.PEEK[] so that nothing is marked seen before the pipeline has
 * committed its effect, after their RFC822.SIZE: one over
 * limits.message_size is fetched only as far as its head, a batch ends
 * before the message that would take it past limits.batch_bytes, and
 * bodies are asked for in groups of about a megabyte, so that no reply
 * holds much more than one message; acknowledging moves a message to the configured
 * folder (MOVE, or COPY + \Deleted + EXPUNGE where the server has no MOVE)
 * or only flags it \Seen.
 *
 * Acknowledgements are gathered and applied a batch at a time, after the
 * batch's commit: one UID MOVE (or STORE) per destination folder, its UID
 * set written as ranges (1:5,7,9:12).  The next fetch sends them after
 * reading its own batch and reads the answer only at the command after:
 * the server moves one batch while the next is parsed and stored.
 *
 * Position: the folder's UIDVALIDITY and the highest UID below which every
 * message was acknowledged are kept in the imap_state table, written in
 * each batch's own transaction (checkpoint), so that mail left in place
 * (flag-only mode) is not read again, and a crash between commit and
 * acknowledgement only re-reads messages that the processed table
 * recognises.  A new UIDVALIDITY starts the scan over.
 *
 * TLS: libetpan's GnuTLS build verifies nothing during the handshake, so
 * the chain is checked with tls_verify_chain() right after it, before any
 * credential is sent. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libetpan/libetpan.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "message.h"
#include "source.h"
#include "tls_verify.h"
#include "utf8.h"
#include "banned.h"

#define NDEST 3

struct imap_src {
	mailimap *imap;
	struct store *st;
	const char *name; /* the source's name, the imap_state key */
	char *host;
	char *ca_file;
	char *folder;       /* modified UTF-7, as the server names it */
	char *dest[NDEST];  /* per enum src_dest; NULL: only flag \Seen */
	int dest_ready[NDEST];
	int has_move, has_uidplus, has_idle;
	int broken;         /* the connection failed: all calls fail */
	long timeout, batch_size, idle_minutes, poll_interval;
	size_t max_size;    /* limits.message_size */
	size_t head;        /* what is read of a message over it */
	size_t budget;      /* limits.batch_bytes */

	uint32_t uidvalidity;
	uint32_t saved_uid; /* last_uid as stored */
	uint32_t cursor;    /* highest UID handed out in this session */
	uint32_t *queue;    /* UIDs found by the last search, not fetched */
	size_t nqueue, qpos;
	uint32_t *pending;  /* handed out, not yet acknowledged; ascending */
	size_t npending, cappending;
	uint32_t *acks[NDEST]; /* acknowledged, not yet applied, per dest */
	size_t nacks[NDEST], capacks[NDEST];
	/* A UID MOVE sent whose answer is not read yet (move_send): the
	 * server moves one batch while the next is parsed and stored.  Its
	 * UIDs stay pending (the position stays below them) until the
	 * answer says they moved. */
	int inflight_dest;  /* -1: none */
	uint32_t *inflight; /* its UIDs, ascending */
	size_t ninflight;
};

/* ---- small helpers ---- */

static int is_ip_literal(const char *host)
{
	unsigned char tmp[16];

	return inet_pton(AF_INET, host, tmp) == 1 ||
	       inet_pton(AF_INET6, host, tmp) == 1;
}

/* Folder names go to the server in modified UTF-7 (RFC 3501 5.1.3), so
 * that a French "Traités" names the folder a mail client shows. */
static char *mutf7_encode(const char *s)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	struct buf b;

	buf_init(&b);
	while (*p) {
		uint32_t acc = 0, cp;
		int nbits = 0;

		if (*p >= 0x20 && *p <= 0x7e) {
			if (*p == '&')
				buf_adds(&b, "&-");
			else
				buf_addc(&b, (char)*p);
			p++;
			continue;
		}
		buf_addc(&b, '&');
		while (*p && !(*p >= 0x20 && *p <= 0x7e)) {
			uint16_t units[2];
			size_t n = utf8_decode(
				p, len - (size_t)(p - (const unsigned char *)s),
				&cp);
			int i, nu;

			if (n == 0) {
				cp = 0xfffd;
				n = 1;
			}
			p += n;
			if (cp >= 0x10000) {
				cp -= 0x10000;
				units[0] = (uint16_t)(0xd800 + (cp >> 10));
				units[1] = (uint16_t)(0xdc00 + (cp & 0x3ff));
				nu = 2;
			} else {
				units[0] = (uint16_t)cp;
				nu = 1;
			}
			for (i = 0; i < nu; i++) {
				acc = (acc << 16) | units[i];
				nbits += 16;
				while (nbits >= 6) {
					nbits -= 6;
					buf_addc(&b, b64[(acc >> nbits) & 63]);
				}
				acc &= (1u << nbits) - 1;
			}
		}
		if (nbits > 0)
			buf_addc(&b, b64[(acc << (6 - nbits)) & 63]);
		buf_addc(&b, '-');
	}
	return buf_detach(&b);
}

/* What the server said last, for error messages. */
static const char *said(const struct imap_src *p)
{
	const char *r = p->imap ? p->imap->imap_response : NULL;

	return r && *r ? r : "no reason given";
}

/* Turns a libetpan result into a status and a message.  Errors of the
 * stream mean the connection is gone: everything after fails quickly. */
static int fail(struct imap_src *p, int r, const char *what,
		struct mc_err *err)
{
	switch (r) {
	case MAILIMAP_ERROR_STREAM:
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
	case MAILIMAP_ERROR_SSL:
		p->broken = 1;
		err_set(err, "imap: %s: connection to %s lost", what, p->host);
		return SRC_TEMPFAIL;
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
		p->broken = 1;
		err_set(err, "imap: %s refused the connection: %s", p->host,
			said(p));
		return SRC_TEMPFAIL;
	case MAILIMAP_ERROR_MEMORY:
		err_set(err, "imap: %s: out of memory", what);
		return SRC_ERROR;
	case MAILIMAP_ERROR_PARSE:
		p->broken = 1;
		err_set(err, "imap: %s: cannot parse the reply of %s", what,
			p->host);
		return SRC_ERROR;
	default:
		err_set(err, "imap: %s: %s", what, said(p));
		return SRC_ERROR;
	}
}

static int lost(const struct imap_src *p, struct mc_err *err)
{
	err_set(err, "imap: the connection to %s was lost", p->host);
	return SRC_TEMPFAIL;
}

/* ---- connecting ---- */

/* Connects with a bounded wait, so that an unreachable host and a refused
 * port each get their own clear message. */
static int tcp_connect(const char *host, long port, long timeout,
		       struct mc_err *err)
{
	struct addrinfo hints, *res, *ai;
	char service[16];
	int fd = -1, r, e = 0, flags;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%ld", port);
	r = getaddrinfo(host, service, &hints, &res);
	if (r != 0) {
		err_set(err, "imap: cannot resolve %s: %s", host,
			gai_strerror(r));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t elen = sizeof(e);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			e = 0;
		} else if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			do
				r = poll(&pfd, 1, (int)(timeout * 1000));
			while (r < 0 && errno == EINTR);
			if (r == 0)
				e = ETIMEDOUT;
			else if (r < 0 ||
				 getsockopt(fd, SOL_SOCKET, SO_ERROR, &e,
					    &elen) < 0)
				e = errno;
		} else {
			e = errno;
		}
		if (e == 0) {
			fcntl(fd, F_SETFL, flags);
			break;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		err_set(err, "imap: cannot connect to %s port %ld: %s", host,
			port, strerror(e));
	return fd;
}

static void tls_setup(struct mailstream_ssl_context *ctx, void *data)
{
	const char *host = data;

	/* SNI: the name of the service we mean, never an address. */
	if (!is_ip_literal(host))
		mailstream_ssl_set_server_name(ctx, (char *)host);
}

static int verify_stream(struct imap_src *p, mailstream *stream,
			 struct mc_err *err)
{
	carray *chain = mailstream_get_certificate_chain(stream);
	struct tls_der *der;
	unsigned i, n;
	int r;

	if (chain == NULL) {
		err_set(err, "imap: %s sent no certificate", p->host);
		return SRC_INSECURE;
	}
	n = carray_count(chain);
	der = xcalloc(n ? n : 1, sizeof(*der));
	for (i = 0; i < n; i++) {
		MMAPString *s = carray_get(chain, i);

		der[i].data = (const unsigned char *)s->str;
		der[i].len = s->len;
	}
	r = tls_verify_chain(der, n, p->host, p->ca_file, err);
	free(der);
	mailstream_certificate_chain_free(chain);
	if (r == TLS_VERIFY_OK)
		return 0;
	err_prefix(err, "imap: refusing to log in: ");
	if (r != TLS_VERIFY_UNTRUSTED)
		return SRC_CONFIG;
	if (err != NULL && p->ca_file == NULL) {
		size_t len = strlen(err->msg);

		snprintf(err->msg + len, sizeof(err->msg) - len,
			 " (for a private CA, set imap.ca_file)");
	}
	return SRC_INSECURE;
}

static int refresh_caps(struct imap_src *p, struct mc_err *err)
{
	struct mailimap_capability_data *caps = NULL;
	int r = mailimap_capability(p->imap, &caps);

	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "CAPABILITY", err);
	mailimap_capability_data_free(caps);
	return 0;
}

static int connect_server(struct imap_src *p, const struct conf *c,
			  struct mc_err *err)
{
	mailstream *stream;
	int fd, r, implicit = strcmp(c->imap_tls, "implicit") == 0;

	fd = tcp_connect(p->host, c->imap_port, p->timeout, err);
	if (fd < 0)
		return SRC_TEMPFAIL;
	if (implicit) {
		stream = mailstream_ssl_open_with_callback_timeout(
			fd, (time_t)p->timeout, tls_setup, p->host);
		if (stream == NULL) {
			close(fd);
			err_set(err, "imap: TLS handshake with %s port %ld "
				"failed (is it an implicit TLS port?)",
				p->host, c->imap_port);
			return SRC_TEMPFAIL;
		}
		r = verify_stream(p, stream, err);
		if (r < 0) {
			mailstream_close(stream);
			return r;
		}
	} else {
		stream = mailstream_socket_open_timeout(fd, (time_t)p->timeout);
		if (stream == NULL) {
			close(fd);
			err_set(err, "imap: out of memory");
			return SRC_ERROR;
		}
	}
	/* From here the session owns the stream. */
	r = mailimap_connect(p->imap, stream);
	if (r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		return fail(p, r, "greeting", err);
	if (strcmp(c->imap_tls, "starttls") == 0) {
		if (p->imap->imap_connection_info == NULL ||
		    p->imap->imap_connection_info->imap_capability == NULL) {
			r = refresh_caps(p, err);
			if (r < 0)
				return r;
		}
		if (!mailimap_has_extension(p->imap, "STARTTLS")) {
			err_set(err, "imap: %s does not offer STARTTLS; refusing "
				"to log in in plain text", p->host);
			return SRC_INSECURE;
		}
		r = mailimap_socket_starttls_with_callback(p->imap, tls_setup,
							   p->host);
		if (r != MAILIMAP_NO_ERROR) {
			p->broken = 1;
			err_set(err, "imap: STARTTLS with %s failed: %s",
				p->host, r == MAILIMAP_ERROR_STREAM ?
					"TLS handshake failed" : said(p));
			return SRC_TEMPFAIL;
		}
		r = verify_stream(p, p->imap->imap_stream, err);
		if (r < 0)
			return r;
		/* Capabilities seen before TLS are not to be trusted. */
		r = refresh_caps(p, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int login(struct imap_src *p, const struct conf *c,
		 struct mc_err *err)
{
	char *secret = NULL;
	int r;

	if (p->imap->imap_state == MAILIMAP_STATE_AUTHENTICATED)
		return 0; /* PREAUTH */
	if (conf_read_secret(c->imap_password_file, c->imap_password_env,
			     &secret, err) < 0) {
		err_prefix(err, "imap: password: ");
		return SRC_CONFIG;
	}
	if (strcmp(c->imap_auth, "xoauth2") == 0) {
		if (!mailimap_has_xoauth2(p->imap)) {
			r = SRC_CONFIG;
			err_set(err, "imap: %s does not offer XOAUTH2 (set "
				"imap.auth to \"login\" or \"plain\")", p->host);
			goto done;
		}
		r = mailimap_oauth2_authenticate(p->imap, c->imap_user, secret);
	} else if (strcmp(c->imap_auth, "plain") == 0) {
		if (!mailimap_has_authentication(p->imap, "PLAIN")) {
			r = SRC_CONFIG;
			err_set(err, "imap: %s does not offer AUTHENTICATE "
				"PLAIN (set imap.auth to \"login\")", p->host);
			goto done;
		}
		r = mailimap_authenticate(p->imap, "PLAIN", p->host, NULL,
					  NULL, c->imap_user, c->imap_user,
					  secret, NULL);
	} else {
		if (mailimap_has_extension(p->imap, "LOGINDISABLED")) {
			r = SRC_CONFIG;
			err_set(err, "imap: %s does not allow LOGIN (try "
				"imap.auth = \"plain\")", p->host);
			goto done;
		}
		r = mailimap_login(p->imap, c->imap_user, secret);
	}
	if (r == MAILIMAP_NO_ERROR) {
		r = 0;
	} else if (r == MAILIMAP_ERROR_STREAM) {
		r = fail(p, r, "login", err);
	} else {
		err_set(err, "imap: %s refused the login of %s: %s", p->host,
			c->imap_user, said(p));
		r = SRC_AUTHFAIL;
	}
done:
	explicit_bzero(secret, strlen(secret));
	free(secret);
	return r;
}

/* ---- position in the folder ---- */

static int state_load(struct imap_src *p, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		p->st,
		"SELECT uidvalidity, last_uid FROM imap_state WHERE source = ?",
		err);
	int rc;

	if (stmt == NULL)
		return SRC_ERROR;
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	p->saved_uid = 0;
	if (rc == SQLITE_ROW &&
	    (uint32_t)sqlite3_column_int64(stmt, 0) == p->uidvalidity)
		p->saved_uid = (uint32_t)sqlite3_column_int64(stmt, 1);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err_set(err, "imap: reading the folder position: %s",
			sqlite3_errmsg(store_db(p->st)));
		return SRC_ERROR;
	}
	p->cursor = p->saved_uid;
	return 0;
}

/* The position below which every message was acknowledged: a message
 * handed out but not acknowledged holds it back, so it is read again
 * next time rather than skipped. */
static uint32_t safe_uid(const struct imap_src *p)
{
	return p->npending ? p->pending[0] - 1 : p->cursor;
}

static int state_save(struct imap_src *p, int force, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	uint32_t uid = safe_uid(p);

	if (!force && uid == p->saved_uid)
		return 0;
	stmt = store_stmt(p->st,
			  "INSERT INTO imap_state (source, uidvalidity, "
			  "last_uid, updated_at) VALUES (?, ?, ?, ?) "
			  "ON CONFLICT (source) DO UPDATE SET "
			  "uidvalidity = excluded.uidvalidity, "
			  "last_uid = excluded.last_uid, "
			  "updated_at = excluded.updated_at",
			  err);
	if (stmt == NULL)
		return SRC_ERROR;
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, p->uidvalidity);
	sqlite3_bind_int64(stmt, 3, uid);
	sqlite3_bind_int64(stmt, 4, now());
	if (store_step_done(p->st, stmt, err) < 0) {
		err_prefix(err, "imap: saving the folder position: ");
		return SRC_ERROR;
	}
	p->saved_uid = uid;
	return 0;
}

static void pending_add(struct imap_src *p, uint32_t uid)
{
	if (p->npending == p->cappending) {
		p->cappending = p->cappending ? 2 * p->cappending : 64;
		p->pending = xrealloc(p->pending,
				      p->cappending * sizeof(*p->pending));
	}
	/* UIDs are handed out in ascending order: append keeps it sorted. */
	p->pending[p->npending++] = uid;
}

static void pending_remove(struct imap_src *p, uint32_t uid)
{
	size_t lo = 0, hi = p->npending;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->pending[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->npending && p->pending[lo] == uid) {
		memmove(p->pending + lo, p->pending + lo + 1,
			(p->npending - lo - 1) * sizeof(*p->pending));
		p->npending--;
	}
}

/* ---- the source operations ---- */

static void free_priv(struct imap_src *p)
{
	int i;

	if (p->imap)
		mailimap_free(p->imap);
	free(p->host);
	free(p->ca_file);
	free(p->folder);
	for (i = 0; i < NDEST; i++) {
		free(p->dest[i]);
		free(p->acks[i]);
	}
	free(p->queue);
	free(p->pending);
	free(p->inflight);
	free(p);
}

/* libetpan writes to its socket without MSG_NOSIGNAL: a server that
 * closed the connection must be an error to report, not the end of the
 * process.  A handler the program installed is left alone. */
static void ignore_sigpipe(void)
{
	struct sigaction sa;

	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL) {
		sa.sa_handler = SIG_IGN;
		sigaction(SIGPIPE, &sa, NULL);
	}
}

static char *dest_folder(const char *name)
{
	return name[0] ? mutf7_encode(name) : NULL;
}

static int imap_open(struct source *s, const struct conf *c, const char *path,
		     struct mc_err *err)
{
	struct imap_src *p;
	int r;

	(void)path;
	if (s->store == NULL) {
		err_set(err, "imap: the IMAP source needs the database");
		return SRC_ERROR;
	}
	if (c->imap_host[0] == '\0' || c->imap_user[0] == '\0') {
		err_set(err, "imap: imap.host and imap.user must be set");
		return SRC_CONFIG;
	}
	if (strcmp(c->imap_tls, "none") == 0 &&
	    !conf_is_loopback(c->imap_host)) {
		err_set(err, "imap: refusing plain text to %s: tls = \"none\" "
			"is only for a loopback host", c->imap_host);
		return SRC_CONFIG;
	}
	ignore_sigpipe();
	p = xcalloc(1, sizeof(*p));
	p->inflight_dest = -1;
	p->st = s->store;
	p->host = xstrdup(c->imap_host);
	p->ca_file = c->imap_ca_file[0] ? xstrdup(c->imap_ca_file) : NULL;
	p->folder = mutf7_encode(c->imap_folder);
	p->dest[SRC_PROCESSED] = dest_folder(c->source_processed);
	p->dest[SRC_SET_ASIDE] = dest_folder(c->source_set_aside);
	p->dest[SRC_JUNK] = dest_folder(c->source_junk[0] ?
						c->source_junk :
						c->source_set_aside);
	p->timeout = c->imap_timeout;
	p->batch_size = c->imap_batch_size;
	s->batch_max = (size_t)c->imap_batch_size;
	p->idle_minutes = c->imap_idle_minutes;
	p->poll_interval = c->source_poll_interval;
	p->max_size = (size_t)c->limit_message_size;
	p->head = p->max_size < MSG_HEAD_SIZE ? p->max_size : MSG_HEAD_SIZE;
	p->budget = (size_t)c->limit_batch_bytes;
	/* The mailbox, not the way to it: a change of port or TLS mode
	 * keeps the position. */
	s->name = xasprintf("imap://%s@%s/%s", c->imap_user, c->imap_host,
			    c->imap_folder);
	p->name = s->name;
	p->imap = mailimap_new(0, NULL);
	if (p->imap == NULL) {
		free_priv(p);
		err_set(err, "imap: out of memory");
		return SRC_ERROR;
	}
	mailimap_set_timeout(p->imap, (time_t)p->timeout);

	r = connect_server(p, c, err);
	if (r == 0)
		r = login(p, c, err);
	if (r == 0)
		r = refresh_caps(p, err);
	if (r == 0) {
		p->has_move = mailimap_has_extension(p->imap, "MOVE");
		p->has_uidplus = mailimap_has_uidplus(p->imap);
		p->has_idle = mailimap_has_idle(p->imap);
		r = mailimap_select(p->imap, p->folder);
		if (r == MAILIMAP_NO_ERROR) {
			p->uidvalidity =
				p->imap->imap_selection_info->sel_uidvalidity;
			r = state_load(p, err);
			if (r == 0)
				r = state_save(p, 1, err);
		} else if (r == MAILIMAP_ERROR_STREAM) {
			r = fail(p, r, "SELECT", err);
		} else {
			err_set(err, "imap: cannot open folder \"%s\" on %s: "
				"%s", c->imap_folder, p->host, said(p));
			r = SRC_CONFIG;
		}
	}
	if (r < 0) {
		free_priv(p);
		return r;
	}
	s->priv = p;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Finds the UIDs after the cursor.  "UID n:*" always matches the last
 * message even when its UID is below n, hence the filter. */
static int search_new(struct imap_src *p, struct mc_err *err)
{
	struct mailimap_search_key *key;
	clist *result = NULL;
	clistiter *it;
	size_t n = 0;
	int r;

	key = mailimap_search_key_new_uid(
		mailimap_set_new_interval(p->cursor + 1, 0));
	r = mailimap_uid_search(p->imap, NULL, key, &result);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "UID SEARCH", err);
	free(p->queue);
	p->queue = xcalloc((size_t)clist_count(result) + 1,
			   sizeof(*p->queue));
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		uint32_t uid = *(uint32_t *)clist_content(it);

		if (uid > p->cursor)
			p->queue[n++] = uid;
	}
	mailimap_search_result_free(result);
	/* Servers answer in ascending order; do not depend on it. */
	qsort(p->queue, n, sizeof(*p->queue), cmp_u32);
	p->nqueue = n;
	p->qpos = 0;
	return 0;
}

static struct mailimap_set *uid_set(const uint32_t *uids, size_t n)
{
	struct mailimap_set *set = mailimap_set_new_empty();
	size_t i = 0;

	while (i < n) {
		size_t j = i;

		while (j + 1 < n && uids[j + 1] == uids[j] + 1)
			j++;
		mailimap_set_add_interval(set, uids[i], uids[j]);
		i = j + 1;
	}
	return set;
}

/* A message of the batch being fetched. */
struct want {
	uint32_t uid;
	size_t size;    /* RFC822.SIZE */
	int head;       /* over the size limit: only its head is fetched */
	int got;        /* its bytes arrived */
	struct buf raw;
};

static int cmp_want(const void *a, const void *b)
{
	uint32_t x = ((const struct want *)a)->uid;
	uint32_t y = ((const struct want *)b)->uid;

	return x < y ? -1 : x > y;
}

/* Reads the UID, RFC822.SIZE and body of one FETCH response. */
static void msg_att_parts(struct mailimap_msg_att *att, uint32_t *uid,
			  uint32_t *size, const char **body, size_t *len)
{
	clistiter *it;

	*uid = 0;
	*size = 0;
	*body = NULL;
	*len = 0;
	for (it = clist_begin(att->att_list); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);
		struct mailimap_msg_att_static *st;

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		st = item->att_data.att_static;
		if (st->att_type == MAILIMAP_MSG_ATT_UID) {
			*uid = st->att_data.att_uid;
		} else if (st->att_type == MAILIMAP_MSG_ATT_RFC822_SIZE) {
			*size = st->att_data.att_rfc822_size;
		} else if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION &&
			   st->att_data.att_body_section != NULL) {
			*body = st->att_data.att_body_section->sec_body_part;
			*len = st->att_data.att_body_section->sec_length;
		}
	}
}

/* UID FETCH uids (UID RFC822.SIZE): fills w with the messages that
 * still exist, in UID order, and *nw. */
static int fetch_sizes(struct imap_src *p, const uint32_t *uids, size_t k,
		       struct want *w, size_t *nw, struct mc_err *err)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	clist *result = NULL;
	clistiter *it;
	size_t i, n = 0;
	int r;

	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
						   mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(
		ft, mailimap_fetch_att_new_rfc822_size());
	set = uid_set(uids, k);
	r = mailimap_uid_fetch(p->imap, set, ft, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "UID FETCH", err);
	for (it = clist_begin(result); it != NULL && n < k;
	     it = clist_next(it)) {
		uint32_t uid, size;
		const char *body;
		size_t len;

		msg_att_parts(clist_content(it), &uid, &size, &body, &len);
		/* only what was asked: "UID n:*" answers the last message */
		if (uid == 0 || bsearch(&uid, uids, k, sizeof(*uids),
					cmp_u32) == NULL)
			continue;
		memset(&w[n], 0, sizeof(w[n]));
		w[n].uid = uid;
		w[n].size = size;
		n++;
	}
	mailimap_fetch_list_free(result);
	qsort(w, n, sizeof(*w), cmp_want);
	/* a server that repeats itself: once each */
	for (i = 1, *nw = n ? 1 : 0; i < n; i++)
		if (w[i].uid != w[*nw - 1].uid)
			w[(*nw)++] = w[i];
	return 0;
}

/* UID FETCH of the bodies of w[idx[0..n)]: BODY.PEEK[] (nothing is
 * marked seen before it is committed), at most limits.message_size + 1
 * bytes of each (a server that understated RFC822.SIZE gives no more),
 * or only the head of those over the limit (head != 0). */
static int fetch_bodies(struct imap_src *p, struct want *w, size_t nw,
			const size_t *idx, size_t n, int head,
			struct mc_err *err)
{
	struct mailimap_fetch_type *ft;
	struct mailimap_set *set;
	clist *result = NULL;
	clistiter *it;
	uint32_t *uids = xcalloc(n, sizeof(*uids));
	size_t i;
	int r;

	for (i = 0; i < n; i++)
		uids[i] = w[idx[i]].uid;
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
						   mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(
		ft, mailimap_fetch_att_new_body_peek_section_partial(
			    mailimap_section_new(NULL), 0,
			    (uint32_t)(head ? p->head : p->max_size + 1)));
	set = uid_set(uids, n);
	free(uids);
	r = mailimap_uid_fetch(p->imap, set, ft, &result);
	mailimap_set_free(set);
	mailimap_fetch_type_free(ft);
	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "UID FETCH", err);
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		struct want key, *f;
		uint32_t size;
		const char *body;
		size_t len;

		msg_att_parts(clist_content(it), &key.uid, &size, &body, &len);
		f = bsearch(&key, w, nw, sizeof(*w), cmp_want);
		if (f == NULL || f->got || f->head != head)
			continue;
		f->got = 1;
		buf_init(&f->raw);
		if (body)
			buf_add(&f->raw, body, len);
	}
	/* libetpan's copy of the group goes before the next is read */
	mailimap_fetch_list_free(result);
	return 0;
}

/* Bodies are asked for in groups of at most this many bytes (or one
 * message), so that libetpan, which holds a whole reply, never holds
 * much more than one message besides the batch. */
#define GROUP_BYTES (1u << 20)

/* Fetches the bodies of w[0..nw), heads first, group by group. */
static int fetch_all(struct imap_src *p, struct want *w, size_t nw,
		     struct mc_err *err)
{
	size_t *idx = xcalloc(nw + 1, sizeof(*idx)), i, n, bytes;
	int head, r = 0;

	for (head = 1; head >= 0 && r == 0; head--) {
		n = bytes = 0;
		for (i = 0; i <= nw && r == 0; i++) {
			size_t b = i < nw ? (w[i].head ? p->head : w[i].size) :
					    0;

			if (i < nw && w[i].head != head)
				continue;
			if (n > 0 && (i == nw || bytes + b > GROUP_BYTES)) {
				r = fetch_bodies(p, w, nw, idx, n, head, err);
				n = bytes = 0;
			}
			if (i < nw) {
				idx[n++] = i;
				bytes += b;
			}
		}
	}
	free(idx);
	return r;
}

/* Fills batch from the UIDs uids[0..k), oldest first, within the byte
 * budget: *used tells how many of the UIDs were dealt with (the rest
 * come first in the next batch). */
static int fetch_uids(struct imap_src *p, const uint32_t *uids, size_t k,
		      struct src_msg *batch, size_t *n, size_t *used,
		      struct mc_err *err)
{
	struct want *w = xcalloc(k + 1, sizeof(*w));
	size_t nw = 0, take, i, held = 0;
	int r;

	*used = k;
	/* sizes first: what is over the limit is never fetched whole */
	r = fetch_sizes(p, uids, k, w, &nw, err);
	for (take = 0; r == 0 && take < nw; take++) {
		size_t b;

		w[take].head = w[take].size > p->max_size;
		b = w[take].head ? p->head : w[take].size;
		if (take > 0 && held + b > p->budget) {
			/* this one starts the next batch */
			for (*used = 0; uids[*used] != w[take].uid; (*used)++)
				;
			break;
		}
		held += b;
	}
	if (r == 0)
		r = fetch_all(p, w, take, err);
	for (i = 0; i < take; i++) {
		if (r < 0 || !w[i].got) {
			/* expunged meanwhile: absent */
			buf_free(&w[i].raw);
			continue;
		}
		batch[*n].id = xasprintf("%u", w[i].uid);
		batch[*n].raw = w[i].raw;
		batch[*n].size = w[i].raw.len;
		if (w[i].head && w[i].size > batch[*n].size)
			batch[*n].size = w[i].size;
		else if (batch[*n].size > p->max_size && batch[*n].size > p->head)
			/* RFC822.SIZE understated it: keep only the head */
			buf_truncate(&batch[*n].raw, p->head);
		(*n)++;
		pending_add(p, w[i].uid);
	}
	free(w);
	return r;
}

static int flush_acks(struct imap_src *p, int later, struct mc_err *err);
static int move_finish(struct imap_src *p, struct mc_err *err);

static int imap_fetch(struct source *s, struct src_msg *batch, size_t max,
		      size_t *n, struct mc_err *err)
{
	struct imap_src *p = s->priv;
	int r;

	*n = 0;
	if (p->broken)
		return lost(p, err);
	/* The answer to the MOVE sent with the last fetch: the server had
	 * it while the caller stored that batch. */
	r = move_finish(p, err);
	if (r < 0)
		return r;
	if ((size_t)p->batch_size < max)
		max = (size_t)p->batch_size;
	while (*n == 0 && max > 0) {
		size_t k, used;

		if (p->qpos >= p->nqueue) {
			r = search_new(p, err);
			if (r < 0)
				return r;
			if (p->nqueue == 0)
				break;
		}
		k = p->nqueue - p->qpos;
		if (k > max)
			k = max;
		r = fetch_uids(p, p->queue + p->qpos, k, batch, n, &used, err);
		if (r < 0) {
			src_msgs_clear(batch, *n);
			*n = 0;
			return r;
		}
		if (used == 0)
			break; /* cannot happen: the first always fits */
		p->qpos += used;
		p->cursor = p->queue[p->qpos - 1];
	}
	/* Then what the caller acknowledged since the last fetch (the batch
	 * it committed): sent now, its answer read at the next command, so
	 * that the server moves that batch while this one is stored.  The
	 * position is not written here: each batch's checkpoint writes it
	 * in the batch's own transaction. */
	r = flush_acks(p, 1, err);
	if (r < 0) {
		/* still pending: read again next time */
		src_msgs_clear(batch, *n);
		*n = 0;
	}
	return r;
}

/* Makes sure a destination folder exists, creating (and subscribing) it
 * the first time it is needed. */
static int ensure_folder(struct imap_src *p, int d, struct mc_err *err)
{
	clist *list = NULL;
	int r, found;

	if (p->dest_ready[d])
		return 0;
	r = mailimap_list(p->imap, "", p->dest[d], &list);
	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "LIST", err);
	found = clist_count(list) > 0;
	mailimap_list_result_free(list);
	if (!found) {
		r = mailimap_create(p->imap, p->dest[d]);
		if (r != MAILIMAP_NO_ERROR) {
			r = fail(p, r, "CREATE", err);
			err_prefix(err, "folder %s: ", p->dest[d]);
			return r;
		}
		/* Only so that mail clients show it; not needed by us. */
		r = mailimap_subscribe(p->imap, p->dest[d]);
		if (r == MAILIMAP_ERROR_STREAM)
			return fail(p, r, "SUBSCRIBE", err);
	}
	p->dest_ready[d] = 1;
	return 0;
}

static int store_flags(struct imap_src *p, struct mailimap_set *set,
		       int deleted, struct mc_err *err)
{
	struct mailimap_flag_list *fl = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *sf;
	int r;

	mailimap_flag_list_add(fl, mailimap_flag_new_seen());
	if (deleted)
		mailimap_flag_list_add(fl, mailimap_flag_new_deleted());
	sf = mailimap_store_att_flags_new_add_flags_silent(fl);
	r = mailimap_uid_store(p->imap, set, sf);
	mailimap_store_att_flags_free(sf);
	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "UID STORE", err);
	return 0;
}

static int move_to(struct imap_src *p, struct mailimap_set *set, int d,
		   struct mc_err *err)
{
	int r;

	if (p->has_move) {
		r = mailimap_uid_move(p->imap, set, p->dest[d]);
		return r == MAILIMAP_NO_ERROR ? 0 :
						fail(p, r, "UID MOVE", err);
	}
	r = mailimap_uid_copy(p->imap, set, p->dest[d]);
	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "UID COPY", err);
	r = store_flags(p, set, 1, err);
	if (r < 0)
		return r;
	/* Without UIDPLUS, EXPUNGE also removes whatever else a person
	 * marked \Deleted in this folder: it would be at the next EXPUNGE of
	 * any client anyway. */
	r = p->has_uidplus ? mailimap_uid_expunge(p->imap, set) :
			     mailimap_expunge(p->imap);
	return r == MAILIMAP_NO_ERROR ? 0 : fail(p, r, "EXPUNGE", err);
}

/* "1:5,7,9:12": the set as the server reads it, for the debug log. */
static char *uid_set_text(const uint32_t *uids, size_t n)
{
	struct buf b;
	size_t i = 0;

	buf_init(&b);
	while (i < n) {
		size_t j = i;

		while (j + 1 < n && uids[j + 1] == uids[j] + 1)
			j++;
		if (j > i)
			buf_addf(&b, "%s%u:%u", b.len ? "," : "", uids[i],
				 uids[j]);
		else
			buf_addf(&b, "%s%u", b.len ? "," : "", uids[i]);
		i = j + 1;
	}
	return buf_detach(&b);
}

/* What a destination's command did to uids: the debug line that the
 * tests count, and the messages are no longer pending. */
static void applied(struct imap_src *p, int d, const uint32_t *uids,
		    size_t n)
{
	char *text = uid_set_text(uids, n);
	size_t i;

	log_debug("imap: %s %zu message%s: UID %s",
		  p->dest[d] ? "moved" : "marked seen", n, n == 1 ? "" : "s",
		  text);
	free(text);
	for (i = 0; i < n; i++)
		pending_remove(p, uids[i]);
}

/* Moves uids to destination d and waits for the answer, creating the
 * folder the first time; once more when it fails (the folder may have
 * been deleted meanwhile). */
static int move_now(struct imap_src *p, int d, const uint32_t *uids,
		    size_t n, struct mc_err *err)
{
	struct mailimap_set *set = uid_set(uids, n);
	int r;

	if (p->dest[d] == NULL) {
		r = store_flags(p, set, 0, err);
	} else {
		r = ensure_folder(p, d, err);
		if (r == 0)
			r = move_to(p, set, d, err);
		if (r == SRC_ERROR && !p->broken) {
			p->dest_ready[d] = 0;
			r = ensure_folder(p, d, err);
			if (r == 0)
				r = move_to(p, set, d, err);
		}
	}
	mailimap_set_free(set);
	if (r == 0)
		applied(p, d, uids, n);
	return r;
}

/* The folder's name as an IMAP quoted string, or NULL when it cannot be
 * one (CR, LF, 8-bit: libetpan's own command sends a literal then). */
static char *quoted(const char *mb)
{
	struct buf b;
	const char *q;

	for (q = mb; *q; q++)
		if (*q == '\r' || *q == '\n' || (unsigned char)*q >= 0x80)
			return NULL;
	buf_init(&b);
	buf_addc(&b, '"');
	for (q = mb; *q; q++) {
		if (*q == '"' || *q == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *q);
	}
	buf_addc(&b, '"');
	return buf_detach(&b);
}

/* Reads the answer to the UID MOVE in flight, if any.  A refusal is
 * tried again at once, in full (move_now). */
static int move_finish(struct imap_src *p, struct mc_err *err)
{
	struct mailimap_response *resp = NULL;
	int d = p->inflight_dest, r, ok = 0;
	uint32_t *uids = p->inflight;
	size_t n = p->ninflight;

	if (d < 0)
		return 0;
	p->inflight_dest = -1;
	p->inflight = NULL;
	p->ninflight = 0;
	if (mailimap_read_line(p->imap) == NULL)
		r = MAILIMAP_ERROR_STREAM;
	else
		r = mailimap_parse_response(p->imap, &resp);
	if (r == MAILIMAP_NO_ERROR) {
		ok = resp->rsp_resp_done != NULL &&
		     resp->rsp_resp_done->rsp_type ==
			     MAILIMAP_RESP_DONE_TYPE_TAGGED &&
		     resp->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state
				     ->rsp_type == MAILIMAP_RESP_COND_STATE_OK;
		mailimap_response_free(resp);
		if (ok)
			applied(p, d, uids, n);
		else
			r = move_now(p, d, uids, n, err);
	} else {
		r = fail(p, r, "UID MOVE", err);
	}
	free(uids);
	return r;
}

/* Sends UID MOVE of destination d's acknowledgements without waiting
 * for the answer (move_finish reads it before the next command).  1 when
 * sent, 0 when this one must go the usual way, < 0 on error. */
static int move_send(struct imap_src *p, int d, struct mc_err *err)
{
	char *mb, *set;
	struct buf cmd;
	int r;

	if (!p->has_move || p->dest[d] == NULL)
		return 0;
	mb = quoted(p->dest[d]);
	if (mb == NULL)
		return 0;
	r = ensure_folder(p, d, err);
	if (r < 0) {
		free(mb);
		return r;
	}
	qsort(p->acks[d], p->nacks[d], sizeof(*p->acks[d]), cmp_u32);
	set = uid_set_text(p->acks[d], p->nacks[d]);
	buf_init(&cmd);
	buf_addf(&cmd, "UID MOVE %s %s\r\n", set, mb);
	free(set);
	free(mb);
	r = mailimap_send_current_tag(p->imap);
	if (r == MAILIMAP_NO_ERROR &&
	    (mailstream_write(p->imap->imap_stream, cmd.s, cmd.len) !=
		     (ssize_t)cmd.len ||
	     mailstream_flush(p->imap->imap_stream) == -1))
		r = MAILIMAP_ERROR_STREAM;
	buf_free(&cmd);
	if (r != MAILIMAP_NO_ERROR)
		return fail(p, r, "UID MOVE", err);
	/* the acknowledgements become the command in flight */
	p->inflight_dest = d;
	p->inflight = p->acks[d];
	p->ninflight = p->nacks[d];
	p->acks[d] = NULL;
	p->nacks[d] = p->capacks[d] = 0;
	return 1;
}

/* Applies the acknowledgements gathered for destination d with one
 * command for all of them; with later, without waiting for the answer
 * where it can.  Whatever happens they are forgotten: a message whose
 * move failed is still in the folder, after the saved position, and is
 * read again next time (the pipeline recognises it). */
static int flush_dest(struct imap_src *p, int d, int later,
		      struct mc_err *err)
{
	int r;

	if (p->nacks[d] == 0)
		return 0; /* and the command in flight stays so */
	r = move_finish(p, err);
	if (r < 0) {
		p->nacks[d] = 0;
		return r;
	}
	if (later) {
		r = move_send(p, d, err);
		if (r != 0) {
			p->nacks[d] = 0;
			return r < 0 ? r : 0;
		}
	}
	qsort(p->acks[d], p->nacks[d], sizeof(*p->acks[d]), cmp_u32);
	r = move_now(p, d, p->acks[d], p->nacks[d], err);
	p->nacks[d] = 0;
	return r;
}

/* Every destination's acknowledgements; with later, the last command
 * is left in flight.  Without, nothing is. */
static int flush_acks(struct imap_src *p, int later, struct mc_err *err)
{
	int i, d, r, first = 0;

	/* Processed last: with later, the command left in flight is the
	 * one for most of the batch */
	for (i = 0; i < NDEST; i++) {
		d = NDEST - 1 - i;
		if (p->broken) {
			p->nacks[d] = 0;
			continue;
		}
		r = flush_dest(p, d, later, err);
		if (r < 0 && first == 0)
			first = r;
	}
	if (!later && !p->broken) {
		r = move_finish(p, err);
		if (r < 0 && first == 0)
			first = r;
	}
	return first;
}

/* Acknowledgements are gathered and applied a batch at a time (one UID
 * MOVE for a thousand messages instead of a thousand): with the next
 * fetch, wait or close, or when more than imap.batch_size of them wait
 * for one folder. */
static int imap_ack(struct source *s, const struct src_msg *m,
		    enum src_dest dest, struct mc_err *err)
{
	struct imap_src *p = s->priv;
	unsigned long uid;
	char *end;
	int d = (int)dest;

	if (p->broken)
		return lost(p, err);
	errno = 0;
	uid = strtoul(m->id, &end, 10);
	if (errno || *end || uid == 0 || uid > UINT32_MAX) {
		err_set(err, "imap: \"%s\" is not a UID", m->id);
		return SRC_ERROR;
	}
	if (d < 0 || d >= NDEST)
		d = SRC_SET_ASIDE;
	if (p->nacks[d] == p->capacks[d]) {
		p->capacks[d] = p->capacks[d] ? 2 * p->capacks[d] : 64;
		p->acks[d] = xrealloc(p->acks[d],
				      p->capacks[d] * sizeof(*p->acks[d]));
	}
	p->acks[d][p->nacks[d]++] = (uint32_t)uid;
	/* a caller that acknowledges more than a batch without fetching */
	if (p->nacks[d] > (size_t)p->batch_size)
		return flush_dest(p, d, 0, err);
	return 0;
}

/* 1 if the folder holds a message after the cursor. */
static int has_new(struct imap_src *p, struct mc_err *err)
{
	int r;

	if (p->qpos < p->nqueue)
		return 1;
	r = search_new(p, err);
	if (r < 0)
		return r;
	return p->nqueue > 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until the deadline, data on the connection, or an interrupt. */
static void idle_until(struct source *s, struct imap_src *p, int64_t until)
{
	struct pollfd pfd;
	int64_t left;

	pfd.fd = mailimap_idle_get_fd(p->imap);
	pfd.events = POLLIN;
	while (!s->interrupted) {
		/* A reply may already sit in libetpan's buffer. */
		if (p->imap->imap_stream->read_buffer_len > 0)
			return;
		left = until - now_ms();
		if (left <= 0)
			return;
		/* Short slices: a signal that arrives between the check of
		 * s->interrupted and poll() is still seen within 250 ms. */
		if (poll(&pfd, 1, left > 250 ? 250 : (int)left) > 0)
			return;
	}
}

static int imap_wait(struct source *s, int seconds, struct mc_err *err)
{
	struct imap_src *p = s->priv;
	int64_t deadline = now_ms() + (int64_t)seconds * 1000;
	int r;

	if (p->broken)
		return lost(p, err);
	r = flush_acks(p, 0, err);
	if (r == 0)
		r = state_save(p, 0, err);
	if (r < 0)
		return r;
	if (!p->has_idle) {
		int64_t until = now_ms() + (seconds < p->poll_interval ?
						    seconds :
						    p->poll_interval) *
						   1000;

		while (!s->interrupted && now_ms() < until)
			poll(NULL, 0, 250);
		return s->interrupted ? 0 : 1;
	}
	while (!s->interrupted) {
		int64_t until = now_ms() + p->idle_minutes * 60 * 1000;

		/* Mail that came after the last search is not announced by
		 * IDLE: look first. */
		r = has_new(p, err);
		if (r != 0)
			return r;
		if (until > deadline)
			until = deadline;
		if (until <= now_ms())
			return 0;
		r = mailimap_idle(p->imap);
		if (r != MAILIMAP_NO_ERROR)
			return fail(p, r, "IDLE", err);
		idle_until(s, p, until);
		r = mailimap_idle_done(p->imap);
		if (r != MAILIMAP_NO_ERROR)
			return fail(p, r, "IDLE", err);
		if (p->imap->imap_selection_info->sel_has_exists)
			return s->interrupted ? 0 : 1;
		/* Timed out, or only a keep-alive: renew, until the
		 * deadline. */
	}
	return 0;
}

static int imap_flush(struct source *s, struct mc_err *err)
{
	struct imap_src *p = s->priv;

	if (p->broken)
		return lost(p, err);
	/* Nothing waits for them: the next fetch sends them after reading
	 * its batch (the server then moves them while that batch is
	 * stored), or the wait or the close does. */
	return 0;
}

/* In the batch's transaction: the batch's messages are pending, so the
 * position written stays below them until a later checkpoint (or the
 * close) finds them acknowledged.  If that transaction rolls back, the
 * database keeps an older, lower position: more is read again, nothing
 * is skipped. */
static int imap_checkpoint(struct source *s, struct mc_err *err)
{
	return state_save(s->priv, 0, err);
}

static void imap_close(struct source *s)
{
	struct imap_src *p = s->priv;

	if (p == NULL)
		return;
	/* Failing here only means reading some messages again: they are
	 * still in the folder, after the saved position. */
	flush_acks(p, 0, NULL);
	state_save(p, 0, NULL);
	if (!p->broken)
		mailimap_logout(p->imap);
	free_priv(p);
	s->priv = NULL;
}

const struct source_ops source_imap_ops = {
	"imap", imap_open, imap_fetch, imap_ack, imap_flush, imap_checkpoint,
	imap_wait, imap_close,
};
