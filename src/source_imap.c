/* source_imap.c: the IMAP source (libetpan).  Not built yet: the IMAP
 * issue replaces this file. */
#include "source.h"
#include "banned.h"

static int imap_open(struct source *s, const struct conf *c, const char *path,
		     struct mc_err *err)
{
	(void)s;
	(void)c;
	(void)path;
	return err_set(err, "the IMAP source is not available yet");
}

static int imap_fetch(struct source *s, struct src_msg *batch, size_t max,
		      size_t *n, struct mc_err *err)
{
	(void)s;
	(void)batch;
	(void)max;
	*n = 0;
	return err_set(err, "the IMAP source is not available yet");
}

static int imap_ack(struct source *s, const struct src_msg *m,
		    enum src_dest dest, struct mc_err *err)
{
	(void)s;
	(void)m;
	(void)dest;
	return err_set(err, "the IMAP source is not available yet");
}

static void imap_close(struct source *s)
{
	(void)s;
}

const struct source_ops source_imap_ops = {
	"imap", imap_open, imap_fetch, imap_ack, NULL, imap_close,
};
