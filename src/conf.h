/* conf.h: the configuration, loaded from one libconfig file over embedded
 * defaults that need no server at all (Maildir in, Maildir out, SQLite).
 *
 * Every setting is described once, in the table in conf.c (name, type,
 * default, bounds, help); the loader, `check-config` and the man page
 * follow that table.  conf_load() reports every error it finds, each with
 * file, line and setting, and only then refuses. */
#ifndef MC_CONF_H
#define MC_CONF_H

#include <stdio.h>

#include "util.h"

struct conf {
	char *path; /* file loaded, NULL for the embedded defaults */

	/* site */
	char *site_name;
	char *site_url;
	char *site_directory;
	char *site_language; /* a language tag (lang.h) */
	struct strlist site_language_paths; /* "PREFIX=LANG" (lang.h) */
	char *site_catalogs; /* override .po directory, "" for none */
	struct strlist site_addresses; /* more addresses it is reached at */
	/* the shipped catalogs with site.catalogs read over them, made by
	 * conf_load(); NULL when it is empty: see conf_catalog() */
	struct catalog *catalogs;
	/* their command words, made current (cmdwords_use()) by
	 * conf_load(); NULL with catalogs */
	struct cmdwords *words;

	/* render */
	char *render_directory;
	char *render_url;
	char *render_format; /* markdown | text */
	long render_max_depth;
	char *render_templates;
	int render_stylesheet;
	char *render_time_zone;
	long render_feed_entries;
	char *render_webhook_url;
	long render_webhook_timeout;
	long render_webhook_retries;
	char *render_generator; /* none | hugo | jekyll */
	char *render_generator_directory;
	int render_count_markers;
	char *render_webhook_preset; /* mailcomments | netlify | vercel |
				      * cloudflare_purge */
	struct strlist render_webhook_headers; /* "Name: value" */
	char *render_webhook_secret_file;
	char *render_webhook_secret_env;
	unsigned render_file_mode;      /* permission bits of new outputs */
	unsigned render_directory_mode; /* and of directories made for them */

	/* deploy (deploy.h) */
	struct strlist deploy_targets; /* of git, s3, command */
	int deploy_dry_run;
	long deploy_retries;
	long deploy_backoff;     /* first pause, seconds; doubles */
	long deploy_backoff_max; /* longest pause */
	long deploy_timeout;     /* each attempt: program or request */
	char *git_directory;     /* "": site.directory */
	char *git_remote;
	char *git_branch;
	char *git_author_name;
	char *git_author_email; /* "": address.mailbox */
	int git_push;
	char *s3_endpoint;
	char *s3_region;
	char *s3_bucket;
	char *s3_prefix;
	char *s3_url_style; /* path | virtual */
	char *s3_access_key_id;
	char *s3_secret_file;
	char *s3_secret_env;
	char *s3_cache_control;
	struct strlist command_argv;
	long command_max_args;

	/* address */
	char *address_mailbox;
	char *address_separator;
	char *address_from_name;
	char *address_unsubscribe_url; /* https, with "{token}"; or "" */

	/* moderation */
	struct strlist moderators;
	struct strlist moderator_languages; /* "ADDRESS=LANG" */
	char *moderation_mode; /* all | first | none */
	long auto_approve_after;
	int confirm_new_senders;
	long token_lifetime_days;
	long reader_token_days; /* a commenter's token (reader.c) */
	int require_dkim;
	char *trusted_authserv_id;
	struct strlist trusted_hosts; /* empty: trusted_authserv_id */
	long digest_minutes;
	long flood_threshold;
	long flood_digest_minutes;
	long close_after_days; /* 0: never */
	long console_per_hour; /* 0: no console */
	int publish_notice;
	int reply_notices;

	/* limits */
	long limit_message_size;
	long limit_mime_depth;
	long limit_mime_parts;
	long limit_line_length;
	long limit_header_length;
	long limit_header_fields;
	long limit_header_size;
	long limit_text_size;
	long limit_text_lines;
	long limit_html_elements;
	long limit_html_depth;
	long limit_batch_bytes;
	long limit_comment_length;
	long limit_comments_per_hour;
	long limit_pending_per_sender;
	char *limit_subaddress_separators; /* "" : no folding */
	long limit_site_per_hour;
	long limit_site_pending;

	/* spam */
	char *spam_header; /* none | spamassassin | rspamd */
	double spam_threshold;

	/* source */
	char *source_type; /* maildir | imap */
	char *source_maildir;
	char *source_processed;
	char *source_set_aside;
	char *source_junk;
	long source_poll_interval;
	long source_batch_size;

	/* imap (source.type = imap) */
	char *imap_host;
	long imap_port;
	char *imap_tls; /* implicit | starttls | none */
	char *imap_user;
	char *imap_password_file;
	char *imap_password_env;
	char *imap_ca_file;
	char *imap_folder;
	char *imap_auth; /* login | plain | xoauth2 */
	long imap_timeout;
	long imap_batch_size;
	long imap_idle_minutes;

	/* transport */
	char *transport_type; /* maildir | smtp */
	char *transport_maildir;

	/* smtp (transport.type = smtp) */
	char *smtp_host;
	long smtp_port;
	char *smtp_tls; /* implicit | starttls | none */
	char *smtp_user;
	char *smtp_password_file;
	char *smtp_password_env;
	char *smtp_ca_file;
	char *smtp_envelope_sender;
	char *smtp_auth; /* auto | plain | login | xoauth2 */
	long smtp_timeout;

	/* outbox */
	long outbox_max_age_hours;

	/* database */
	char *database_path;
	char *database_key_file;  /* "": database_path + ".key" */
	long database_retention_days;
	char *state_directory; /* database.state_directory, "": database.path's */

	/* sites (site.h): without a `sites` list all three are empty and the
	 * configuration is one site as it always was */
	char *site_id;           /* the entry this is, NULL: the top level */
	struct strlist site_ids; /* every entry's name, in the file's order */
	unsigned char *site_set; /* per setting: 1 if the entry set it, 2 if
				  * it is the shard's own (check-config) */

	/* log */
	char *log_target; /* stderr | syslog */
	int log_verbose;
};

/* Fills c with the embedded defaults.  Release with conf_free(). */
void conf_defaults(struct conf *c);

/* Loads path over the defaults.  On failure returns -1, c is left freed,
 * and errs holds every problem found, one per line, each as
 * "FILE:LINE: SETTING: what is wrong". */
int conf_load(struct conf *c, const char *path, struct buf *errs);

/* conf_load() for one entry of the `sites` list: the top level with the
 * entry's settings over it, and the shard's own database, key and lock
 * under STATE/sites/NAME/.  site NULL: the top level alone (conf_load()).
 * A site the file does not name, or a site when the file has no `sites`
 * list, is an error naming the sites there are. */
int conf_load_site(struct conf *c, const char *path, const char *site,
		   struct buf *errs);

/* STATE: database.state_directory, or the directory of the top level's
 * database.path (caller frees). */
char *conf_state_dir(const struct conf *c);

/* 1 if c is a site whose entry names its own mailbox (source.type,
 * source.maildir, imap.host, imap.user or imap.folder); 0 for a site
 * whose mail comes through the shared mailbox, into its queue
 * STATE/sites/NAME/queue, and for the top level. */
int conf_site_has_mailbox(const struct conf *c);

void conf_free(struct conf *c);

/* Prints the effective configuration in the file's own syntax, with
 * secrets masked. */
void conf_print(const struct conf *c, FILE *out);

/* Reads a secret: from the file named by `file` (refused if it is readable
 * by group or others, saying why) or from the environment variable named
 * by `env`.  The caller frees *secret. */
int conf_read_secret(const char *file, const char *env, char **secret,
		     struct mc_err *err);

/* 1 if host names this machine's loopback interface ("localhost",
 * 127.0.0.0/8, ::1): the only place plain text (tls = "none") may go. */
int conf_is_loopback(const char *host);

/* 1 if addr (any case) is a configured moderator. */
int conf_is_moderator(const struct conf *c, const char *addr);

/* The key file's path: database.key_file, or database.path + ".key"
 * (caller frees). */
char *conf_key_file(const struct conf *c);

/* Writes the settings reference (for man/mailcomments.conf.5 checks). */
void conf_print_reference(FILE *out);

/* The translation catalogs of c: the shipped ones, with site.catalogs
 * read over them when set.  Never NULL; lives as long as c. */
const struct catalog *conf_catalog(const struct conf *c);

/* The language of the mails to moderator addr: moderation.languages,
 * else site.language (a tag, lang.h). */
const char *conf_moderator_language(const struct conf *c, const char *addr);

#endif
