/* conf.c: the settings table and the libconfig loader.
 * Load everything, validate everything, report every error with file and
 * line, then refuse: a half-applied configuration is worse than none. */
#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address.h"
#include "catalog.h"
#include "cmdwords.h"
#include "conf.h"
#include "fsroot.h"
#include "term.h"
#include "keyfile.h"
#include "lang.h"
#include "banned.h"

enum conf_type {
	T_STR, T_INT, T_BOOL, T_FLOAT, T_ENUM, T_LIST, T_ADDR,
	T_MODE /* permission bits, written as a string of octal digits */
};

struct setting {
	const char *name;
	enum conf_type type;
	size_t off;
	const char *def;     /* default, as text; lists comma-separated */
	long min, max;       /* T_INT bounds */
	const char *choices; /* T_ENUM: "a|b|c" */
	const char *help;
};

#define S(n, t, f, d, lo, hi, ch, h) \
	{ n, t, offsetof(struct conf, f), d, lo, hi, ch, h }

static const struct setting settings[] = {
	S("site.name", T_STR, site_name, "My site", 0, 0, NULL,
	  "name of the site, used in mails and feeds"),
	S("site.url", T_STR, site_url, "https://example.org/", 0, 0, NULL,
	  "public base URL of the site; article URLs are built under it"),
	S("site.directory", T_STR, site_directory, "var/site", 0, 0, NULL,
	  "directory of the built site: articles are found there by their "
	  "comment markers, and outputs are written there"),
	S("site.language", T_STR, site_language, "en", 0, 0, NULL,
	  "a language tag (\"en\", \"de\", \"pt-BR\"): the language of the "
	  "moderators' notifications, digests and answers (their other "
	  "mails: English unless French, for now), and of the "
	  "pages and readers' mails of an article whose page does "
	  "not say its own (the lang attribute of its <html> or of the "
	  "element holding the markers) and whose path site.language_paths "
	  "does not name"),
	S("site.language_paths", T_LIST, site_language_paths, "", 0, 0, NULL,
	  "languages of the pages under path prefixes, as \"PREFIX=LANG\" "
	  "(\"en/=en\", \"de/=de\"; the longest prefix wins), for pages "
	  "whose lang attribute is missing"),
	S("site.catalogs", T_STR, site_catalogs, "", 0, 0, NULL,
	  "directory of LANG.po translation catalogs (gettext) whose "
	  "entries replace those of the shipped catalogs string by string, "
	  "or add a language (empty: the shipped catalogs only)"),

	S("site.addresses", T_LIST, site_addresses, "", 0, 0, NULL,
	  "more addresses the site is reached at besides address.mailbox, "
	  "each taking comments and commands at its sub-addresses like it "
	  "(with a `sites` list: mail for any of them is routed to this "
	  "site)"),

	S("render.directory", T_STR, render_directory, "comments", 0, 0, NULL,
	  "where comment sections, JSON and feeds are written; a relative "
	  "path is relative to site.directory"),
	S("render.url", T_STR, render_url, "", 0, 0, NULL,
	  "public URL of render.directory (empty: site.url followed by "
	  "render.directory when that is relative)"),
	S("render.format", T_ENUM, render_format, "markdown", 0, 0,
	  "markdown|text",
	  "comment bodies are CommonMark (raw HTML shown as text) or plain "
	  "text"),
	S("render.max_depth", T_INT, render_max_depth, "3", 0, 20, NULL,
	  "deepest nesting of replies; deeper replies are shown flat at this "
	  "level (0: no nesting)"),
	S("render.templates", T_STR, render_templates, "", 0, 0, NULL,
	  "directory of templates overriding the built-in section.html, "
	  "comment.html and mailcomments.css (empty: built-in)"),
	S("render.stylesheet", T_BOOL, render_stylesheet, "true", 0, 0, NULL,
	  "write mailcomments.css beside the outputs and link it from each "
	  "section"),
	S("render.time_zone", T_STR, render_time_zone, "UTC", 0, 0, NULL,
	  "time zone of the dates shown on pages, like Europe/Paris "
	  "(feeds and JSON are always in UTC)"),
	S("render.feed_entries", T_INT, render_feed_entries, "50", 1, 100000,
	  NULL, "most recent comments in each Atom feed"),
	S("render.webhook_url", T_STR, render_webhook_url, "", 0, 0, NULL,
	  "http or https URL to POST to after a render that changed "
	  "something (empty: none)"),
	S("render.webhook_timeout", T_INT, render_webhook_timeout, "10", 1,
	  300, NULL, "seconds allowed for each webhook attempt"),
	S("render.webhook_retries", T_INT, render_webhook_retries, "2", 0, 10,
	  NULL, "webhook retries after a failure (1, 2, 4... seconds apart)"),
	S("render.generator", T_ENUM, render_generator, "none", 0, 0,
	  "none|hugo|jekyll",
	  "also write each article's comments as a data file where this "
	  "site generator reads them, under render.generator_directory: "
	  "data/comments/KEY.json (hugo) or _data/comments/KEY.json "
	  "(jekyll), KEY being the slug with '/' written '_' (see the "
	  "README's \"Site generators\")"),
	S("render.generator_directory", T_STR, render_generator_directory,
	  "", 0, 0, NULL,
	  "the generator site's root (its source, where config.toml or "
	  "_config.yml is): must exist when render.generator is set"),
	S("render.count_markers", T_BOOL, render_count_markers, "true", 0, 0,
	  NULL,
	  "fill the count markers (<!-- mailcomments:count SLUG --> ... "
	  "<!-- /mailcomments:count -->) of every .html page under "
	  "site.directory with the article's count of comments in the "
	  "page's language, whenever counts change"),
	S("render.webhook_preset", T_ENUM, render_webhook_preset,
	  "mailcomments", 0, 0, "mailcomments|netlify|vercel|cloudflare_purge",
	  "what the webhook POSTs: mailcomments (the event, the changed "
	  "articles and files' URLs, signed when a secret is set), netlify "
	  "or vercel (a build hook: an empty JSON object), cloudflare_purge "
	  "(the changed files' URLs to the zone's purge_cache endpoint, the "
	  "secret as the API token)"),
	S("render.webhook_headers", T_LIST, render_webhook_headers, "", 0, 0,
	  NULL, "extra request headers, as \"Name: value\""),
	S("render.webhook_secret_file", T_STR, render_webhook_secret_file, "",
	  0, 0, NULL,
	  "file holding the webhook's secret: the HMAC-SHA256 key of "
	  "X-Mailcomments-Signature (or, with cloudflare_purge, the API "
	  "token); must not be readable by group or others"),
	S("render.webhook_secret_env", T_STR, render_webhook_secret_env, "", 0,
	  0, NULL, "environment variable holding the webhook's secret"),
	S("render.file_mode", T_MODE, render_file_mode, "0644", 0, 0, NULL,
	  "permissions of each new file written under site.directory and "
	  "render.directory, whatever the umask (a file it replaces keeps "
	  "its own mode, owner and group); others may not write"),
	S("render.directory_mode", T_MODE, render_directory_mode, "0755", 0,
	  0, NULL,
	  "permissions of each directory made for those files, and of a "
	  "missing parent that site.directory shares with the database; "
	  "others may not write"),

	S("deploy.targets", T_LIST, deploy_targets, "", 0, 0, NULL,
	  "where the files a render changed are sent next: any of \"git\" "
	  "(commit and push, deploy_git), \"s3\" (an S3-compatible bucket, "
	  "deploy_s3), \"command\" (a program, deploy_command); empty: "
	  "none.  A failure is logged and retried, never undoes a decision"),
	S("deploy.dry_run", T_BOOL, deploy_dry_run, "false", 0, 0, NULL,
	  "only log what each target would do"),
	S("deploy.retries", T_INT, deploy_retries, "3", 0, 10, NULL,
	  "retries of a target after a failed attempt"),
	S("deploy.backoff", T_INT, deploy_backoff, "2", 0, 300, NULL,
	  "seconds before the first retry; each next pause is twice as long"),
	S("deploy.backoff_max", T_INT, deploy_backoff_max, "60", 0, 3600, NULL,
	  "the longest pause between two attempts, in seconds; also how "
	  "long files a target gave up on wait before a pass of poll or "
	  "the daemon sends them again"),
	S("deploy.timeout", T_INT, deploy_timeout, "120", 1, 3600, NULL,
	  "seconds allowed for each program a target runs (its process "
	  "group is then killed) and for each S3 request"),

	S("deploy_git.directory", T_STR, git_directory, "", 0, 0, NULL,
	  "the git working tree the changed files are committed in; they "
	  "must lie inside it (empty: site.directory)"),
	S("deploy_git.remote", T_STR, git_remote, "origin", 0, 0, NULL,
	  "the remote pushed to (a name or a URL)"),
	S("deploy_git.branch", T_STR, git_branch, "main", 0, 0, NULL,
	  "the remote branch the commit is pushed to"),
	S("deploy_git.push", T_BOOL, git_push, "true", 0, 0, NULL,
	  "push after committing (false: commit only)"),
	S("deploy_git.author_name", T_STR, git_author_name, "mailcomments", 0,
	  0, NULL, "author and committer name of the commits"),
	S("deploy_git.author_email", T_STR, git_author_email, "", 0, 0, NULL,
	  "author and committer address (empty: address.mailbox)"),

	S("deploy_s3.endpoint", T_STR, s3_endpoint, "", 0, 0, NULL,
	  "the S3 endpoint, an http(s) URL: https://s3.eu-west-3.amazonaws.com, "
	  "https://ACCOUNT.r2.cloudflarestorage.com, "
	  "https://s3.REGION.backblazeb2.com, http://127.0.0.1:9000"),
	S("deploy_s3.region", T_STR, s3_region, "us-east-1", 0, 0, NULL,
	  "the region signed for (R2: auto)"),
	S("deploy_s3.bucket", T_STR, s3_bucket, "", 0, 0, NULL,
	  "the bucket"),
	S("deploy_s3.prefix", T_STR, s3_prefix, "", 0, 0, NULL,
	  "put before each key (\"blog/\"); keys are paths relative to "
	  "site.directory"),
	S("deploy_s3.url_style", T_ENUM, s3_url_style, "virtual", 0, 0,
	  "path|virtual",
	  "bucket in the host name (virtual: AWS, R2, B2) or in the path "
	  "(path: MinIO, local servers)"),
	S("deploy_s3.access_key_id", T_STR, s3_access_key_id, "", 0, 0, NULL,
	  "the access key id"),
	S("deploy_s3.secret_file", T_STR, s3_secret_file, "", 0, 0, NULL,
	  "file holding the secret access key; must not be readable by "
	  "group or others"),
	S("deploy_s3.secret_env", T_STR, s3_secret_env, "", 0, 0, NULL,
	  "environment variable holding the secret access key"),
	S("deploy_s3.cache_control", T_STR, s3_cache_control,
	  "public, max-age=300", 0, 0, NULL,
	  "Cache-Control of each uploaded object (empty: none)"),

	S("deploy_command.argv", T_LIST, command_argv, "", 0, 0, NULL,
	  "a program and its first arguments, run without a shell; the "
	  "changed files follow as absolute paths (a file that no longer "
	  "exists was removed)"),
	S("deploy_command.max_args", T_INT, command_max_args, "100", 0,
	  100000, NULL,
	  "more changed files than this are written to the program's "
	  "standard input instead, each path followed by a NUL byte, and "
	  "MAILCOMMENTS_FILES_ON_STDIN=1 is set"),

	S("address.mailbox", T_ADDR, address_mailbox, "comments@example.org",
	  0, 0, NULL,
	  "the gateway's address; readers write to its plus-addresses"),
	S("address.separator", T_STR, address_separator, "+", 0, 0, NULL,
	  "the plus-address separator of the mail server (one character)"),
	S("address.from_name", T_STR, address_from_name, "Comments", 0, 0,
	  NULL, "display name of the gateway's outgoing mail"),
	S("address.unsubscribe_url", T_STR, address_unsubscribe_url, "", 0,
	  0, NULL,
	  "one-click unsubscribe endpoint of reply notices (RFC 8058): an "
	  "https URL in which {token} stands for the unsubscribe address's "
	  "extension (u_ and the token); on POST only, the endpoint sends "
	  "one mail saying \"unsubscribe\" to that address (see the "
	  "README).  Empty: notices offer mailto: only, without "
	  "List-Unsubscribe-Post"),

	S("moderation.moderators", T_LIST, moderators, "moderator@example.org",
	  0, 0, NULL, "addresses allowed to moderate (with a valid token)"),
	S("moderation.languages", T_LIST, moderator_languages, "", 0, 0, NULL,
	  "the language of a moderator's mails, as \"ADDRESS=LANG\" "
	  "(\"anna@example.org=de\"); a moderator not named here gets "
	  "site.language.  Commands are understood in every language "
	  "whatever this says"),
	S("moderation.mode", T_ENUM, moderation_mode, "all", 0, 0,
	  "all|first|none",
	  "moderate every comment, only a sender's first one, or none"),
	S("moderation.auto_approve_after", T_INT, auto_approve_after, "0", 0,
	  1000000, NULL,
	  "auto-approve a sender after this many approved comments (0: off)"),
	S("moderation.confirm_new_senders", T_BOOL, confirm_new_senders,
	  "false", 0, 0, NULL,
	  "a new sender must answer one confirmation mail first (at most "
	  "one a day is sent to an address)"),
	S("moderation.token_lifetime_days", T_INT, token_lifetime_days, "30", 1,
	  3650, NULL, "days a moderation token stays valid"),
	S("moderation.reader_token_days", T_INT, reader_token_days, "730", 1,
	  3650, NULL,
	  "days a commenter can act on their comment by replying to its "
	  "publish or reply notice (edit, delete, mute, unsubscribe)"),
	S("moderation.require_dkim", T_BOOL, require_dkim, "false", 0, 0, NULL,
	  "also require dkim=pass for the moderator's domain in "
	  "Authentication-Results from the trusted server"),
	S("moderation.trusted_authserv_id", T_STR, trusted_authserv_id, "", 0,
	  0, NULL,
	  "authserv-id of the receiving server whose Authentication-Results "
	  "are trusted"),
	S("moderation.trusted_hosts", T_LIST, trusted_hosts, "", 0, 0, NULL,
	  "host names the receiving server writes in \"Received: ... by "
	  "HOST\"; only the header fields above the first Received written "
	  "by another host are trusted (Authentication-Results, spam "
	  "verdicts) (empty: trusted_authserv_id)"),
	S("moderation.digest_minutes", T_INT, digest_minutes, "0", 0, 100000,
	  NULL, "send one digest every N minutes instead of one mail per "
	  "comment (0: off)"),
	S("moderation.flood_threshold", T_INT, flood_threshold, "20", 0,
	  1000000, NULL,
	  "flood mode: when more comments than this arrive for moderation "
	  "in an hour, single notifications stop and digests replace them "
	  "until at most half as many arrive in an hour (0: never)"),
	S("moderation.flood_digest_minutes", T_INT, flood_digest_minutes,
	  "30", 1, 1440, NULL,
	  "in flood mode, a digest of the waiting comments comes at most "
	  "this often"),
	S("moderation.close_after_days", T_INT, close_after_days, "0", 0,
	  36500, NULL,
	  "close an article's comments this many days after the article "
	  "was first recorded (found in the site or added by hand); "
	  "`articles open` keeps it open for good (0: never)"),
	S("moderation.console_per_hour", T_INT, console_per_hour, "30", 0,
	  10000, NULL,
	  "answers a moderator gets from the console (mail to the bare "
	  "address) in an hour at most; the rest is set aside (0: no "
	  "console)"),
	S("moderation.publish_notice", T_BOOL, publish_notice, "true", 0, 0,
	  NULL, "tell commenters when their comment is published"),
	S("moderation.reply_notices", T_BOOL, reply_notices, "true", 0, 0,
	  NULL, "tell commenters when someone replies to their comment"),

	S("limits.message_size", T_INT, limit_message_size, "10485760", 1024,
	  1073741824L, NULL, "largest message accepted, in bytes"),
	S("limits.mime_depth", T_INT, limit_mime_depth, "20", 1, 1000, NULL,
	  "deepest MIME nesting accepted"),
	S("limits.mime_parts", T_INT, limit_mime_parts, "200", 1, 100000, NULL,
	  "most MIME parts accepted in one message"),
	S("limits.line_length", T_INT, limit_line_length, "100000", 78,
	  100000000L, NULL, "longest line of a text body, in bytes"),
	S("limits.header_length", T_INT, limit_header_length, "65536", 998,
	  10000000L, NULL, "longest header field (unfolded), in bytes"),
	S("limits.header_fields", T_INT, limit_header_fields, "1000", 10,
	  1000000L, NULL,
	  "most header fields in a message, and in the headers of its MIME "
	  "parts taken together; beyond: set aside"),
	S("limits.header_size", T_INT, limit_header_size, "1048576", 4096,
	  1073741824L, NULL,
	  "largest header of a message, and largest total of the headers of "
	  "its MIME parts, in bytes; beyond: set aside"),
	S("limits.text_size", T_INT, limit_text_size, "1048576", 1024,
	  1073741824L, NULL,
	  "most text read from the body part a comment comes from, in bytes "
	  "(after its transfer encoding, and as UTF-8); the rest of a longer "
	  "part is cut off at a line break, with the reason \"text "
	  "truncated\""),
	S("limits.text_lines", T_INT, limit_text_lines, "20000", 100,
	  100000000L, NULL,
	  "most lines of text read from that body part; the rest is cut off "
	  "(\"text truncated\")"),
	S("limits.html_elements", T_INT, limit_html_elements, "20000", 100,
	  10000000L, NULL,
	  "most HTML elements read from an HTML part; the rest is cut off "
	  "(\"text truncated\")"),
	S("limits.html_depth", T_INT, limit_html_depth, "256", 8, 100000L,
	  NULL,
	  "deepest nesting of HTML elements read; deeper content is cut off "
	  "(\"text truncated\")"),
	S("limits.batch_bytes", T_INT, limit_batch_bytes, "20971520", 1024,
	  1073741824L, NULL,
	  "most bytes of mail read from the source and held at once: a batch "
	  "ends before the message that would pass this (it always holds at "
	  "least one message)"),
	S("limits.comment_length", T_INT, limit_comment_length, "10000", 10,
	  10000000L, NULL, "longest comment, in characters"),
	S("limits.comments_per_hour", T_INT, limit_comments_per_hour, "10", 1,
	  1000000, NULL, "comments accepted per sender per hour"),
	S("limits.pending_per_sender", T_INT, limit_pending_per_sender, "5", 1,
	  1000000, NULL, "pending comments allowed per sender"),
	S("limits.subaddress_separators", T_STR, limit_subaddress_separators,
	  "+", 0, 0, NULL,
	  "characters that start a sub-address tag in readers' addresses "
	  "(victim+tag@): the tag is ignored when counting rate limits, "
	  "bans, trust and confirmations (empty: never ignored)"),

	S("limits.site_comments_per_hour", T_INT, limit_site_per_hour, "100",
	  0, 100000000L, NULL,
	  "new comments stored per hour, all senders together; more are "
	  "set aside and can be imported later (0: no limit)"),
	S("limits.site_pending", T_INT, limit_site_pending, "500", 0,
	  100000000L, NULL,
	  "comments waiting for moderation, all senders together; more are "
	  "set aside and can be imported later (0: no limit)"),

	S("spam.header", T_ENUM, spam_header, "none", 0, 0,
	  "none|spamassassin|rspamd",
	  "whose spam verdict to trust: only the receiving server's"),
	S("spam.threshold", T_FLOAT, spam_threshold, "5.0", 0, 0, NULL,
	  "score at or above which a comment is set aside as spam"),

	S("source.type", T_ENUM, source_type, "maildir", 0, 0, "maildir|imap",
	  "where mail is read from"),
	S("source.maildir", T_STR, source_maildir, "var/inbox", 0, 0, NULL,
	  "the inbox Maildir (source.type = maildir)"),
	S("source.processed", T_STR, source_processed, "", 0, 0, NULL,
	  "folder for processed mail (empty: leave it in place, marked seen)"),
	S("source.set_aside", T_STR, source_set_aside, "", 0, 0, NULL,
	  "folder for mail set aside: auto-replies, bounces, invalid mail, "
	  "and comments over a limit, which import can try again (empty: "
	  "leave it in place, marked seen)"),
	S("source.junk", T_STR, source_junk, "", 0, 0, NULL,
	  "folder for spam (empty: like set_aside)"),
	S("source.poll_interval", T_INT, source_poll_interval, "60", 1, 86400,
	  NULL, "the daemon looks for new mail this often (seconds) where it "
	  "cannot be told: a Maildir, an IMAP server without IDLE"),
	S("source.batch_size", T_INT, source_batch_size, "1000", 1, 100000,
	  NULL,
	  "messages in one batch from a Maildir (source.maildir, import): "
	  "recorded in one transaction, then moved (a batch also ends before "
	  "limits.batch_bytes; IMAP has imap.batch_size)"),

	S("imap.host", T_STR, imap_host, "", 0, 0, NULL,
	  "IMAP server name"),
	S("imap.port", T_INT, imap_port, "993", 1, 65535, NULL,
	  "IMAP server port"),
	S("imap.tls", T_ENUM, imap_tls, "implicit", 0, 0,
	  "implicit|starttls|none",
	  "implicit TLS (993), STARTTLS (143), or none (loopback only)"),
	S("imap.user", T_STR, imap_user, "", 0, 0, NULL, "IMAP login"),
	S("imap.password_file", T_STR, imap_password_file, "", 0, 0, NULL,
	  "file holding the IMAP password; must not be readable by group "
	  "or others"),
	S("imap.password_env", T_STR, imap_password_env, "", 0, 0, NULL,
	  "environment variable holding the IMAP password"),
	S("imap.ca_file", T_STR, imap_ca_file, "", 0, 0, NULL,
	  "CA certificates to verify the server with (empty: the system's)"),
	S("imap.folder", T_STR, imap_folder, "INBOX", 0, 0, NULL,
	  "folder to read comments from"),
	S("imap.auth", T_ENUM, imap_auth, "login", 0, 0, "login|plain|xoauth2",
	  "how to log in: LOGIN, AUTHENTICATE PLAIN, or XOAUTH2 (the "
	  "password is then an OAuth2 access token)"),
	S("imap.timeout", T_INT, imap_timeout, "60", 5, 3600, NULL,
	  "seconds without an answer before the server counts as "
	  "unreachable"),
	S("imap.batch_size", T_INT, imap_batch_size, "1000", 1, 10000, NULL,
	  "messages in one batch from IMAP: fetched together, recorded in one "
	  "transaction with the position in the folder, then acknowledged "
	  "with one UID MOVE per destination folder (a batch also ends "
	  "before limits.batch_bytes)"),
	S("imap.idle_minutes", T_INT, imap_idle_minutes, "25", 1, 29, NULL,
	  "the daemon renews IMAP IDLE after this many minutes (servers may "
	  "end it after 30)"),

	S("transport.type", T_ENUM, transport_type, "maildir", 0, 0,
	  "maildir|smtp", "how outgoing mail leaves"),
	S("transport.maildir", T_STR, transport_maildir, "var/outbox", 0, 0,
	  NULL, "the outbox Maildir (transport.type = maildir)"),

	S("smtp.host", T_STR, smtp_host, "", 0, 0, NULL,
	  "SMTP server name"),
	S("smtp.port", T_INT, smtp_port, "465", 1, 65535, NULL,
	  "SMTP server port"),
	S("smtp.tls", T_ENUM, smtp_tls, "implicit", 0, 0,
	  "implicit|starttls|none",
	  "implicit TLS (465), STARTTLS (587), or none (loopback only)"),
	S("smtp.user", T_STR, smtp_user, "", 0, 0, NULL,
	  "SMTP login (empty: no authentication)"),
	S("smtp.password_file", T_STR, smtp_password_file, "", 0, 0, NULL,
	  "file holding the SMTP password; must not be readable by group "
	  "or others"),
	S("smtp.password_env", T_STR, smtp_password_env, "", 0, 0, NULL,
	  "environment variable holding the SMTP password"),
	S("smtp.ca_file", T_STR, smtp_ca_file, "", 0, 0, NULL,
	  "CA certificates to verify the server with (empty: the system's)"),
	S("smtp.envelope_sender", T_STR, smtp_envelope_sender, "", 0, 0, NULL,
	  "envelope sender (bounces go there; empty: address.mailbox)"),
	S("smtp.auth", T_ENUM, smtp_auth, "auto", 0, 0,
	  "auto|plain|login|xoauth2",
	  "authentication mechanism (auto: the best the server offers; "
	  "xoauth2: the password is an OAuth2 access token)"),
	S("smtp.timeout", T_INT, smtp_timeout, "60", 5, 3600, NULL,
	  "seconds to connect, and without progress while sending, before "
	  "the attempt fails (and is retried later)"),

	S("outbox.max_age_hours", T_INT, outbox_max_age_hours, "72", 1, 8760,
	  NULL, "give up on a message the transport could not send for this "
	  "many hours"),

	S("database.path", T_STR, database_path, "var/mailcomments.db", 0, 0,
	  NULL, "the SQLite database"),
	S("database.key_file", T_STR, database_key_file, "", 0, 0, NULL,
	  "the secret key tokens are derived from, created on first use; "
	  "must not be readable by group or others (empty: database.path "
	  "followed by .key)"),
	S("database.retention_days", T_INT, database_retention_days, "90", 1,
	  36500, NULL,
	  "days after which sent and failed mail, the mail content of "
	  "decided comments, unconfirmed comments and expired or revoked "
	  "tokens are deleted (the audit log stays)"),

	S("database.state_directory", T_STR, state_directory, "", 0, 0, NULL,
	  "with a `sites` list, STATE: each site's database, key, locks and "
	  "queue live in STATE/sites/NAME/ (empty: the directory of "
	  "database.path)"),

	S("log.target", T_ENUM, log_target, "stderr", 0, 0, "stderr|syslog",
	  "where log lines go"),
	S("log.verbose", T_BOOL, log_verbose, "false", 0, 0, NULL,
	  "also log debug lines"),
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

static void *field(struct conf *c, const struct setting *s)
{
	return (char *)c + s->off;
}

static const void *cfield(const struct conf *c, const struct setting *s)
{
	return (const char *)c + s->off;
}

static void set_default(struct conf *c, const struct setting *s)
{
	void *f = field(c, s);
	const char *p, *comma;

	switch (s->type) {
	case T_STR:
	case T_ENUM:
	case T_ADDR:
		free(*(char **)f);
		*(char **)f = xstrdup(s->def);
		break;
	case T_INT:
		*(long *)f = strtol(s->def, NULL, 10);
		break;
	case T_MODE:
		*(unsigned *)f = (unsigned)strtoul(s->def, NULL, 8);
		break;
	case T_BOOL:
		*(int *)f = strcmp(s->def, "true") == 0;
		break;
	case T_FLOAT:
		*(double *)f = strtod(s->def, NULL);
		break;
	case T_LIST:
		strlist_free(f);
		for (p = s->def; *p; p = comma + (*comma != '\0')) {
			comma = strchr(p, ',');
			if (comma == NULL)
				comma = p + strlen(p);
			if (comma > p) {
				char *item = xstrndup(p, (size_t)(comma - p));

				strlist_add(f, item);
				free(item);
			}
		}
		break;
	}
}

void conf_defaults(struct conf *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < NSETTINGS; i++)
		set_default(c, &settings[i]);
}

void conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++) {
		void *f = field(c, &settings[i]);

		switch (settings[i].type) {
		case T_STR:
		case T_ENUM:
		case T_ADDR:
			free(*(char **)f);
			*(char **)f = NULL;
			break;
		case T_LIST:
			strlist_free(f);
			break;
		default:
			break;
		}
	}
	free(c->path);
	c->path = NULL;
	free(c->site_id);
	c->site_id = NULL;
	strlist_free(&c->site_ids);
	free(c->site_set);
	c->site_set = NULL;
	if (c->words) {
		/* the shipped words again, never freed ones */
		cmdwords_use(NULL);
		cmdwords_free(c->words);
		c->words = NULL;
	}
	catalog_free(c->catalogs);
	c->catalogs = NULL;
}

const struct catalog *conf_catalog(const struct conf *c)
{
	return c->catalogs ? c->catalogs : catalog_shipped();
}

static const struct setting *find_setting(const char *name)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

static int group_known(const char *group)
{
	size_t i, n = strlen(group);

	for (i = 0; i < NSETTINGS; i++)
		if (strncmp(settings[i].name, group, n) == 0 &&
		    settings[i].name[n] == '.')
			return 1;
	return 0;
}

/* A plain addr-spec check: enough to catch typos, not a full RFC 5322
 * grammar (addresses in the configuration are the operator's own). */
static int addr_valid(const char *a)
{
	const char *at = strchr(a, '@'), *p;

	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	if (*a == '@' && a[1] != '\0' && at == a)
		return 0;
	for (p = a; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    *p == ',' || *p == '"' || *p == 0x7f)
			return 0;
	return strchr(at + 1, '.') != NULL || strcmp(at + 1, "localhost") == 0;
}

/* A host name as Received: fields write it after "by". */
static int host_valid(const char *h)
{
	const char *p;

	if (*h == '\0')
		return 0;
	for (p = h; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("()<>@,;:\\\"[]", *p) ||
		    *p == 0x7f)
			return 0;
	return 1;
}

static const char *type_name(enum conf_type t)
{
	switch (t) {
	case T_INT:
		return "an integer";
	case T_BOOL:
		return "true or false";
	case T_FLOAT:
		return "a number";
	case T_LIST:
		return "a list of strings";
	case T_MODE:
		return "an octal mode in quotes";
	default:
		return "a string";
	}
}

struct loadctx {
	struct conf *c;
	struct buf *errs;
	int nerr;
	const char *path;
	const char *site; /* loading this `sites` entry, or NULL */
};

static void bad(struct loadctx *lc, const config_setting_t *cs,
		const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void bad(struct loadctx *lc, const config_setting_t *cs,
		const char *name, const char *fmt, ...)
{
	const char *file = config_setting_source_file(cs);
	va_list ap;

	buf_addf(lc->errs, "%s:%d: %s: ", file ? file : lc->path,
		 config_setting_source_line(cs), name);
	va_start(ap, fmt);
	buf_vaddf(lc->errs, fmt, ap);
	va_end(ap);
	buf_addc(lc->errs, '\n');
	lc->nerr++;
}

static int enum_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);

		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		p = bar ? bar + 1 : NULL;
	}
	return 0;
}

static void load_string(struct loadctx *lc, const struct setting *s,
			const config_setting_t *cs)
{
	const char *v = config_setting_get_string(cs);

	if (config_setting_type(cs) != CONFIG_TYPE_STRING || v == NULL) {
		bad(lc, cs, s->name, "must be %s", type_name(s->type));
		return;
	}
	if (s->type == T_ENUM && !enum_ok(s->choices, v)) {
		bad(lc, cs, s->name, "\"%s\" is not one of %s", v, s->choices);
		return;
	}
	if (s->type == T_ADDR && !addr_valid(v)) {
		bad(lc, cs, s->name, "\"%s\" is not a mail address", v);
		return;
	}
	free(*(char **)field(lc->c, s));
	*(char **)field(lc->c, s) = xstrdup(v);
}

static void load_int(struct loadctx *lc, const struct setting *s,
		     const config_setting_t *cs)
{
	long long v;
	int t = config_setting_type(cs);

	if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64) {
		bad(lc, cs, s->name, "must be %s", type_name(s->type));
		return;
	}
	v = config_setting_get_int64(cs);
	if (v < s->min || v > s->max) {
		bad(lc, cs, s->name, "%lld is out of range (%ld to %ld)", v,
		    s->min, s->max);
		return;
	}
	*(long *)field(lc->c, s) = (long)v;
}

/* A mode is a string: libconfig reads 0644 as the decimal number 644,
 * which would silently give the wrong permissions.  The gateway must be
 * able to reread what it wrote (owner rw, rwx for a directory), and no
 * local user may rewrite published comments (no write for others). */
static void load_mode(struct loadctx *lc, const struct setting *s,
		      const config_setting_t *cs)
{
	const char *v = config_setting_get_string(cs);
	int t = config_setting_type(cs);
	int dir = strstr(s->name, "directory") != NULL;
	unsigned m;

	if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
		bad(lc, cs, s->name,
		    "write the mode as a string in quotes, like \"%s\" "
		    "(a bare 0644 is read as the decimal number 644)",
		    s->def);
		return;
	}
	if (t != CONFIG_TYPE_STRING || v == NULL) {
		bad(lc, cs, s->name, "must be %s", type_name(s->type));
		return;
	}
	if (fsroot_parse_mode(v, &m) < 0) {
		bad(lc, cs, s->name,
		    "\"%s\" is not a mode (3 or 4 octal digits, at most "
		    "0777)", v);
		return;
	}
	if ((m & (dir ? 0700u : 0600u)) != (dir ? 0700u : 0600u)) {
		bad(lc, cs, s->name,
		    "\"%s\" must give the owner %s (the gateway rewrites "
		    "what it wrote)", v, dir ? "rwx" : "rw");
		return;
	}
	if (m & 0002) {
		bad(lc, cs, s->name,
		    "\"%s\" lets every local user rewrite the published "
		    "comments; drop the write bit for others", v);
		return;
	}
	*(unsigned *)field(lc->c, s) = m;
}

static void load_list(struct loadctx *lc, const struct setting *s,
		      const config_setting_t *cs)
{
	struct strlist *l = field(lc->c, s);
	int i, n, t = config_setting_type(cs);

	if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) {
		bad(lc, cs, s->name, "must be %s, like [\"a\", \"b\"]",
		    type_name(s->type));
		return;
	}
	strlist_free(l);
	n = config_setting_length(cs);
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(cs, (unsigned)i);
		const char *v = config_setting_get_string(e);

		if (v == NULL) {
			bad(lc, e, s->name, "element %d must be a string",
			    i + 1);
			continue;
		}
		if ((strcmp(s->name, "moderation.moderators") == 0 ||
		     strcmp(s->name, "site.addresses") == 0) &&
		    !addr_valid(v)) {
			bad(lc, e, s->name, "\"%s\" is not a mail address", v);
			continue;
		}
		if (strcmp(s->name, "moderation.trusted_hosts") == 0 &&
		    !host_valid(v)) {
			bad(lc, e, s->name, "\"%s\" is not a host name", v);
			continue;
		}
		if (strcmp(s->name, "moderation.languages") == 0 &&
		    lang_pair_error(v, "ADDRESS")) {
			bad(lc, e, s->name, "\"%s\": %s", v,
			    lang_pair_error(v, "ADDRESS"));
			continue;
		}
		if (strcmp(s->name, "site.language_paths") == 0 &&
		    lang_path_entry_error(v)) {
			bad(lc, e, s->name, "\"%s\": %s", v,
			    lang_path_entry_error(v));
			continue;
		}
		strlist_add(l, v);
	}
}

static void load_setting(struct loadctx *lc, const struct setting *s,
			 const config_setting_t *cs)
{
	int t = config_setting_type(cs);

	switch (s->type) {
	case T_STR:
	case T_ENUM:
	case T_ADDR:
		load_string(lc, s, cs);
		break;
	case T_INT:
		load_int(lc, s, cs);
		break;
	case T_MODE:
		load_mode(lc, s, cs);
		break;
	case T_BOOL:
		if (t != CONFIG_TYPE_BOOL)
			bad(lc, cs, s->name, "must be %s", type_name(s->type));
		else
			*(int *)field(lc->c, s) = config_setting_get_bool(cs);
		break;
	case T_FLOAT:
		if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT &&
		    t != CONFIG_TYPE_INT64)
			bad(lc, cs, s->name, "must be %s", type_name(s->type));
		else if (t == CONFIG_TYPE_FLOAT)
			*(double *)field(lc->c, s) =
				config_setting_get_float(cs);
		else
			*(double *)field(lc->c, s) =
				(double)config_setting_get_int64(cs);
		break;
	case T_LIST:
		load_list(lc, s, cs);
		break;
	}
}

/* What one gateway shares between its sites cannot be set by one of
 * them: the shards' places, and the log. */
static int site_may_set(struct loadctx *lc, const config_setting_t *cs,
			const struct setting *s)
{
	if (strncmp(s->name, "database.", 9) == 0 &&
	    strcmp(s->name, "database.retention_days") != 0) {
		bad(lc, cs, s->name,
		    "cannot differ per site (site %s): each site's database "
		    "and key are STATE/sites/%s/; set "
		    "database.state_directory at the top level", lc->site,
		    lc->site);
		return 0;
	}
	if (strncmp(s->name, "log.", 4) == 0) {
		bad(lc, cs, s->name,
		    "cannot differ per site (site %s): one gateway, one log",
		    lc->site);
		return 0;
	}
	return 1;
}

static void load_group(struct loadctx *lc, const config_setting_t *g)
{
	const char *gname = config_setting_name(g);
	int i, n;

	if (config_setting_type(g) != CONFIG_TYPE_GROUP) {
		if (group_known(gname))
			bad(lc, g, gname, "must be a group: %s = { ... };",
			    gname);
		else
			bad(lc, g, gname, "unknown setting");
		return;
	}
	if (!group_known(gname)) {
		bad(lc, g, gname, "unknown group");
		return;
	}
	n = config_setting_length(g);
	for (i = 0; i < n; i++) {
		config_setting_t *cs = config_setting_get_elem(g, (unsigned)i);
		char *full = xasprintf("%s.%s", gname, config_setting_name(cs));
		const struct setting *s = find_setting(full);

		if (s == NULL)
			bad(lc, cs, full, "unknown setting");
		else if (lc->site && !site_may_set(lc, cs, s))
			;
		else
			load_setting(lc, s, cs);
		if (s && lc->site && lc->c->site_set)
			lc->c->site_set[s - settings] = 1;
		free(full);
	}
}

/* A password file is checked at load time, so that a file others can read
 * is refused by check-config before the first poll ever runs. */
static void check_secret(struct loadctx *lc, config_setting_t *root,
			 const char *group, const char *file, const char *env)
{
	struct mc_err err;
	char *secret, *name;
	config_setting_t *cs;

	if (file[0] == '\0')
		return;
	name = xasprintf("%s.password_file", group);
	cs = config_setting_lookup(root, name);
	if (env[0] != '\0')
		bad(lc, cs ? cs : root, name,
		    "set password_file or password_env, not both");
	else if (conf_read_secret(file, NULL, &secret, &err) < 0)
		bad(lc, cs ? cs : root, name, "%s", err.msg);
	else
		free(secret);
	free(name);
}

/* The key file, like a password file, is refused at load time when
 * others can read it (it is created later, on first use, if absent). */
static void check_key_file(struct loadctx *lc, config_setting_t *root)
{
	struct mc_err err;
	char *path = conf_key_file(lc->c);
	config_setting_t *cs;

	if (keyfile_check(path, &err) < 0) {
		cs = config_setting_lookup(root, "database.key_file");
		if (cs == NULL)
			cs = config_setting_lookup(root, "database.path");
		bad(lc, cs ? cs : root, "database.key_file", "%s", err.msg);
	}
	free(path);
}

char *conf_key_file(const struct conf *c)
{
	return c->database_key_file[0] ? xstrdup(c->database_key_file) :
					 xasprintf("%s.key", c->database_path);
}

int conf_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (ascii_casecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return 0;
}

/* A server the configuration uses must be named, reachable without
 * sending secrets in plain text, and logged in to with a secret. */
static void check_server(struct loadctx *lc, config_setting_t *root,
			 const char *group, const char *host, const char *tls,
			 const char *user, int user_required,
			 const char *file, const char *env)
{
	config_setting_t *cs;
	char *name;

	name = xasprintf("%s.host", group);
	cs = config_setting_lookup(root, name);
	if (host[0] == '\0')
		bad(lc, cs ? cs : root, name, "must be set when %s is used",
		    group);
	free(name);
	name = xasprintf("%s.tls", group);
	cs = config_setting_lookup(root, name);
	if (host[0] != '\0' && strcmp(tls, "none") == 0 &&
	    !conf_is_loopback(host))
		bad(lc, cs ? cs : root, name,
		    "\"none\" (plain text) is only allowed to a loopback "
		    "host, not %s", host);
	free(name);
	name = xasprintf("%s.user", group);
	cs = config_setting_lookup(root, name);
	if (user_required && user[0] == '\0')
		bad(lc, cs ? cs : root, name, "must be set when %s is used",
		    group);
	if (user[0] != '\0' && file[0] == '\0' && env[0] == '\0')
		bad(lc, cs ? cs : root, name,
		    "needs %s.password_file or %s.password_env", group,
		    group);
	free(name);
}

/* A header line must be one (no CR or LF: no header of our own can be
 * forged after it); a secret file others can read is refused. */
static void check_webhook(struct loadctx *lc, config_setting_t *root)
{
	const struct conf *c = lc->c;
	config_setting_t *cs =
		config_setting_lookup(root, "render.webhook_headers");
	struct mc_err err;
	char *secret;
	size_t i;

	for (i = 0; i < c->render_webhook_headers.n; i++) {
		const char *h = c->render_webhook_headers.v[i], *p;
		size_t n = strcspn(h, ":");

		for (p = h; *p && (unsigned char)*p >= 0x20 && *p != 0x7f; p++)
			;
		if (n == 0 || h[n] != ':' || *p || strcspn(h, " \t") < n)
			bad(lc, cs ? cs : root, "render.webhook_headers",
			    "\"%s\" is not one \"Name: value\" line", h);
	}
	cs = config_setting_lookup(root, "render.webhook_secret_file");
	if (c->render_webhook_secret_file[0] &&
	    c->render_webhook_secret_env[0])
		bad(lc, cs ? cs : root, "render.webhook_secret_file",
		    "set webhook_secret_file or webhook_secret_env, not both");
	else if (c->render_webhook_secret_file[0] &&
		 conf_read_secret(c->render_webhook_secret_file, NULL, &secret,
				  &err) < 0)
		bad(lc, cs ? cs : root, "render.webhook_secret_file", "%s",
		    err.msg);
	else if (c->render_webhook_secret_file[0])
		free(secret);
	if (strcmp(c->render_webhook_preset, "cloudflare_purge") == 0 &&
	    !c->render_webhook_secret_file[0] &&
	    !c->render_webhook_secret_env[0])
		bad(lc, cs ? cs : root, "render.webhook_preset",
		    "cloudflare_purge needs the API token in "
		    "render.webhook_secret_file or render.webhook_secret_env");
}

/* A time zone must name a file of the system's zone database (glibc
 * would silently use UTC otherwise); the webhook only speaks HTTP(S). */
static void check_render(struct loadctx *lc, config_setting_t *root)
{
	const char *tz = lc->c->render_time_zone, *dir = getenv("TZDIR");
	config_setting_t *cs;
	char *path;

	path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
			 tz);
	if (strcmp(tz, "UTC") != 0 &&
	    (tz[0] == '\0' || tz[0] == '/' || strstr(tz, "..") ||
	     access(path, R_OK) != 0)) {
		cs = config_setting_lookup(root, "render.time_zone");
		bad(lc, cs ? cs : root, "render.time_zone",
		    "\"%s\" is not a time zone of %s", tz,
		    dir && *dir ? dir : "/usr/share/zoneinfo");
	}
	free(path);
	if (lc->c->render_webhook_url[0] != '\0' &&
	    !str_casestartswith(lc->c->render_webhook_url, "http://") &&
	    !str_casestartswith(lc->c->render_webhook_url, "https://")) {
		cs = config_setting_lookup(root, "render.webhook_url");
		bad(lc, cs ? cs : root, "render.webhook_url",
		    "must be an http:// or https:// URL");
	}
	if (strcmp(lc->c->render_generator, "none") != 0 &&
	    lc->c->render_generator_directory[0] == '\0') {
		cs = config_setting_lookup(root, "render.generator");
		bad(lc, cs ? cs : root, "render.generator_directory",
		    "must name the site's root when render.generator is "
		    "\"%s\"", lc->c->render_generator);
	}
	check_webhook(lc, root);
	if (lc->c->render_directory[0] == '\0') {
		cs = config_setting_lookup(root, "render.directory");
		bad(lc, cs ? cs : root, "render.directory",
		    "must name a directory");
	}
}

/* Each target named must be one we have and be complete, so that a
 * typo is refused by check-config rather than found after a decision. */
static void check_deploy(struct loadctx *lc, config_setting_t *root)
{
	const struct conf *c = lc->c;
	config_setting_t *cs = config_setting_lookup(root, "deploy.targets");
	struct mc_err err;
	char *secret;
	size_t i;

	for (i = 0; i < c->deploy_targets.n; i++) {
		const char *t = c->deploy_targets.v[i];

		if (strcmp(t, "git") && strcmp(t, "s3") && strcmp(t, "command"))
			bad(lc, cs ? cs : root, "deploy.targets",
			    "\"%s\" is not a target (git, s3, command)", t);
	}
	if (strlist_has(&c->deploy_targets, "s3")) {
		if (!str_casestartswith(c->s3_endpoint, "http://") &&
		    !str_casestartswith(c->s3_endpoint, "https://"))
			bad(lc, cs ? cs : root, "deploy_s3.endpoint",
			    "must be an http:// or https:// URL");
		if (c->s3_bucket[0] == '\0' || strchr(c->s3_bucket, '/'))
			bad(lc, cs ? cs : root, "deploy_s3.bucket",
			    "must name a bucket");
		if (c->s3_access_key_id[0] == '\0')
			bad(lc, cs ? cs : root, "deploy_s3.access_key_id",
			    "must be set");
		if (c->s3_secret_file[0] && c->s3_secret_env[0])
			bad(lc, cs ? cs : root, "deploy_s3.secret_file",
			    "set secret_file or secret_env, not both");
		else if (c->s3_secret_file[0] == '\0' &&
			 c->s3_secret_env[0] == '\0')
			bad(lc, cs ? cs : root, "deploy_s3.secret_file",
			    "needs deploy_s3.secret_file or "
			    "deploy_s3.secret_env");
		else if (c->s3_secret_file[0] &&
			 conf_read_secret(c->s3_secret_file, NULL, &secret,
					  &err) < 0)
			bad(lc, cs ? cs : root, "deploy_s3.secret_file", "%s",
			    err.msg);
		else if (c->s3_secret_file[0])
			free(secret);
	}
	if (strlist_has(&c->deploy_targets, "command") &&
	    (c->command_argv.n == 0 || c->command_argv.v[0][0] != '/'))
		bad(lc, cs ? cs : root, "deploy_command.argv",
		    "must start with a program's absolute path");
}

/* A moderator that is the gateway itself would get every notification
 * back as a new mail, and could never be answered. */
static void check_moderators(struct loadctx *lc, config_setting_t *root)
{
	config_setting_t *cs;
	size_t i;

	/* a language for an address that does not moderate is a typo */
	for (i = 0; i < lc->c->moderator_languages.n; i++) {
		const char *e = lc->c->moderator_languages.v[i];
		char *addr = xstrndup(e, (size_t)(strrchr(e, '=') - e));

		if (!conf_is_moderator(lc->c, addr)) {
			cs = config_setting_lookup(root, "moderation.languages");
			bad(lc, cs ? cs : root, "moderation.languages",
			    "\"%s\" is not one of moderation.moderators", addr);
		}
		free(addr);
	}

	for (i = 0; i < lc->c->moderators.n; i++) {
		if (!addr_is_gateway(lc->c, lc->c->moderators.v[i]))
			continue;
		cs = config_setting_lookup(root, "moderation.moderators");
		bad(lc, cs ? cs : root, "moderation.moderators",
		    "\"%s\" is the gateway's own address",
		    lc->c->moderators.v[i]);
	}
}

/* RFC 8058 one-click needs an https URI; it goes into a header between
 * angle brackets, so it holds no space, control, quote, comma or bracket,
 * and names the token once. */
static void check_unsubscribe_url(struct loadctx *lc, config_setting_t *root)
{
	const char *u = lc->c->address_unsubscribe_url, *t, *p;
	config_setting_t *cs;

	if (u[0] == '\0')
		return;
	cs = config_setting_lookup(root, "address.unsubscribe_url");
	if (!str_casestartswith(u, "https://") || u[8] == '\0') {
		bad(lc, cs ? cs : root, "address.unsubscribe_url",
		    "must be an https:// URL (RFC 8058)");
		return;
	}
	for (p = u; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
		    strchr("<>\"',\\", *p)) {
			bad(lc, cs ? cs : root, "address.unsubscribe_url",
			    "holds a character a URL in a header cannot hold "
			    "(write it percent-encoded)");
			return;
		}
	t = strstr(u, "{token}");
	if (t == NULL || strstr(t + 1, "{token}") != NULL)
		bad(lc, cs ? cs : root, "address.unsubscribe_url",
		    "must hold {token} once, where the unsubscribe token goes");
}

/* Checks that depend on more than one setting. */
static void check_whole(struct loadctx *lc, config_t *cfg)
{
	config_setting_t *root = config_root_setting(cfg);
	config_setting_t *cs;
	char tag[LANG_TAG_MAX];

	if (strlen(lc->c->address_separator) != 1 ||
	    strchr("+-=_", lc->c->address_separator[0]) == NULL) {
		cs = config_setting_lookup(root, "address.separator");
		bad(lc, cs ? cs : root, "address.separator",
		    "must be one of + - = _");
	}
	if (lc->c->require_dkim && lc->c->trusted_authserv_id[0] == '\0') {
		cs = config_setting_lookup(root, "moderation.require_dkim");
		bad(lc, cs ? cs : root, "moderation.require_dkim",
		    "needs moderation.trusted_authserv_id");
	}
	if (lc->c->limit_subaddress_separators[strspn(
		    lc->c->limit_subaddress_separators, "+-=_")] != '\0') {
		cs = config_setting_lookup(root, "limits.subaddress_separators");
		bad(lc, cs ? cs : root, "limits.subaddress_separators",
		    "only the characters + - = _ may separate a sub-address");
	}
	if (!lang_normalize(lc->c->site_language, tag)) {
		cs = config_setting_lookup(root, "site.language");
		bad(lc, cs ? cs : root, "site.language",
		    "\"%s\" is not a language tag (as in \"en\", \"fr\", "
		    "\"pt-BR\")", lc->c->site_language);
	}
	check_moderators(lc, root);
	if (lc->c->moderators.n == 0) {
		cs = config_setting_lookup(root, "moderation.moderators");
		bad(lc, cs ? cs : root, "moderation.moderators",
		    "at least one moderator is needed");
	}
	check_render(lc, root);
	check_deploy(lc, root);
	check_unsubscribe_url(lc, root);
	check_key_file(lc, root);
	check_secret(lc, root, "imap", lc->c->imap_password_file,
		     lc->c->imap_password_env);
	check_secret(lc, root, "smtp", lc->c->smtp_password_file,
		     lc->c->smtp_password_env);
	if (strcmp(lc->c->source_type, "imap") == 0)
		check_server(lc, root, "imap", lc->c->imap_host,
			     lc->c->imap_tls, lc->c->imap_user, 1,
			     lc->c->imap_password_file,
			     lc->c->imap_password_env);
	if (strcmp(lc->c->transport_type, "smtp") == 0)
		check_server(lc, root, "smtp", lc->c->smtp_host,
			     lc->c->smtp_tls, lc->c->smtp_user, 0,
			     lc->c->smtp_password_file,
			     lc->c->smtp_password_env);
}

/* A site's name names its folder STATE/sites/NAME and goes into
 * --site: lowercase letters, digits and '-', not first. */
static int site_name_ok(const char *n)
{
	size_t len = strlen(n);

	return len > 0 && len <= 63 && n[0] != '-' &&
	       strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789-") == len;
}

/* Each member of an entry is a group of settings, its name aside. */
static void load_site_entry(struct loadctx *lc, const config_setting_t *e)
{
	int i, n = config_setting_length(e);

	for (i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(e, (unsigned)i);

		if (strcmp(config_setting_name(g), "name") == 0)
			continue;
		if (strcmp(config_setting_name(g), "sites") == 0) {
			bad(lc, g, "sites", "a site cannot hold sites");
			continue;
		}
		load_group(lc, g);
	}
}

/* Checks every entry of `sites` (a name, known settings of the right
 * types: a scratch configuration takes them), lists the names in
 * c->site_ids and returns the entry called site, or NULL. */
static const config_setting_t *load_sites(struct loadctx *lc,
					  const config_setting_t *list,
					  const char *site)
{
	const config_setting_t *found = NULL;
	int i, n, t = config_setting_type(list);

	if (t != CONFIG_TYPE_LIST) {
		bad(lc, list, "sites",
		    "must be a list of groups: sites = ( { name = \"blog\"; "
		    "... } );");
		return NULL;
	}
	n = config_setting_length(list);
	if (n == 0)
		bad(lc, list, "sites", "names no site (remove it for one site)");
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
		const char *name = NULL;
		struct conf scratch;
		struct loadctx sc = *lc;

		if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
			bad(lc, e, "sites", "entry %d must be a group { ... }",
			    i + 1);
			continue;
		}
		if (!config_setting_lookup_string(e, "name", &name) ||
		    !site_name_ok(name)) {
			bad(lc, e, "sites",
			    "entry %d needs name = \"...\" of lowercase "
			    "letters, digits and '-' (it names the folder "
			    "sites/NAME), not \"%s\"", i + 1,
			    name ? name : "");
			continue;
		}
		if (strlist_has(&lc->c->site_ids, name)) {
			bad(lc, e, "sites", "two sites are named \"%s\"", name);
			continue;
		}
		strlist_add(&lc->c->site_ids, name);
		if (site && strcmp(site, name) == 0) {
			found = e;
			continue; /* loaded over the top level later */
		}
		/* a site's own load checks its entry alone: the others were
		 * checked with the top level (poll loads every site, and a
		 * thousand entries checked a thousand times would cost
		 * seconds) */
		if (site)
			continue;
		conf_defaults(&scratch);
		sc.c = &scratch;
		sc.nerr = 0;
		sc.site = name;
		load_site_entry(&sc, e);
		lc->nerr += sc.nerr;
		conf_free(&scratch);
	}
	return found;
}

int conf_site_has_mailbox(const struct conf *c)
{
	static const char *const own[] = {
		"source.type", "source.maildir", "imap.host", "imap.user",
		"imap.folder",
	};
	size_t i;

	if (c->site_set == NULL)
		return 0;
	for (i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (c->site_set[find_setting(own[i]) - settings] == 1)
			return 1;
	return 0;
}

char *conf_state_dir(const struct conf *c)
{
	const char *db = c->database_path, *slash;

	if (c->state_directory[0])
		return xstrdup(c->state_directory);
	slash = strrchr(db, '/');
	return slash == NULL ? xstrdup(".") :
	       slash == db   ? xstrdup("/") :
			       xstrndup(db, (size_t)(slash - db));
}

/* The shard: the site's own database (and so its key, poll and outbox
 * locks, all named after it) under STATE/sites/NAME/. */
static void shard_paths(struct conf *c)
{
	char *state = conf_state_dir(c);
	const struct setting *s;

	free(c->database_path);
	c->database_path = xasprintf("%s/sites/%s/mailcomments.db", state,
				     c->site_id);
	free(c->database_key_file);
	c->database_key_file = xstrdup("");
	if (!conf_site_has_mailbox(c)) {
		free(c->source_type);
		c->source_type = xstrdup("maildir");
		free(c->source_maildir);
		c->source_maildir = xasprintf("%s/sites/%s/queue", state,
					      c->site_id);
		s = find_setting("source.type");
		c->site_set[s - settings] = 2;
		s = find_setting("source.maildir");
		c->site_set[s - settings] = 2;
		/* read mail leaves new/ and cur/, so that a pass lists only
		 * what is new, however long the queue has run */
		if (c->source_processed[0] == '\0') {
			free(c->source_processed);
			c->source_processed = xstrdup("Processed");
			c->site_set[find_setting("source.processed") -
				    settings] = 2;
		}
		if (c->source_set_aside[0] == '\0') {
			free(c->source_set_aside);
			c->source_set_aside = xstrdup("Set-Aside");
			c->site_set[find_setting("source.set_aside") -
				    settings] = 2;
		}
	}
	/* outgoing mail is named after its row in the site's own outbox
	 * table: two sites in one Maildir would overwrite each other's */
	if (c->site_set[find_setting("transport.maildir") - settings] == 0) {
		free(c->transport_maildir);
		c->transport_maildir = xasprintf("%s/sites/%s/outbox", state,
						 c->site_id);
		c->site_set[find_setting("transport.maildir") - settings] = 2;
	}
	/* the database moved: STATE must not move with it */
	free(c->state_directory);
	c->state_directory = state;
	s = find_setting("database.state_directory");
	c->site_set[s - settings] = 2;
	s = find_setting("database.path");
	c->site_set[s - settings] = 2;
	s = find_setting("database.key_file");
	c->site_set[s - settings] = 2;
}

static int read_file_conf(config_t *cfg, const char *path, struct buf *errs)
{
	config_init(cfg);
	if (config_read_file(cfg, path) == CONFIG_TRUE)
		return 0;
	if (config_error_type(cfg) == CONFIG_ERR_FILE_IO)
		buf_addf(errs, "%s: cannot read: %s\n", path, strerror(errno));
	else
		buf_addf(errs, "%s:%d: syntax error: %s\n",
			 config_error_file(cfg) ? config_error_file(cfg) : path,
			 config_error_line(cfg), config_error_text(cfg));
	config_destroy(cfg);
	return -1;
}

/* --site when the file has no such site: say which there are. */
static void no_such_site(struct loadctx *lc, const char *site)
{
	size_t i;

	if (lc->c->site_ids.n == 0) {
		buf_addf(lc->errs,
			 "%s: --site %s: this configuration is one site (it "
			 "has no `sites` list); leave --site out\n",
			 lc->path, site);
	} else {
		buf_addf(lc->errs, "%s: --site %s: no such site; the sites "
				   "are:", lc->path, site);
		for (i = 0; i < lc->c->site_ids.n; i++)
			buf_addf(lc->errs, " %s", lc->c->site_ids.v[i]);
		buf_addc(lc->errs, '\n');
	}
	lc->nerr++;
}

int conf_load_site(struct conf *c, const char *path, const char *site,
		   struct buf *errs)
{
	struct loadctx lc = { c, errs, 0, path, NULL };
	const config_setting_t *sites = NULL, *entry = NULL;
	config_setting_t *root;
	config_t cfg;
	int i, n;

	conf_defaults(c);
	c->path = xstrdup(path);
	if (read_file_conf(&cfg, path, errs) < 0) {
		conf_free(c);
		return -1;
	}
	root = config_root_setting(&cfg);
	n = config_setting_length(root);
	for (i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(root, (unsigned)i);

		if (strcmp(config_setting_name(g), "sites") == 0)
			sites = g;
		else
			load_group(&lc, g);
	}
	if (sites)
		entry = load_sites(&lc, sites, site);
	if (site && entry == NULL && lc.nerr == 0)
		no_such_site(&lc, site);
	if (entry) {
		c->site_id = xstrdup(site);
		c->site_set = xcalloc(NSETTINGS, 1);
		lc.site = site;
		load_site_entry(&lc, entry);
		lc.site = NULL;
		shard_paths(c);
	}
	check_whole(&lc, &cfg);
	config_destroy(&cfg);
	if (lc.nerr == 0 && c->site_catalogs[0]) {
		struct mc_err err;

		/* read at load: a bad catalog is a configuration error,
		 * reported by check-config, never half-used */
		c->catalogs = catalog_open(1, c->site_catalogs, &err);
		if (c->catalogs == NULL) {
			buf_addf(errs, "%s: site.catalogs: %s\n", path, err.msg);
			lc.nerr++;
		} else if ((c->words = cmdwords_build(c->catalogs, &err)) ==
			   NULL) {
			/* a word that two languages read two ways would
			 * act on comments nobody meant to touch */
			buf_addf(errs, "%s: site.catalogs: command words: %s\n",
				 path, err.msg);
			lc.nerr++;
		} else {
			cmdwords_use(c->words);
		}
	}
	if (lc.nerr > 0) {
		conf_free(c);
		return -1;
	}
	return 0;
}

int conf_load(struct conf *c, const char *path, struct buf *errs)
{
	return conf_load_site(c, path, NULL, errs);
}

int conf_read_secret(const char *file, const char *env, char **secret,
		     struct mc_err *err)
{
	struct buf b;
	struct stat st;
	size_t n;

	*secret = NULL;
	if (file && *file) {
		if (stat(file, &st) < 0)
			return err_set(err, "%s: %s", file, strerror(errno));
		if (st.st_mode & (S_IRWXG | S_IRWXO))
			return err_set(err,
				       "%s: refusing a password file that "
				       "group or others can access "
				       "(mode %04o); run chmod 600 %s",
				       file, (unsigned)(st.st_mode & 07777),
				       file);
		buf_init(&b);
		if (read_file(file, &b, 65536, err) < 0) {
			buf_free(&b);
			return -1;
		}
		/* One trailing newline is an editor's, not the password's. */
		n = b.len;
		if (n > 0 && b.s[n - 1] == '\n')
			n--;
		if (n > 0 && b.s[n - 1] == '\r')
			n--;
		buf_truncate(&b, n);
		*secret = buf_detach(&b);
		buf_free(&b);
		return 0;
	}
	if (env && *env) {
		const char *v = getenv(env);

		if (v == NULL)
			return err_set(err, "environment variable %s is not set",
				       env);
		*secret = xstrdup(v);
		return 0;
	}
	return err_set(err, "no password_file or password_env is set");
}

const char *conf_moderator_language(const struct conf *c, const char *addr)
{
	size_t i, n;

	for (i = 0; addr && i < c->moderator_languages.n; i++) {
		const char *e = c->moderator_languages.v[i];
		const char *eq = strrchr(e, '=');

		n = eq ? (size_t)(eq - e) : 0;
		if (eq && strlen(addr) == n && ascii_ncasecmp(e, addr, n) == 0)
			return eq + 1;
	}
	return c->site_language;
}

int conf_is_moderator(const struct conf *c, const char *addr)
{
	size_t i;

	for (i = 0; i < c->moderators.n; i++)
		if (ascii_casecmp(c->moderators.v[i], addr) == 0)
			return 1;
	return 0;
}

/* A value as libconfig reads it, fit for a terminal (term.h): a control
 * character in a value shows as '?'. */
static void print_string(FILE *out, const char *s)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	term_clean(&b, s, strlen(s), 0);
	fputc('"', out);
	for (p = b.s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fputc('\\', out);
		fputc(*p, out);
	}
	fputc('"', out);
	buf_free(&b);
}

static void print_value(const struct conf *c, const struct setting *s,
			FILE *out)
{
	const void *f = cfield(c, s);
	const struct strlist *l;
	size_t i;

	switch (s->type) {
	case T_STR:
	case T_ENUM:
	case T_ADDR:
		print_string(out, *(char *const *)f);
		break;
	case T_INT:
		fprintf(out, "%ld", *(const long *)f);
		break;
	case T_MODE:
		fprintf(out, "\"%04o\"", *(const unsigned *)f);
		break;
	case T_BOOL:
		fputs(*(const int *)f ? "true" : "false", out);
		break;
	case T_FLOAT:
		fprintf(out, "%.2f", *(const double *)f);
		break;
	case T_LIST:
		l = f;
		fputc('[', out);
		for (i = 0; i < l->n; i++) {
			if (i)
				fputs(", ", out);
			print_string(out, l->v[i]);
		}
		fputc(']', out);
		break;
	}
}

/* The password itself is never printed, only where it comes from. */
static void print_secret_note(const struct conf *c, const struct setting *s,
			      FILE *out)
{
	const char *file = NULL, *env = NULL;

	if (strcmp(s->name, "imap.password_env") == 0) {
		file = c->imap_password_file;
		env = c->imap_password_env;
	} else if (strcmp(s->name, "smtp.password_env") == 0) {
		file = c->smtp_password_file;
		env = c->smtp_password_env;
	} else {
		return;
	}
	if (file[0]) {
		fputs("  # password = \"********\"; (from ", out);
		term_put(out, file, 0);
		fputs(")\n", out);
	} else if (env[0]) {
		fputs("  # password = \"********\"; (from $", out);
		term_put(out, env, 0);
		fprintf(out, "%s)\n", getenv(env) ? "" : ", not set");
	}
}

/* Settings one gateway shares between all its sites (site_may_set()). */
static int site_fixed(const char *name)
{
	return (strncmp(name, "database.", 9) == 0 &&
		strcmp(name, "database.retention_days") != 0) ||
	       strncmp(name, "log.", 4) == 0;
}

static size_t group_len(const char *name)
{
	const char *dot = strchr(name, '.');

	return dot ? (size_t)(dot - name) : strlen(name);
}

void conf_print(const struct conf *c, FILE *out)
{
	size_t i;

	fprintf(out, "# effective configuration (%s)\n",
		c->path ? c->path : "embedded defaults");
	if (c->site_id) {
		fputs("# site ", out);
		term_put(out, c->site_id, 0);
		fputs(": \"# site\" marks what its entry sets, \"# shard\" "
		      "its own state, \"# top level\" what it inherits\n",
		      out);
	} else if (c->site_ids.n > 0) {
		fprintf(out, "# the top level, inherited by the %zu sites "
			     "(check-config --site NAME shows one):",
			c->site_ids.n);
		for (i = 0; i < c->site_ids.n; i++) {
			fputc(' ', out);
			term_put(out, c->site_ids.v[i], 0);
		}
		fputc('\n', out);
	}
	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		size_t gl = group_len(s->name);

		if (i == 0 || group_len(settings[i - 1].name) != gl ||
		    strncmp(settings[i - 1].name, s->name, gl) != 0)
			fprintf(out, "%s%.*s = {\n", i ? "};\n" : "", (int)gl,
				s->name);
		fprintf(out, "  %s = ", s->name + gl + 1);
		print_value(c, s, out);
		fputs(";", out);
		if (c->site_set)
			fputs(c->site_set[i] == 2   ? " # shard" :
			      c->site_set[i] == 1   ? " # site" :
			      site_fixed(s->name) ? " # top level (cannot "
						    "differ per site)" :
						    " # top level",
			      out);
		fputc('\n', out);
		print_secret_note(c, s, out);
	}
	fputs("};\n", out);
}

void conf_print_reference(FILE *out)
{
	size_t i;

	for (i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		fprintf(out, "%s\t%s\t", s->name, type_name(s->type));
		if (s->type == T_STR || s->type == T_ENUM ||
		    s->type == T_ADDR || s->type == T_MODE)
			fprintf(out, "\"%s\"", s->def);
		else if (s->type == T_LIST && s->def[0] == '\0')
			fputs("[]", out);
		else if (s->type == T_LIST)
			fprintf(out, "[\"%s\"]", s->def);
		else
			fputs(s->def, out);
		fprintf(out, "\t%s\n", s->help);
	}
}
