/* source.c: picks the source implementation and forwards to it. */
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "source.h"
#include "banned.h"

int source_exit_code(int status)
{
	switch (status) {
	case SRC_OK:
		return EX_OK;
	case SRC_TEMPFAIL:
		return EX_TEMPFAIL;
	case SRC_AUTHFAIL:
		return EX_NOPERM;
	case SRC_CONFIG:
		return EX_CONFIG;
	case SRC_INSECURE:
		return EX_PROTOCOL;
	default:
		return EX_UNAVAILABLE;
	}
}

int source_open(struct source **sp, const struct conf *c, const char *path,
		struct store *st, struct mc_err *err)
{
	struct source *s = xcalloc(1, sizeof(*s));
	int rc;

	*sp = NULL;
	s->store = st;
	if (path != NULL || strcmp(c->source_type, "maildir") == 0)
		s->ops = &source_maildir_ops;
	else
		s->ops = &source_imap_ops;
	rc = s->ops->open(s, c, path, err);
	if (rc < 0) {
		free(s->name);
		free(s);
		return rc;
	}
	*sp = s;
	return 0;
}

int source_fetch(struct source *s, struct src_msg *batch, size_t max,
		 size_t *n, struct mc_err *err)
{
	*n = 0;
	return s->ops->fetch(s, batch, max, n, err);
}

int source_ack(struct source *s, const struct src_msg *m, enum src_dest dest,
	       struct mc_err *err)
{
	return s->ops->ack(s, m, dest, err);
}

int source_flush(struct source *s, struct mc_err *err)
{
	return s->ops->flush ? s->ops->flush(s, err) : 0;
}

int source_checkpoint(struct source *s, struct mc_err *err)
{
	return s->ops->checkpoint ? s->ops->checkpoint(s, err) : 0;
}

int source_wait(struct source *s, int seconds, struct mc_err *err)
{
	int i;

	if (s->ops->wait)
		return s->ops->wait(s, seconds, err);
	for (i = 0; i < seconds && !s->interrupted; i++)
		sleep(1);
	return 1;
}

void source_close(struct source *s)
{
	if (s == NULL)
		return;
	s->ops->close(s);
	free(s->name);
	free(s);
}

void src_msgs_clear(struct src_msg *batch, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(batch[i].id);
		batch[i].id = NULL;
		buf_free(&batch[i].raw);
		batch[i].size = 0;
	}
}
