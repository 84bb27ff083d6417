/* site.c: the shards of a gateway with several sites, and the router that
 * fills their queues from a shared mailbox (see site.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address.h"
#include "headers.h"
#include "log.h"
#include "site.h"
#include "source.h"
#include "store.h"
#include "banned.h"

#define ROUTE_MAX_ADDRS 100 /* To and Cc addresses looked at */

int site_load_all(const char *path, const struct conf *top,
		  struct conf **sites, size_t *n, struct buf *errs)
{
	size_t i;

	*n = top->site_ids.n;
	*sites = xcalloc(*n ? *n : 1, sizeof(**sites));
	for (i = 0; i < *n; i++)
		if (conf_load_site(&(*sites)[i], path, top->site_ids.v[i],
				   errs) < 0) {
			site_free_all(*sites, i);
			*sites = NULL;
			*n = 0;
			return -1;
		}
	return 0;
}

void site_free_all(struct conf *sites, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		conf_free(&sites[i]);
	free(sites);
}

/* mkdir, 0700, of a directory that must then be a directory and no
 * symbolic link: the shard is the site's secrets. */
static int private_dir(const char *path, struct mc_err *err)
{
	struct stat sb;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return err_set(err, "%s: %s", path, strerror(errno));
	if (lstat(path, &sb) < 0)
		return err_set(err, "%s: %s", path, strerror(errno));
	if (S_ISLNK(sb.st_mode))
		return err_set(err, "refused: %s is a symbolic link (a "
				    "site's shard must be a real directory)",
			       path);
	if (!S_ISDIR(sb.st_mode))
		return err_set(err, "refused: %s is not a directory", path);
	return 0;
}

static int state_sites_dir(const struct conf *c, char **dir,
			   struct mc_err *err)
{
	char *state = conf_state_dir(c);
	int rc = mkdirs(state, 0700, err);

	*dir = xasprintf("%s/sites", state);
	free(state);
	if (rc == 0)
		rc = private_dir(*dir, err);
	return rc;
}

int site_shard_make(const struct conf *c, struct mc_err *err)
{
	static const char *const sub[] = { "", "/queue", "/queue/tmp",
					   "/queue/new", "/queue/cur" };
	char *sites, *p;
	size_t i;
	int rc;

	if (c->site_id == NULL)
		return 0;
	rc = state_sites_dir(c, &sites, err);
	for (i = 0; rc == 0 && i < sizeof(sub) / sizeof(sub[0]); i++) {
		p = xasprintf("%s/%s%s", sites, c->site_id, sub[i]);
		rc = private_dir(p, err);
		free(p);
	}
	free(sites);
	return rc;
}

/* ---- routing ---------------------------------------------------------- */

static int site_reached(const struct conf *c, const char *addr)
{
	char seps[3] = { '+', c->address_separator[0], '\0' };
	size_t i;

	if (addr_is_gateway(c, addr))
		return 1;
	for (i = 0; i < c->site_addresses.n; i++)
		if (addr_reaches(addr, c->site_addresses.v[i], seps))
			return 1;
	return 0;
}

struct route {
	const struct conf *sites;
	size_t n;
	int found;     /* index, -1 none yet */
	int ambiguous; /* a second site */
	int other;     /* its index */
	char first[128]; /* the first address looked at, for the reason */
};

static void route_addr(struct route *r, const char *addr)
{
	size_t i;

	if (r->first[0] == '\0')
		snprintf(r->first, sizeof(r->first), "%s", addr);
	for (i = 0; i < r->n; i++) {
		if (!site_reached(&r->sites[i], addr))
			continue;
		if (r->found < 0)
			r->found = (int)i;
		else if (r->found != (int)i && !r->ambiguous) {
			r->ambiguous = 1;
			r->other = (int)i;
		}
	}
}

static void route_field(struct route *r, const char *raw,
			const struct hdr_field *f, size_t *left)
{
	char *v = hdr_unfold(raw + f->value, f->value_end - f->value);
	struct hdr_mailbox *boxes = NULL;
	size_t nb = 0, i;

	hdr_parse_addresses(v, &boxes, &nb);
	for (i = 0; i < nb && *left > 0; i++, (*left)--)
		route_addr(r, boxes[i].addr);
	hdr_mailboxes_free(boxes, nb);
	free(v);
}

static int field_is(const char *raw, const struct hdr_field *f,
		    const char *name)
{
	return f->name_len == strlen(name) &&
	       ascii_ncasecmp(raw + f->name, name, f->name_len) == 0;
}

int site_route(const struct conf *sites, size_t n, const char *raw,
	       size_t len, char *why, size_t whylen)
{
	struct hdr_field *f = NULL;
	struct route r;
	size_t nf = 0, total, i, left = ROUTE_MAX_ADDRS;
	int delivered = 0, original = 0, envelope = 0;

	memset(&r, 0, sizeof(r));
	r.sites = sites;
	r.n = n;
	r.found = -1;
	hdr_parse_block_max(raw, len, 1000, 256 * 1024, &f, &nf, &total);
	/* What the receiving server wrote sits above its first Received
	 * field: the sender's own Delivered-To lines, below, never count,
	 * and neither do To and Cc once the server has spoken. */
	for (i = 0; i < nf && !field_is(raw, &f[i], "Received"); i++) {
		if (!delivered && field_is(raw, &f[i], "Delivered-To")) {
			delivered = envelope = 1;
			route_field(&r, raw, &f[i], &left);
		} else if (!original && field_is(raw, &f[i], "X-Original-To")) {
			original = envelope = 1;
			route_field(&r, raw, &f[i], &left);
		}
	}
	for (i = 0; !envelope && i < nf; i++)
		if (field_is(raw, &f[i], "To") || field_is(raw, &f[i], "Cc"))
			route_field(&r, raw, &f[i], &left);
	free(f);
	if (r.ambiguous) {
		snprintf(why, whylen, "addressed to sites %s and %s",
			 sites[r.found].site_id, sites[r.other].site_id);
		return -1;
	}
	if (r.found < 0)
		snprintf(why, whylen, "no site is reached at %s%s",
			 r.first[0] ? r.first : "(no recipient)",
			 envelope ? " (Delivered-To/X-Original-To)" : "");
	return r.found;
}

/* ---- the router's pass ------------------------------------------------ */

static int write_fully(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A message on its way into a site's queue: written to tmp/ first. */
struct queued {
	char *tmp, *dst;
};

/* Writes raw into tmp/ of the site's queue, named after its content, so
 * that a message routed again after a crash replaces its own copy. */
static int queue_write(const struct conf *c, const struct src_msg *m,
		       struct queued *q, struct mc_err *err)
{
	char hash[65], *state = conf_state_dir(c);
	int fd, rc = 0;

	sha256_hex(m->raw.s, m->raw.len, hash);
	hash[32] = '\0';
	q->tmp = xasprintf("%s/sites/%s/queue/tmp/r%s,S=%zu", state,
			   c->site_id, hash, m->raw.len);
	q->dst = xasprintf("%s/sites/%s/queue/new/r%s,S=%zu", state,
			   c->site_id, hash, m->raw.len);
	free(state);
	fd = open(q->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return err_set(err, "%s: %s", q->tmp, strerror(errno));
	if (write_fully(fd, m->raw.s, m->raw.len) < 0)
		rc = err_set(err, "%s: %s", q->tmp, strerror(errno));
	if (close(fd) < 0 && rc == 0)
		rc = err_set(err, "%s: %s", q->tmp, strerror(errno));
	return rc;
}

/* syncfs() of the file system under path: one flush for a whole batch
 * (as transport_maildir.c does), where an fsync per file and per
 * directory would cost two disk flushes a message. */
static int sync_under(const char *path, struct mc_err *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || syncfs(fd) < 0)
		rc = err_set(err, "syncing %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The batch's copies made durable, then moved into new/ and made
 * durable there, before the batch is committed and acknowledged. */
static int queue_publish(const struct conf *top, struct queued *q, size_t n,
			 struct mc_err *err)
{
	char *state = conf_state_dir(top);
	size_t i;
	int rc;

	rc = sync_under(state, err);
	for (i = 0; rc == 0 && i < n; i++)
		if (q[i].tmp && rename(q[i].tmp, q[i].dst) < 0)
			rc = err_set(err, "%s: %s", q[i].dst, strerror(errno));
	if (rc == 0)
		rc = sync_under(state, err);
	free(state);
	return rc;
}

static void queued_free(struct queued *q, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (q[i].tmp)
			unlink(q[i].tmp); /* renamed: ENOENT */
		free(q[i].tmp);
		free(q[i].dst);
		q[i].tmp = q[i].dst = NULL;
	}
}

/* The reason a message was not routed, kept as the pipeline keeps a
 * set-aside message's: in the processed table, by content. */
static int record_unrouted(struct store *st, const struct source *src,
			   const struct src_msg *m, const char *why,
			   struct mc_err *err)
{
	char hash[65], key[80], outcome[320];
	struct processed p;
	int inserted;

	sha256_hex(m->raw.s, m->raw.len, hash);
	snprintf(key, sizeof(key), "sha256:%s", hash);
	snprintf(outcome, sizeof(outcome), "set aside: %s", why);
	memset(&p, 0, sizeof(p));
	p.key = key;
	p.source = src->name;
	p.source_id = m->id;
	p.kind = "unrouted";
	p.outcome = outcome;
	return store_processed_add(st, &p, &inserted, err);
}

static int route_batch(const struct conf *top, struct store *st,
		       struct source *src, const struct conf *sites, size_t n,
		       struct src_msg *batch, size_t nb, enum src_dest *dest,
		       struct site_route_stats *rs, struct mc_err *err)
{
	struct queued *q = xcalloc(nb, sizeof(*q));
	char why[300];
	size_t i;
	int k, rc = store_begin(st, err), began = rc == 0;

	for (i = 0; rc == 0 && i < nb; i++) {
		if (batch[i].size > batch[i].raw.len) {
			snprintf(why, sizeof(why), "too large to route (%zu "
				 "bytes, limits.message_size)", batch[i].size);
			k = -1;
		} else {
			k = site_route(sites, n, batch[i].raw.s,
				       batch[i].raw.len, why, sizeof(why));
		}
		if (k >= 0) {
			rc = queue_write(&sites[k], &batch[i], &q[i], err);
			dest[i] = SRC_PROCESSED;
			rs->routed++;
			log_debug("%s %s: routed to site %s", src->name,
				  batch[i].id, sites[k].site_id);
		} else {
			rc = record_unrouted(st, src, &batch[i], why, err);
			dest[i] = SRC_SET_ASIDE;
			rs->set_aside++;
			log_info("%s %s: set aside: %s", src->name, batch[i].id,
				 why);
		}
		if (rc < 0)
			err_prefix(err, "routing %s %s: ", src->name,
				   batch[i].id);
	}
	if (rc == 0)
		rc = queue_publish(top, q, nb, err);
	if (rc == 0)
		rc = source_checkpoint(src, err);
	if (rc == 0)
		rc = store_commit(st, err);
	else if (began)
		store_rollback(st);
	queued_free(q, nb);
	free(q);
	return rc;
}

int site_router_store(const struct conf *top, struct store **st,
		      struct mc_err *err)
{
	char *dir, *db;
	int rc = state_sites_dir(top, &dir, err);

	db = xasprintf("%s/router.db", dir);
	free(dir);
	if (rc == 0)
		rc = store_open_full(st, db, NULL, store_schema_latest(), err);
	free(db);
	return rc < 0 ? -1 : 0;
}

int site_route_pass(const struct conf *top, const struct conf *sites,
		     size_t n, volatile sig_atomic_t *stop,
		     struct site_route_stats *rs, struct mc_err *err)
{
	struct store *st = NULL;
	struct source *src = NULL;
	struct src_msg *batch;
	enum src_dest *dest;
	size_t max, nb, i;
	int rc;

	memset(rs, 0, sizeof(*rs));
	for (i = 0; i < n; i++)
		if (site_shard_make(&sites[i], err) < 0)
			return -1;
	if (site_router_store(top, &st, err) < 0)
		return -1;
	rc = source_open(&src, top, NULL, st, err);
	if (rc < 0) {
		store_close(st);
		return rc;
	}
	max = src->batch_max ? src->batch_max : 100;
	batch = xcalloc(max, sizeof(*batch));
	dest = xcalloc(max, sizeof(*dest));
	while (rc == 0 && !(stop && *stop)) {
		rc = source_fetch(src, batch, max, &nb, err);
		if (rc < 0 || nb == 0)
			break;
		rc = route_batch(top, st, src, sites, n, batch, nb, dest, rs,
				 err);
		for (i = 0; rc == 0 && i < nb; i++)
			rc = source_ack(src, &batch[i], dest[i], err);
		if (rc == 0)
			rc = source_flush(src, err);
		src_msgs_clear(batch, nb);
	}
	free(batch);
	free(dest);
	source_close(src);
	store_close(st);
	return rc;
}
