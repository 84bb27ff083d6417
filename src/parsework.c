/* parsework.c: a batch's messages parsed on a second thread while the
 * main thread stores the ones before them.  Parsing is about a quarter
 * of a poll's CPU and needs nothing but the raw bytes and the
 * configuration, so it overlaps with the inserts, the notifications and
 * the commit, and the batch's order promise (commit, then MOVE, then
 * mail) stays on the main thread, untouched. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "parsework.h"
#include "banned.h"

/* One parsed message waiting to be taken; a ring of PW_AHEAD. */
struct pw_slot {
	struct message *m;
	int rc;
	size_t bytes;
	struct mc_err perr;
};

struct parsework {
	const struct conf *conf;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more;  /* the worker may go on */
	pthread_cond_t ready; /* a message is parsed, or the worker idles */
	const struct src_msg *batch;
	size_t n;
	size_t next;  /* the next message the worker parses */
	size_t taken; /* messages the caller took */
	size_t ahead_bytes;
	int busy; /* the worker is parsing batch[next] */
	int full; /* the worker waits for the window to drain */
	int quit;
	struct pw_slot slot[PW_AHEAD];
};

/* Whether the worker may parse batch[next] now: within the batch, and
 * within the window in messages and in bytes (one message always). */
static int pw_may_go(const struct parsework *pw)
{
	if (pw->batch == NULL || pw->next >= pw->n)
		return 0;
	if (pw->next - pw->taken >= PW_AHEAD)
		return 0;
	return pw->next == pw->taken ||
	       pw->ahead_bytes + pw->batch[pw->next].raw.len <= PW_AHEAD_BYTES;
}

/* Whether a worker that found the window full is woken: once it has
 * drained to half.  Woken at every message taken, it would parse one and
 * wait again, a futex wake and two context switches a message. */
static int pw_drained(const struct parsework *pw)
{
	return pw->next - pw->taken <= PW_AHEAD / 2 &&
	       pw->ahead_bytes <= PW_AHEAD_BYTES / 2;
}

static void *pw_main(void *arg)
{
	struct parsework *pw = arg;

	pthread_mutex_lock(&pw->lock);
	for (;;) {
		const struct src_msg *sm;
		struct pw_slot *s;

		while (!pw->quit && !pw_may_go(pw)) {
			pw->full = pw->batch != NULL && pw->next < pw->n;
			pthread_cond_wait(&pw->more, &pw->lock);
		}
		pw->full = 0;
		if (pw->quit)
			break;
		sm = &pw->batch[pw->next];
		s = &pw->slot[pw->next % PW_AHEAD];
		pw->busy = 1;
		pthread_mutex_unlock(&pw->lock);

		s->m = NULL;
		s->bytes = sm->raw.len;
		s->rc = msg_parse_head(sm->raw.s, sm->raw.len, sm->size,
				       pw->conf, &s->m, &s->perr);

		pthread_mutex_lock(&pw->lock);
		pw->busy = 0;
		pw->next++;
		pw->ahead_bytes += s->bytes;
		pthread_cond_broadcast(&pw->ready);
	}
	pthread_mutex_unlock(&pw->lock);
	charset_release();
	return NULL;
}

struct parsework *pw_start(const struct conf *conf)
{
	struct parsework *pw = xcalloc(1, sizeof(*pw));
	int rc;

	pw->conf = conf;
	/* libxml2, which parses the HTML parts on the worker, sets up its
	 * globals when first opened, once, whichever thread asks first
	 * (xmlload.c) */
	pthread_mutex_init(&pw->lock, NULL);
	pthread_cond_init(&pw->more, NULL);
	pthread_cond_init(&pw->ready, NULL);
	rc = thread_spawn(&pw->thread, pw_main, pw);
	if (rc != 0) {
		pthread_cond_destroy(&pw->ready);
		pthread_cond_destroy(&pw->more);
		pthread_mutex_destroy(&pw->lock);
		free(pw);
		return NULL;
	}
	return pw;
}

void pw_begin(struct parsework *pw, const struct src_msg *batch, size_t n)
{
	pthread_mutex_lock(&pw->lock);
	pw->batch = batch;
	pw->n = n;
	pw->next = pw->taken = 0;
	pw->ahead_bytes = 0;
	pthread_cond_signal(&pw->more);
	pthread_mutex_unlock(&pw->lock);
}

int pw_take(struct parsework *pw, size_t i, struct message **m,
	    struct mc_err *perr)
{
	struct pw_slot *s;
	int rc;

	pthread_mutex_lock(&pw->lock);
	if (pw->batch == NULL || i != pw->taken || i >= pw->n)
		abort(); /* a caller's bug: in order, within the batch */
	while (pw->next <= i)
		pthread_cond_wait(&pw->ready, &pw->lock);
	s = &pw->slot[i % PW_AHEAD];
	*m = s->m;
	rc = s->rc;
	if (rc < 0)
		*perr = s->perr;
	s->m = NULL;
	pw->taken++;
	pw->ahead_bytes -= s->bytes;
	if (pw->full && pw_drained(pw))
		pthread_cond_signal(&pw->more);
	pthread_mutex_unlock(&pw->lock);
	return rc;
}

void pw_end(struct parsework *pw)
{
	size_t i;

	pthread_mutex_lock(&pw->lock);
	pw->n = 0; /* the worker parses nothing more of it */
	while (pw->busy)
		pthread_cond_wait(&pw->ready, &pw->lock);
	for (i = pw->taken; i < pw->next; i++) {
		msg_free(pw->slot[i % PW_AHEAD].m);
		pw->slot[i % PW_AHEAD].m = NULL;
	}
	pw->batch = NULL;
	pw->next = pw->taken = 0;
	pw->ahead_bytes = 0;
	pthread_mutex_unlock(&pw->lock);
}

size_t pw_ahead(struct parsework *pw)
{
	size_t n;

	pthread_mutex_lock(&pw->lock);
	n = pw->next - pw->taken;
	pthread_mutex_unlock(&pw->lock);
	return n;
}

void pw_stop(struct parsework *pw)
{
	if (pw == NULL)
		return;
	pw_end(pw);
	pthread_mutex_lock(&pw->lock);
	pw->quit = 1;
	pthread_cond_signal(&pw->more);
	pthread_mutex_unlock(&pw->lock);
	pthread_join(pw->thread, NULL);
	pthread_cond_destroy(&pw->ready);
	pthread_cond_destroy(&pw->more);
	pthread_mutex_destroy(&pw->lock);
	free(pw);
}
