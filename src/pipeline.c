/* pipeline.c: batches, transactions and acknowledgements.  The order is
 * the product's promise: record (commit) first, acknowledge the source
 * second, send mail third.  A crash anywhere leaves a state the next pass
 * completes without losing or doubling anything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "articles.h"
#include "ingest.h"
#include "log.h"
#include "message.h"
#include "notify.h"
#include "outbox.h"
#include "outbox_beside.h"
#include "parsework.h"
#include "pipeline.h"
#include "render.h"
#include "throttle.h"
#include "retention.h"
#include "banned.h"

struct done {
	enum src_dest dest;
	char *line; /* the log line, written after the commit */
};

/* A message the parser could not examine at all still gets a record, keyed
 * by its content, so that it is set aside once and never retried. */
static int ingest_unparsable(struct store *st, const struct src_msg *sm,
			     const char *source, const char *why,
			     struct ingest_result *res, struct mc_err *err)
{
	char hash[65], key[80];
	struct processed p;
	int inserted;

	sha256_hex(sm->raw.s, sm->raw.len, hash);
	snprintf(key, sizeof(key), "sha256:%s", hash);
	memset(res, 0, sizeof(*res));
	res->dest = SRC_SET_ASIDE;
	snprintf(res->outcome, sizeof(res->outcome),
		 "set aside: unreadable: %.100s", why);
	p.key = key;
	p.source = source;
	p.source_id = sm->id;
	p.kind = "invalid";
	p.outcome = res->outcome;
	p.comment_id = 0;
	p.retry = 0;
	return store_processed_add(st, &p, &inserted, err);
}

static void count(struct pipeline_stats *s, const struct message *m,
		  const struct ingest_result *r)
{
	s->messages++;
	if (strncmp(r->outcome, "duplicate", 9) == 0)
		s->duplicates++;
	else if (r->dest == SRC_SET_ASIDE || r->dest == SRC_JUNK)
		s->set_aside++;
	else if (r->counted_as == INGEST_AS_COMMAND ||
		 (r->counted_as == INGEST_AS_KIND && m &&
		  m->kind == MSG_COMMAND))
		s->commands++;
	else
		s->comments++;
}

/* Message i parsed: by the worker when there is one (it parses ahead
 * while this thread stores), here otherwise. */
static int parse_one(struct parsework *pw, const struct conf *c,
		     const struct src_msg *batch, size_t i, struct message **m,
		     struct mc_err *perr)
{
	if (pw)
		return pw_take(pw, i, m, perr);
	return msg_parse_head(batch[i].raw.s, batch[i].raw.len, batch[i].size,
			      c, m, perr);
}

static int process_batch(struct store *st, const struct conf *c,
			 struct source *src, struct src_msg *batch, size_t n,
			 struct parsework *pw, struct done *done,
			 struct pipeline_stats *stats, struct mc_err *err)
{
	size_t i;
	int rc;

	if (store_begin(st, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct message *m = NULL;
		struct ingest_result r;
		struct mc_err perr;

		if (parse_one(pw, c, batch, i, &m, &perr) < 0)
			rc = ingest_unparsable(st, &batch[i], src->name,
					       perr.msg, &r, err);
		else
			rc = ingest_message(st, c, m, src->name, batch[i].id,
					    &r, err);
		if (rc < 0) {
			err_prefix(err, "%s %s: ", src->name, batch[i].id);
			msg_free(m);
			store_rollback(st);
			return -1;
		}
		count(stats, m, &r);
		done[i].dest = r.dest;
		done[i].line = xasprintf(
			"%s %s article=%s: %s",
			m && m->message_id[0] ? m->message_id : batch[i].id,
			m ? msg_kind_name(m->kind) : "invalid",
			r.article[0] ? r.article : "-", r.outcome);
		msg_free(m);
		/* its raw bytes are needed no more (the acknowledgement
		 * names it by id); freed now, their room serves the rest
		 * of the batch, whose pages SQLite holds until the commit */
		buf_free(&batch[i].raw);
	}
	/* The position goes with the batch: one commit, not two. */
	rc = source_checkpoint(src, err);
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	fault_point("before-commit");
	return store_commit(st, err);
}

static void progress(const struct pipeline_stats *s, int final)
{
	if (!isatty(STDERR_FILENO))
		return;
	fprintf(stderr, "\r%d messages: %d comments, %d commands, %d set aside",
		s->messages, s->comments, s->commands, s->set_aside);
	if (final)
		fputc('\n', stderr);
}

/* After the commit, never before: the log lines, then the
 * acknowledgements, gathered by the source and applied together (one
 * UID MOVE per destination folder for the whole batch). */
static int acknowledge(struct source *src, const struct src_msg *batch,
		       const struct done *done, size_t n, struct mc_err *err)
{
	size_t i;
	int rc = 0;

	fault_point("after-commit");
	for (i = 0; i < n && rc == 0; i++) {
		log_info("%s", done[i].line);
		rc = source_ack(src, &batch[i], done[i].dest, err);
	}
	if (rc == 0)
		rc = source_flush(src, err);
	return rc;
}

int pipeline_run(struct store *st, const struct conf *c, struct source *src,
		 volatile sig_atomic_t *stop, struct pipeline_stats *stats,
		 struct mc_err *err)
{
	/* On the heap: a thousand messages are more than a stack should
	 * hold.  The source bounds a batch in bytes too. */
	size_t max = src->batch_max ? src->batch_max : 100;
	struct src_msg *batch = xcalloc(max, sizeof(*batch));
	struct done *done = xcalloc(max, sizeof(*done));
	struct parsework *pw = NULL;
	struct outbox_beside *ob = NULL;
	int64_t queued = 0;   /* the outbox's last row at the last commit */
	int64_t answered = 0; /* ... at the commit before: may go next */
	size_t n, i;
	int rc = 0, any = 0, beside = 0;

	while (rc == 0 && !(stop && *stop)) {
		rc = source_fetch(src, batch, max, &n, err);
		/* Mail goes after its batch's acknowledgement was answered.
		 * The IMAP source sends a batch's UID MOVE with the fetch
		 * after its commit and reads the answer at the fetch after
		 * that (source.h), so a fetch that succeeds says the MOVE of
		 * the batch committed two fetches ago was answered, not the
		 * last one's: the mail queued up to the commit before the
		 * last may go, beside the batches after it.  Over SMTP
		 * only, where a flush costs a round trip a message, and
		 * only when there is a next batch to go beside (not for the
		 * daemon's single new mail: the end of the pass sends it). */
		if (rc == 0 && answered > 0 && n > 0) {
			/* once: when it cannot start, the end of the
			 * pass sends everything, as it did */
			if (!beside && strcmp(c->transport_type, "smtp") == 0)
				ob = outbox_beside_start(st, c, NULL);
			beside = 1;
			outbox_beside_allow(ob, answered);
		}
		if (rc == 0)
			answered = queued;
		if (rc < 0 || n == 0)
			break;
		any = 1;
		memset(done, 0, max * sizeof(*done));
		/* a second thread for batches of more than one (not for the
		 * daemon's single new mail), where there is a second core */
		if (pw == NULL && n > 1 && sysconf(_SC_NPROCESSORS_ONLN) > 1)
			pw = pw_start(c);
		if (pw)
			pw_begin(pw, batch, n);
		rc = process_batch(st, c, src, batch, n, pw, done, stats, err);
		if (pw)
			pw_end(pw);
		if (rc == 0 && outbox_last_id(st, &queued, err) < 0)
			rc = -1;
		if (rc == 0)
			rc = acknowledge(src, batch, done, n, err);
		for (i = 0; i < n; i++)
			free(done[i].line);
		src_msgs_clear(batch, n);
		progress(stats, 0);
	}
	pw_stop(pw);
	/* what it sent is counted by the flush that records it */
	outbox_beside_stop(ob);
	if (any)
		progress(stats, 1);
	free(batch);
	free(done);
	return rc;
}

int pipeline_finish(struct store *st, const struct conf *c,
		    struct pipeline_stats *stats, struct mc_err *err)
{
	struct outbox_result ores;
	struct retention_counts pruned;
	struct mc_err e;
	char note[256];
	char line[256];
	int rendered = 0, closed = 0;

	(void)err;
	/* articles closed by moderation.close_after_days since the last
	 * pass: their pages must say so */
	if (store_begin(st, &e) < 0 ||
	    articles_close_due(st, c, &closed, &e) < 0 ||
	    store_commit(st, &e) < 0) {
		store_rollback(st);
		log_warnx("closing articles: %s", e.msg);
	} else if (closed > 0) {
		log_info("%d article%s closed to comments "
			 "(moderation.close_after_days)",
			 closed, closed == 1 ? "" : "s");
	}
	if (render_dirty(st, c, &rendered, &e) < 0)
		log_warnx("render: %s", e.msg);
	if (store_begin(st, &e) < 0 ||
	    notify_digest_if_due(st, c, 0, NULL, &e) < 0 ||
	    throttle_tick(st, c, note, sizeof(note), &e) < 0 ||
	    store_commit(st, &e) < 0) {
		store_rollback(st);
		log_warnx("digest: %s", e.msg);
	} else if (note[0]) {
		log_info("%s", note);
	}
	if (outbox_flush_configured(st, c, &ores, &e) < 0) {
		log_warnx("outbox: %s", e.msg);
		stats->unsent = 1;
	} else {
		stats->sent += ores.sent;
		stats->deferred += ores.deferred;
	}
	if (retention_prune(st, c, &pruned, &e) < 0) {
		log_warnx("%s", e.msg);
	} else if (pruned.mails + pruned.contents + pruned.unconfirmed +
			   pruned.tokens > 0) {
		retention_describe(&pruned, c->database_retention_days, line,
				   sizeof(line));
		log_info("%s", line);
	}
	return 0;
}

int pipeline_poll(struct store *st, const struct conf *c, const char *path,
		  volatile sig_atomic_t *stop, struct pipeline_stats *stats,
		  struct mc_err *err)
{
	struct source *src;
	int added = 0, rc;

	memset(stats, 0, sizeof(*stats));
	if (articles_sync(st, c, &added, err) < 0)
		return err_prefix(err, "finding articles in %s: ",
				  c->site_directory);
	if (added)
		log_info("%d new article%s found in %s", added,
			 added == 1 ? "" : "s", c->site_directory);
	rc = source_open(&src, c, path, st, err);
	if (rc < 0)
		return rc;
	rc = pipeline_run(st, c, src, stop, stats, err);
	source_close(src);
	pipeline_finish(st, c, stats, err);
	if (stats->messages > 0 || stats->sent > 0 || stats->deferred > 0)
		log_info("%d message%s: %d comment%s, %d command%s, %d set aside,"
			 " %d duplicate%s; %d mail%s sent, %d waiting",
			 stats->messages, stats->messages == 1 ? "" : "s",
			 stats->comments, stats->comments == 1 ? "" : "s",
			 stats->commands, stats->commands == 1 ? "" : "s",
			 stats->set_aside, stats->duplicates,
			 stats->duplicates == 1 ? "" : "s", stats->sent,
			 stats->sent == 1 ? "" : "s", stats->deferred);
	return rc;
}
