/* outbox_beside.c: delivers the outbox beside the batches of a pass.  At
 * the end of a pass the outbox went out message by message while nothing
 * else happened (over SMTP, seconds for thousands of notifications).
 * Here a second thread sends them while the next batches are fetched and
 * stored, keeping the pipeline's order: it sends only rows the pipeline
 * allowed, those of batches committed and whose acknowledgement (the
 * IMAP MOVE) the source has answered.  It marks what it sent in the sent
 * log (outbox.c), not in the database, whose write lock the batch being
 * stored holds; the flush that ends the pass records the log and sends
 * what is left.  A kill leaves at most the one message in flight
 * unrecorded, as a flush does. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "log.h"
#include "outbox.h"
#include "outbox_beside.h"
#include "banned.h"

struct outbox_beside {
	const struct conf *c;
	struct store *st;      /* the thread's own connection */
	struct transport *t;
	int lock;              /* the flush lock's descriptor */
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int64_t upto;          /* allowed, under mu */
	atomic_int stop;
	/* the thread's */
	int64_t after;         /* the last row tried */
	struct outbox_result res;
	int failed;            /* gave up: left to the last flush */
	struct mc_err err;
};

/* Waits for rows allowed beyond those done, or the stop; 0 when
 * stopped. */
static int ob_wait(struct outbox_beside *ob, int64_t done, int64_t *upto)
{
	pthread_mutex_lock(&ob->mu);
	while (!atomic_load(&ob->stop) && ob->upto <= done)
		pthread_cond_wait(&ob->cv, &ob->mu);
	*upto = ob->upto;
	pthread_mutex_unlock(&ob->mu);
	return !atomic_load(&ob->stop);
}

static void *ob_main(void *arg)
{
	struct outbox_beside *ob = arg;
	int64_t done = 0, upto;

	while (ob_wait(ob, done, &upto)) {
		int rc = outbox_flush_beside(ob->st, ob->c, ob->t, upto,
					     &ob->after, &ob->stop, &ob->res,
					     &ob->err);

		if (rc != 0) {
			/* a failure, or a message that did not go: the
			 * last flush records it and sends the rest */
			ob->failed = rc < 0 || !atomic_load(&ob->stop);
			break;
		}
		done = upto;
	}
	return NULL;
}

struct outbox_beside *outbox_beside_start(struct store *st,
					  const struct conf *c,
					  struct transport *t)
{
	struct outbox_beside *ob = xcalloc(1, sizeof(*ob));
	const char *db = sqlite3_db_filename(store_db(st), "main");
	struct mc_err err;
	int n;

	ob->c = c;
	ob->lock = -1;
	atomic_init(&ob->stop, 0);
	if (db == NULL || db[0] == '\0')
		goto fail_quiet;
	ob->lock = outbox_lock(c, &err);
	if (ob->lock == -2)
		goto fail_quiet; /* another process sends */
	/* what a killed pass sent beside its batches, recorded before
	 * anything is sent again (the caller is between two batches: no
	 * transaction is open on st) */
	if (ob->lock < 0 || outbox_sent_log_apply(st, &n, &err) < 0 ||
	    store_open_sibling(&ob->st, st, &err) < 0 ||
	    (t == NULL && transport_open(&t, c, &err) < 0))
		goto fail;
	ob->t = t;
	t = NULL;
	pthread_mutex_init(&ob->mu, NULL);
	pthread_cond_init(&ob->cv, NULL);
	if (thread_spawn(&ob->thread, ob_main, ob) < 0) {
		err_set(&err, "cannot start a thread");
		pthread_mutex_destroy(&ob->mu);
		pthread_cond_destroy(&ob->cv);
		goto fail;
	}
	return ob;
fail:
	log_warnx("outbox: not sending beside the batches: %s", err.msg);
fail_quiet:
	transport_close(t);
	transport_close(ob->t);
	store_close(ob->st);
	if (ob->lock >= 0)
		close(ob->lock);
	free(ob);
	return NULL;
}

void outbox_beside_allow(struct outbox_beside *ob, int64_t upto)
{
	if (ob == NULL)
		return;
	pthread_mutex_lock(&ob->mu);
	if (upto > ob->upto) {
		ob->upto = upto;
		pthread_cond_signal(&ob->cv);
	}
	pthread_mutex_unlock(&ob->mu);
}

int outbox_beside_stop(struct outbox_beside *ob)
{
	int sent;

	if (ob == NULL)
		return 0;
	pthread_mutex_lock(&ob->mu);
	atomic_store(&ob->stop, 1);
	pthread_cond_signal(&ob->cv);
	pthread_mutex_unlock(&ob->mu);
	pthread_join(ob->thread, NULL);
	pthread_mutex_destroy(&ob->mu);
	pthread_cond_destroy(&ob->cv);
	if (ob->failed && ob->err.msg[0])
		log_warnx("outbox: beside the batches: %s", ob->err.msg);
	sent = ob->res.sent;
	if (sent > 0)
		log_debug("outbox: %d sent beside the batches", sent);
	transport_close(ob->t);
	store_close(ob->st);
	close(ob->lock);
	free(ob);
	return sent;
}
