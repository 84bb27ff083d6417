/* store.c: SQLite connection, schema migrations and the shared records.
 * Migrations are append-only: a released schema is never edited, a change
 * is a new entry at the end of `migrations`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "keyfile.h"
#include "store.h"
#include "token.h"
#include "outbox.h"
#include "banned.h"

/* Secrets at rest.  A queued mail holds a placeholder (a random nonce)
 * where each token goes, and outbox_tokens lists them: only those are
 * expanded, with the key file, when it is sent, and the sent copy keeps
 * none (outbox.c, token.c).  outbox_comments says which comments a mail
 * shows, so that forget finds every copy.  pruned_at marks comments whose
 * mail content the retention removed.  Outbox ids are never reused now
 * that rows are deleted (AUTOINCREMENT): the Maildir transport names a
 * delivered file after its row, and a new mail must not replace it.  Its
 * C step (token_migrate) takes out the tokens that earlier versions kept
 * in clear. */
static const char m_secrets[] =
	"CREATE TABLE outbox_v3 ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  kind TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  message BLOB NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (status IN ('queued', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  last_error TEXT"
	");"
	"INSERT INTO outbox_v3 SELECT id, kind, recipient, message, status,"
	"  attempts, created_at, next_attempt_at, sent_at, last_error"
	"  FROM outbox;"
	"DROP TABLE outbox;"
	"ALTER TABLE outbox_v3 RENAME TO outbox;"
	"CREATE INDEX outbox_queue ON outbox(status, id);"
	"CREATE TABLE outbox_tokens ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  token_id INTEGER NOT NULL,"
	"  nonce TEXT NOT NULL,"
	"  PRIMARY KEY (outbox_id, token_id)"
	");"
	"CREATE INDEX outbox_tokens_token ON outbox_tokens(token_id);"
	"CREATE TABLE outbox_comments ("
	"  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,"
	"  comment_id INTEGER NOT NULL REFERENCES comments(id)"
	"    ON DELETE CASCADE,"
	"  PRIMARY KEY (outbox_id, comment_id)"
	");"
	"CREATE INDEX outbox_comments_comment ON outbox_comments(comment_id);"
	"CREATE INDEX outbox_age ON outbox(status, created_at);"
	"ALTER TABLE comments ADD COLUMN pruned_at INTEGER;"
	"CREATE INDEX comments_unpruned ON comments(decided_at)"
	"  WHERE pruned_at IS NULL;"
	"CREATE INDEX tokens_expiry ON tokens(expires_at);"
	/* partial, like comments_waiting: an index on every status would
	 * lure the planner away from comments_author_key for the
	 * per-sender counts */
	"CREATE INDEX comments_unconfirmed ON comments(created_at)"
	"  WHERE status = 'unconfirmed';";

/* The conversation by mail.  Tokens get two more purposes: 'reader'
 * (a commenter's own token, on the publish and reply notices: edit,
 * delete, follow, mute or unsubscribe by reply) and 'follow' (the
 * double opt-in of a follower), and two scopes: the article a token is
 * about, and the comment its mail shows (context_id: a reply notice is
 * about the reader's comment and shows the reply).  SQLite cannot change
 * a CHECK, so tokens is rebuilt; digest_items, its one child, is rebuilt
 * first so that dropping the old table cascades to nothing.  followers:
 * who receives each newly published comment of an article.
 * articles.closed_at: no more comments (set by `articles close` or
 * moderation.close_after_days).  comments.auth: the authentication
 * verdict of the trusted server at arrival, for the moderators.
 * comments.muted: its author wants no reply notices for it. */
static const char m_conversation[] =
	"CREATE TABLE tokens_v6 ("
	"  id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  purpose TEXT NOT NULL CHECK (purpose IN"
	"    ('moderate', 'digest', 'confirm', 'unsubscribe', 'reader',"
	"     'follow')),"
	"  comment_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,"
	"  address TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0,"
	"  article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,"
	"  context_id INTEGER REFERENCES comments(id) ON DELETE SET NULL"
	");"
	"INSERT INTO tokens_v6 (id, hash, purpose, comment_id, address,"
	"  created_at, expires_at, revoked)"
	"  SELECT id, hash, purpose, comment_id, address, created_at,"
	"  expires_at, revoked FROM tokens;"
	"CREATE TABLE digest_items_v6 ("
	"  token_id INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,"
	"  comment_id INTEGER NOT NULL REFERENCES comments(id)"
	"    ON DELETE CASCADE,"
	"  PRIMARY KEY (token_id, comment_id)"
	");"
	"INSERT INTO digest_items_v6 SELECT token_id, comment_id"
	"  FROM digest_items;"
	"DROP TABLE digest_items;"
	"DROP TABLE tokens;"
	"ALTER TABLE tokens_v6 RENAME TO tokens;"
	"ALTER TABLE digest_items_v6 RENAME TO digest_items;"
	"CREATE INDEX tokens_comment ON tokens(comment_id);"
	"CREATE INDEX tokens_address ON tokens(address COLLATE NOCASE);"
	"CREATE INDEX tokens_expiry ON tokens(expires_at);"
	"CREATE INDEX tokens_article ON tokens(article_id);"
	"CREATE INDEX tokens_context ON tokens(context_id);"
	"CREATE TABLE followers ("
	"  id INTEGER PRIMARY KEY,"
	"  article_id INTEGER NOT NULL REFERENCES articles(id)"
	"    ON DELETE CASCADE,"
	"  address TEXT NOT NULL,"
	"  address_key TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (article_id, address_key)"
	");"
	"CREATE INDEX followers_key ON followers(address_key);"
	"ALTER TABLE articles ADD COLUMN closed_at INTEGER;"
	"ALTER TABLE comments ADD COLUMN auth TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE comments ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;";

/* The per-sender counts that every new comment checks (pending for
 * limits.pending_per_sender, approved for the moderation mode), kept by
 * triggers in the transaction of each change, whoever makes it: ingest,
 * moderation, the readers' edits and deletes, confirmation, forget,
 * retention, an article deleted with its comments, a new key.  Counting
 * the rows instead walked every comment of the sender, each time: a
 * flood from one sender cost its square.  Moderators' answers do not
 * count.  A row that counts nothing is deleted, so that no address
 * outlives its comments.  sender_counts is not senders: those rows carry
 * decisions about a mailbox, and the merge of keys (comment_keys_sync)
 * and forget handle them; these follow the comments alone.
 * The count of the last hour cannot be a counter (the hour slides), and
 * an index range that stops at limits.comments_per_hour is bounded only
 * by that setting: comments.sender_seq numbers each sender's comments in
 * order of arrival (1, 2, ...; the newest + 1, so numbers stay unique
 * however rows are deleted), and comments_sender_seq finds the newest
 * and the comment `limit` arrivals before it, each in O(log n)
 * (comment_count_recent).  comment_insert gives the number; the trigger
 * gives it to rows inserted otherwise, and to a comment whose key
 * changed (comment_keys_sync renumbers after a new way of keys). */
#define COUNTED(r)                                                     \
	r ".by_moderator = 0 AND " r ".author_key IS NOT NULL AND " r \
	".status IN ('pending', 'approved')"
#define COUNT_ADD(r)                                                     \
	"INSERT INTO sender_counts (author_key, pending, approved)"      \
	" SELECT " r ".author_key, " r ".status = 'pending', " r         \
	".status = 'approved' WHERE " COUNTED(r)                         \
	" ON CONFLICT (author_key) DO UPDATE SET"                        \
	" pending = pending + excluded.pending,"                         \
	" approved = approved + excluded.approved;"
#define COUNT_SUB(r)                                                      \
	"UPDATE sender_counts SET pending = pending - (" r                \
	".status = 'pending'), approved = approved - (" r                 \
	".status = 'approved') WHERE author_key = " r ".author_key AND " \
	COUNTED(r) ";"                                                    \
	"DELETE FROM sender_counts WHERE author_key = " r ".author_key"   \
	" AND pending = 0 AND approved = 0;"
#define SEQ_NEXT                                                        \
	"UPDATE comments SET sender_seq = COALESCE((SELECT sender_seq"    \
	" FROM comments WHERE author_key = new.author_key"                \
	" AND by_moderator = 0 AND id != new.id ORDER BY sender_seq DESC" \
	" LIMIT 1), 0) + 1 WHERE id = new.id;"
static const char m_sender_counts[] =
	"CREATE TABLE sender_counts ("
	"  author_key TEXT PRIMARY KEY,"
	"  pending INTEGER NOT NULL DEFAULT 0,"
	"  approved INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"INSERT INTO sender_counts SELECT author_key,"
	"  sum(status = 'pending'), sum(status = 'approved') FROM comments"
	"  WHERE " COUNTED("comments") " GROUP BY author_key;"
	"CREATE TRIGGER sender_counts_insert AFTER INSERT ON comments"
	"  WHEN " COUNTED("new") " BEGIN " COUNT_ADD("new") " END;"
	"CREATE TRIGGER sender_counts_delete AFTER DELETE ON comments"
	"  WHEN " COUNTED("old") " BEGIN " COUNT_SUB("old") " END;"
	"CREATE TRIGGER sender_counts_update"
	"  AFTER UPDATE OF status, author_key, by_moderator ON comments"
	"  WHEN old.status IS NOT new.status"
	"  OR old.author_key IS NOT new.author_key"
	"  OR old.by_moderator IS NOT new.by_moderator"
	"  BEGIN " COUNT_SUB("old") COUNT_ADD("new") " END;"
	"ALTER TABLE comments ADD COLUMN sender_seq INTEGER;"
	"UPDATE comments SET sender_seq = s.n FROM (SELECT id, row_number()"
	"  OVER (PARTITION BY author_key ORDER BY id) AS n FROM comments"
	"  WHERE by_moderator = 0 AND author_key IS NOT NULL) AS s"
	"  WHERE comments.id = s.id;"
	"CREATE INDEX comments_sender_seq ON comments(author_key, sender_seq,"
	"  created_at) WHERE by_moderator = 0;"
	"CREATE TRIGGER sender_seq_insert AFTER INSERT ON comments"
	"  WHEN new.sender_seq IS NULL AND new.by_moderator = 0"
	"  AND new.author_key IS NOT NULL BEGIN " SEQ_NEXT " END;"
	"CREATE TRIGGER sender_seq_update"
	"  AFTER UPDATE OF author_key, by_moderator ON comments"
	"  WHEN new.by_moderator = 0 AND new.author_key IS NOT NULL"
	"  AND (old.author_key IS NOT new.author_key"
	"  OR old.by_moderator IS NOT new.by_moderator)"
	"  BEGIN " SEQ_NEXT " END;";
#undef COUNTED
#undef COUNT_ADD
#undef COUNT_SUB
#undef SEQ_NEXT

/* The sender's record that every moderator's notification shows
 * (modmail.c: approved, refused, deleted, waiting) comes from the same
 * counters: counting the sender's rows for each new comment cost a flood
 * sender one row read per earlier comment, each time.  sender_counts
 * now counts every status of the sender's comments (not only the two
 * the limits read); a row that counts nothing still goes. */
#define COUNTED(r) \
	r ".by_moderator = 0 AND " r ".author_key IS NOT NULL"
#define COUNT_ADD(r)                                                      \
	"INSERT INTO sender_counts (author_key, unconfirmed, pending,"    \
	" approved, refused, deleted) SELECT " r ".author_key, " r        \
	".status = 'unconfirmed', " r ".status = 'pending', " r           \
	".status = 'approved', " r ".status IN ('rejected', 'spam'), " r  \
	".status = 'deleted' WHERE " COUNTED(r)                           \
	" ON CONFLICT (author_key) DO UPDATE SET"                         \
	" unconfirmed = unconfirmed + excluded.unconfirmed,"              \
	" pending = pending + excluded.pending,"                          \
	" approved = approved + excluded.approved,"                       \
	" refused = refused + excluded.refused,"                          \
	" deleted = deleted + excluded.deleted;"
#define COUNT_SUB(r)                                                      \
	"UPDATE sender_counts SET"                                        \
	" unconfirmed = unconfirmed - (" r ".status = 'unconfirmed'),"    \
	" pending = pending - (" r ".status = 'pending'),"                \
	" approved = approved - (" r ".status = 'approved'),"             \
	" refused = refused - (" r ".status IN ('rejected', 'spam')),"    \
	" deleted = deleted - (" r ".status = 'deleted')"                 \
	" WHERE author_key = " r ".author_key AND " COUNTED(r) ";"        \
	"DELETE FROM sender_counts WHERE author_key = " r ".author_key"   \
	" AND unconfirmed = 0 AND pending = 0 AND approved = 0"           \
	" AND refused = 0 AND deleted = 0;"
static const char m_sender_record[] =
	"DROP TRIGGER sender_counts_insert;"
	"DROP TRIGGER sender_counts_delete;"
	"DROP TRIGGER sender_counts_update;"
	"DROP TABLE sender_counts;"
	"CREATE TABLE sender_counts ("
	"  author_key TEXT PRIMARY KEY,"
	"  unconfirmed INTEGER NOT NULL DEFAULT 0,"
	"  pending INTEGER NOT NULL DEFAULT 0,"
	"  approved INTEGER NOT NULL DEFAULT 0,"
	"  refused INTEGER NOT NULL DEFAULT 0,"
	"  deleted INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	"INSERT INTO sender_counts SELECT author_key,"
	"  sum(status = 'unconfirmed'), sum(status = 'pending'),"
	"  sum(status = 'approved'), sum(status IN ('rejected', 'spam')),"
	"  sum(status = 'deleted') FROM comments"
	"  WHERE " COUNTED("comments") " GROUP BY author_key;"
	"CREATE TRIGGER sender_counts_insert AFTER INSERT ON comments"
	"  WHEN " COUNTED("new") " BEGIN " COUNT_ADD("new") " END;"
	"CREATE TRIGGER sender_counts_delete AFTER DELETE ON comments"
	"  WHEN " COUNTED("old") " BEGIN " COUNT_SUB("old") " END;"
	"CREATE TRIGGER sender_counts_update"
	"  AFTER UPDATE OF status, author_key, by_moderator ON comments"
	"  WHEN old.status IS NOT new.status"
	"  OR old.author_key IS NOT new.author_key"
	"  OR old.by_moderator IS NOT new.by_moderator"
	"  BEGIN " COUNT_SUB("old") COUNT_ADD("new") " END;";
#undef COUNTED
#undef COUNT_ADD
#undef COUNT_SUB

/* SQLite builds a temporary table for `x IN (...)` with three or more
 * values, and in a CHECK it does so at every row written: four times for
 * each comment a poll stores (the comment, its token, its notification,
 * the notification marked sent), about 7% of the storing thread's
 * instructions.  The same test written as comparisons costs nothing.
 * SQLite cannot change a CHECK, but the table's text may be edited in
 * place when the stored rows do not change (ALTER TABLE's documented
 * writable_schema procedure), so no table is rebuilt: the migration's C
 * step rewrites `CHECK (col IN ('a', 'b', ...))` as `CHECK (col = 'a'
 * OR col = 'b' OR ...)` in the text of the tables below. */
static const char m_checks[] =
	"-- 16: checks_migrate() in store.c\n";

/* 18: a queued mail's text in a table of its own, written once.  It was
 * in the outbox row, which was rewritten whole when the mail was sent:
 * its placeholders were erased then, and the status is in the row too.
 * A notification (3 KB) takes a page of its own, so each mail wrote its
 * page twice; the outbox was 60% of what a poll wrote into the WAL.
 * Now the stored text holds the erased form from the start, and
 * outbox_tokens.at says where in the header each token goes (byte
 * offsets, "12 345"): the nonce that makes the token stays in that row
 * alone, as before, and sending a mail deletes it.  Its C step
 * (outbox_migrate_text) erases the placeholders of the mails still
 * queued and records where they were. */
static const char m_outbox_text[] =
	"CREATE TABLE outbox_text ("
	"  outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id)"
	"    ON DELETE CASCADE,"
	"  message BLOB NOT NULL"
	");"
	"INSERT INTO outbox_text SELECT id, message FROM outbox;"
	"ALTER TABLE outbox DROP COLUMN message;"
	"ALTER TABLE outbox_tokens ADD COLUMN at TEXT NOT NULL DEFAULT '';";

/* 20: tokens are found by the first 16 hex digits of their hash (64
 * bits, an index of short entries), and the whole hash is compared in
 * the row.  The UNIQUE index on the 64 digits had 55 entries a leaf, and
 * hashes are random: once it had more leaves than a batch had mails,
 * each new token rewrote a leaf of its own (43,600 of the 264,000 WAL
 * frames of a 50,000-mail poll, and growing faster than the mail).
 * SQLite drops a UNIQUE only with its table: tokens is rebuilt, with
 * the same columns, CHECK and indexes.  digest_items, its one child,
 * is set aside and made again around it, so that dropping the old
 * table (with foreign keys on) has no child to cascade into. */
static const char m_token_prefix[] =
	"CREATE TABLE tokens_v20 ("
	"  id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL,"
	"  purpose TEXT NOT NULL CHECK (purpose = 'moderate' OR"
	"    purpose = 'digest' OR purpose = 'confirm' OR"
	"    purpose = 'unsubscribe' OR purpose = 'reader' OR"
	"    purpose = 'follow'),"
	"  comment_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,"
	"  address TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0,"
	"  article_id INTEGER REFERENCES articles(id) ON DELETE CASCADE,"
	"  context_id INTEGER REFERENCES comments(id) ON DELETE SET NULL"
	");"
	"INSERT INTO tokens_v20 (id, hash, purpose, comment_id, address,"
	"  created_at, expires_at, revoked, article_id, context_id)"
	"  SELECT id, hash, purpose, comment_id, address, created_at,"
	"  expires_at, revoked, article_id, context_id FROM tokens;"
	"CREATE TABLE digest_items_v20 AS SELECT token_id, comment_id"
	"  FROM digest_items;"
	"DROP TABLE digest_items;"
	"DROP TABLE tokens;"
	"ALTER TABLE tokens_v20 RENAME TO tokens;"
	"CREATE TABLE digest_items ("
	"  token_id INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,"
	"  comment_id INTEGER NOT NULL REFERENCES comments(id)"
	"    ON DELETE CASCADE,"
	"  PRIMARY KEY (token_id, comment_id)"
	");"
	"INSERT INTO digest_items SELECT token_id, comment_id"
	"  FROM digest_items_v20;"
	"DROP TABLE digest_items_v20;"
	"CREATE INDEX tokens_hash ON tokens(substr(hash, 1, 16));"
	"CREATE INDEX tokens_comment ON tokens(comment_id);"
	"CREATE INDEX tokens_address ON tokens(address COLLATE NOCASE);"
	"CREATE INDEX tokens_expiry ON tokens(expires_at);"
	"CREATE INDEX tokens_article ON tokens(article_id);"
	"CREATE INDEX tokens_context ON tokens(context_id);";

/* Each entry moves the schema from version i to i + 1. */
static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE articles ("
	"  id INTEGER PRIMARY KEY,"
	"  slug TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL DEFAULT '',"
	"  url TEXT NOT NULL DEFAULT '',"
	"  page TEXT NOT NULL DEFAULT '',"
	"  origin TEXT NOT NULL DEFAULT 'manual'"
	"    CHECK (origin IN ('manual', 'site')),"
	"  created_at INTEGER NOT NULL,"
	"  dirty INTEGER NOT NULL DEFAULT 1"
	");"
	"CREATE TABLE comments ("
	"  id INTEGER PRIMARY KEY,"
	"  article_id INTEGER NOT NULL REFERENCES articles(id)"
	"    ON DELETE CASCADE,"
	"  parent_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,"
	"  author_name TEXT NOT NULL,"
	"  author_address TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN"
	"    ('unconfirmed', 'pending', 'approved', 'rejected', 'spam',"
	"     'deleted')),"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL,"
	"  decided_at INTEGER,"
	"  decided_by TEXT,"
	"  message_id TEXT UNIQUE,"
	"  source TEXT NOT NULL DEFAULT '',"
	"  by_moderator INTEGER NOT NULL DEFAULT 0,"
	"  spam_score REAL,"
	"  subject TEXT NOT NULL DEFAULT '',"
	"  headers TEXT NOT NULL DEFAULT '',"
	"  original_body TEXT,"
	"  notified_at INTEGER"
	");"
	"CREATE INDEX comments_article ON comments(article_id, status);"
	"CREATE INDEX comments_author ON comments(author_address COLLATE NOCASE,"
	"  created_at);"
	"CREATE TABLE senders ("
	"  address TEXT PRIMARY KEY COLLATE NOCASE,"
	"  banned INTEGER NOT NULL DEFAULT 0,"
	"  trusted INTEGER NOT NULL DEFAULT 0,"
	"  confirmed INTEGER NOT NULL DEFAULT 0,"
	"  unsubscribed INTEGER NOT NULL DEFAULT 0,"
	"  approved_count INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL"
	");"
	"CREATE TABLE tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  hash TEXT NOT NULL UNIQUE,"
	"  purpose TEXT NOT NULL CHECK (purpose IN"
	"    ('moderate', 'digest', 'confirm', 'unsubscribe')),"
	"  comment_id INTEGER REFERENCES comments(id) ON DELETE CASCADE,"
	"  address TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  revoked INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX tokens_comment ON tokens(comment_id);"
	"CREATE INDEX tokens_address ON tokens(address COLLATE NOCASE);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  recipient TEXT NOT NULL,"
	"  message BLOB NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (status IN ('queued', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL,"
	"  next_attempt_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  last_error TEXT"
	");"
	"CREATE INDEX outbox_queue ON outbox(status, id);"
	"CREATE TABLE processed ("
	"  id INTEGER PRIMARY KEY,"
	"  key TEXT NOT NULL UNIQUE,"
	"  source TEXT NOT NULL,"
	"  source_id TEXT NOT NULL DEFAULT '',"
	"  kind TEXT NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  comment_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,"
	"  processed_at INTEGER NOT NULL"
	");"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  comment_id INTEGER,"
	"  detail TEXT NOT NULL DEFAULT '',"
	"  message_id TEXT,"
	"  prev_status TEXT,"
	"  undone INTEGER NOT NULL DEFAULT 0"
	");"
	"CREATE INDEX audit_comment ON audit(comment_id);"
	"CREATE TABLE digest_items ("
	"  token_id INTEGER NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,"
	"  comment_id INTEGER NOT NULL REFERENCES comments(id)"
	"    ON DELETE CASCADE,"
	"  PRIMARY KEY (token_id, comment_id)"
	");"
	"CREATE TABLE state ("
	"  key TEXT PRIMARY KEY,"
	"  value TEXT NOT NULL"
	");",
	/* 2: where each IMAP source stands: the folder's UIDVALIDITY and the
	 * highest UID below which every message was acknowledged.  A new
	 * UIDVALIDITY means the UIDs changed meaning: start over (the
	 * processed table makes the rescan a no-op). */
	"CREATE TABLE imap_state ("
	"  source TEXT PRIMARY KEY,"
	"  uidvalidity INTEGER NOT NULL,"
	"  last_uid INTEGER NOT NULL DEFAULT 0,"
	"  updated_at INTEGER NOT NULL"
	");",
	/* 3: one canonical mailbox per sender (addr_key() in address.c):
	 * rate limits, bans, trust and confirmations count by it, while mail
	 * still goes to the address as written.  comments.author_key holds
	 * it; senders rows are keyed by it; a confirmation request is
	 * remembered on the sender's row.  The keys depend on the
	 * configuration, so comment_keys_sync() fills them in C: the state
	 * row saying how they were made is dropped here to make it run.
	 * Self-contained, so that it can move in the list. */
	"ALTER TABLE comments ADD COLUMN author_key TEXT;"
	"CREATE INDEX comments_author_key ON comments(author_key, created_at);"
	"ALTER TABLE senders ADD COLUMN confirm_sent_at INTEGER;"
	"INSERT INTO senders (address, created_at, updated_at, confirm_sent_at)"
	"  SELECT lower(address), MIN(created_at), MAX(created_at),"
	"  MAX(created_at) FROM tokens WHERE purpose = 'confirm'"
	"  AND address IS NOT NULL GROUP BY lower(address)"
	"  ON CONFLICT (address) DO UPDATE SET"
	"  confirm_sent_at = excluded.confirm_sent_at;"
	"DELETE FROM state WHERE key = 'address_keys';",
	/* 4: site-wide throttles.  The counts of the last hour and of the
	 * waiting comments read an index range, stopping at the limit, so
	 * that they cost the same with a backlog of a million comments.
	 * comments_waiting is partial: an index on every status would lure
	 * the planner away from comments_author for "this sender's approved
	 * comments" and read every approved row.  A message set aside by a
	 * limit is recorded with retry = 1: it may be processed again
	 * (re-imported) once the limit allows. */
	"CREATE INDEX comments_created ON comments(created_at);"
	"CREATE INDEX comments_waiting ON comments(status, notified_at)"
	"  WHERE status = 'pending';"
	"ALTER TABLE processed ADD COLUMN retry INTEGER NOT NULL DEFAULT 0;",
	/* 5: secrets at rest (above) */
	m_secrets,
	/* 6: the conversation by mail (above) */
	m_conversation,
	/* 7: closing comments and the moderators' console.
	 * articles.reopened_at: opened again by hand (`articles open`), so
	 * moderation.close_after_days no longer closes it.
	 * senders.closed_sent_at: the last "comments are closed" notice to
	 * that mailbox (one a day at most).  audit_action: the console's
	 * per-moderator hourly count reads an index range. */
	"ALTER TABLE articles ADD COLUMN reopened_at INTEGER;"
	"ALTER TABLE senders ADD COLUMN closed_sent_at INTEGER;"
	"CREATE INDEX audit_action ON audit(action, at);",
	/* 8: each comment rendered once (render.c): the body's HTML and
	 * text and the name the outputs show, and the renderer's key
	 * (markup_cache_key():
	 * its version and the settings its output depends on) they were
	 * made with.  The trigger empties them whenever what they were made
	 * from changes, or the comment stops being published, whatever code
	 * (or hand) changes the row: never a stale page after an edit, and
	 * no copy of the words left behind by a deletion or a prune. */
	"ALTER TABLE comments ADD COLUMN html TEXT;"
	"ALTER TABLE comments ADD COLUMN html_text TEXT;"
	"ALTER TABLE comments ADD COLUMN html_author TEXT;"
	"ALTER TABLE comments ADD COLUMN html_key TEXT;"
	"CREATE TRIGGER comments_html_stale AFTER UPDATE OF body, status,"
	"  author_name, author_address ON comments"
	"  WHEN OLD.html_key IS NOT NULL AND (NEW.body IS NOT OLD.body"
	"  OR NEW.status IS NOT OLD.status"
	"  OR NEW.author_name IS NOT OLD.author_name"
	"  OR NEW.author_address IS NOT OLD.author_address)"
	" BEGIN"
	"  UPDATE comments SET html = NULL, html_text = NULL,"
	"   html_author = NULL, html_key = NULL WHERE id = NEW.id;"
	" END;",
	/* 9: the per-sender counts (ingest.c's limits), maintained */
	m_sender_counts,
	/* 10: every status counted: the sender's record (modmail.c) */
	m_sender_record,
	/* 11: render.c reads from indexes, not by sorting rows that hold
	 * their HTML (at 5,000 comments the sort spilled to a temp file):
	 * an article's published comments in publication order, and the
	 * site feed's newest (its expression, exactly as render_site()
	 * writes it, so that the LIMIT reads only those) */
	"DROP INDEX comments_article;"
	"CREATE INDEX comments_article"
	" ON comments(article_id, status, created_at);"
	"CREATE INDEX comments_published ON comments("
	" MAX(created_at, COALESCE(decided_at, created_at)), id)"
	" WHERE status = 'approved';",
	/* 12: each article's language (lang.h: its page's lang, else
	 * site.language_paths, else site.language), decided when the
	 * article is recorded and again when its page changes, and spoken
	 * by everything about it; "" until then */
	"ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT '';",
	/* 13: how far the audit log was told to the deploy targets and the
	 * webhook (changes.h): the decisions after it name the next commit
	 * and event; an existing log counts as told */
	"CREATE TABLE publish_marks ("
	"  name TEXT PRIMARY KEY,"
	"  audit_id INTEGER NOT NULL"
	");"
	"INSERT INTO publish_marks (name, audit_id)"
	" SELECT 'told', COALESCE(MAX(id), 0) FROM audit;",
	/* 14: comments imported from another system (import.c): each
	 * (format, source id) once, so that importing a file again, or a
	 * newer export, adds only what is new.  The row outlives its
	 * comment (comment_id set NULL by a delete or forget): a comment
	 * forgotten is not brought back by the next import.  parent_source
	 * links a reply to its parent even when the parent comes later,
	 * in the file or in a later export. */
	"CREATE TABLE import_map ("
	"  format TEXT NOT NULL,"
	"  source_id TEXT NOT NULL,"
	"  comment_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,"
	"  parent_source TEXT,"
	"  imported_at INTEGER NOT NULL,"
	"  PRIMARY KEY (format, source_id)"
	");"
	"CREATE INDEX import_map_comment ON import_map(comment_id);",
	/* 15: the files a deploy target gave up on (deploy_queue.c), sent
	 * again with its next send: one row per target and file, its
	 * latest state (written or removed) and last attempt */
	"CREATE TABLE deploy_queue ("
	"  target TEXT NOT NULL,"
	"  rel TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  removed INTEGER NOT NULL CHECK (removed = 0 OR removed = 1),"
	"  last_attempt INTEGER NOT NULL,"
	"  PRIMARY KEY (target, rel)"
	") WITHOUT ROWID;",
	/* 16: the CHECKs that list three or more values, written as
	 * comparisons (checks_migrate) */
	m_checks,
	/* 17: one index by sender instead of two.  comments_author_key
	 * (author_key, created_at) served ban, forget, export and the
	 * confirmation; the partial comments_sender_seq (moderators' rows
	 * left out) the limits and the sender's next number, and could not
	 * serve the others.  Every stored comment wrote a leaf of each, and
	 * with hundreds of senders a batch's entries share few leaves: at
	 * 50,000 mails each took 0.45 of a 4 KB page a mail in the WAL.
	 * This one holds every row (a moderator's has no sender_seq, and
	 * sorts first) and by_moderator, so that the limits' queries, which
	 * ask by_moderator = 0, read it alone as before. */
	"DROP INDEX comments_sender_seq;"
	"DROP INDEX comments_author_key;"
	"CREATE INDEX comments_sender_seq ON comments(author_key, sender_seq,"
	"  created_at, by_moderator);",
	/* 18 */
	m_outbox_text,
	/* 19: comments_author (author_address, created_at) goes.  Every
	 * query by sender reads comments_sender_seq, by author_key; only
	 * the person export also looks for the address as it was written
	 * (a key made under other settings), and that now reads the table,
	 * as forget already does for the headers.  Each stored comment
	 * wrote a leaf of it: 22,500 of the 264,000 WAL frames of a
	 * 50,000-mail poll. */
	"DROP INDEX comments_author;",
	/* 20 */
	m_token_prefix,
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

/* Migrations that need C after their SQL, found by their SQL so that an
 * entry can move in the list above.  Where the C step takes data out, the
 * file is then rewritten (VACUUM): what it took out, and what earlier
 * versions deleted without secure_delete, must not stay in its free
 * pages. */
static int checks_migrate(struct store *st, struct mc_err *err);

static const struct {
	const char *sql;
	int (*code)(struct store *st, struct mc_err *err);
	int vacuum;
} migration_code[] = {
	{ m_secrets, token_migrate, 1 },
	{ m_checks, checks_migrate, 0 },
	{ m_outbox_text, outbox_migrate_text, 0 },
};

struct cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	struct cached_stmt *stmts;
	size_t nstmts;
	char *key_path;
	unsigned char key[KEYFILE_LEN];
	int have_key;
	int vacuum; /* a migration asks for the file to be rewritten */
};

int store_schema_latest(void)
{
	return NMIGRATIONS;
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

static int exec(struct store *st, const char *sql, struct mc_err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, "%s: %s", st->path, msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static const char *const check_tables[][2] = {
	{ "comments", "status" },
	{ "outbox", "status" },
	{ "tokens", "purpose" },
};

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* The CHECK of col in sql rewritten as comparisons, or NULL when sql has
 * none in the form we wrote (already rewritten, or not ours). */
static char *check_as_comparisons(const char *sql, const char *col)
{
	char *head = xasprintf("CHECK (%s IN", col);
	const char *at = strstr(sql, head), *p, *q;
	struct buf out;
	int n = 0;

	if (at == NULL) {
		free(head);
		return NULL;
	}
	p = skip_space(at + strlen(head));
	free(head);
	if (*p++ != '(')
		return NULL;
	buf_init(&out);
	buf_add(&out, sql, (size_t)(at - sql));
	buf_addf(&out, "CHECK (");
	for (;;) {
		p = skip_space(p);
		if (*p != '\'' || (q = strchr(p + 1, '\'')) == NULL)
			goto refuse;
		buf_addf(&out, "%s%s = %.*s", n++ ? " OR " : "", col,
			 (int)(q + 1 - p), p);
		p = skip_space(q + 1);
		if (*p == ',')
			p++;
		else if (*p == ')')
			break;
		else
			goto refuse;
	}
	p = skip_space(p + 1);
	if (*p != ')')
		goto refuse;
	buf_adds(&out, p);
	return buf_detach(&out);
refuse:
	buf_free(&out);
	return NULL;
}

static int checks_migrate(struct store *st, struct mc_err *err)
{
	sqlite3_stmt *get = NULL, *put = NULL;
	int version = -1, edited = 0, rc = -1;
	size_t i;
	char *sql;

	if (sqlite3_prepare_v2(st->db, "PRAGMA schema_version", -1, &get,
			       NULL) == SQLITE_OK &&
	    sqlite3_step(get) == SQLITE_ROW)
		version = sqlite3_column_int(get, 0);
	sqlite3_finalize(get);
	get = NULL;
	/* writable first: the UPDATE is refused when prepared before */
	if (version < 0 || exec(st, "PRAGMA writable_schema = ON", err) < 0 ||
	    sqlite3_prepare_v2(st->db,
			       "SELECT sql FROM sqlite_schema"
			       " WHERE type = 'table' AND name = ?",
			       -1, &get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db,
			       "UPDATE sqlite_schema SET sql = ?"
			       " WHERE type = 'table' AND name = ?",
			       -1, &put, NULL) != SQLITE_OK)
		goto out;
	for (i = 0; i < sizeof(check_tables) / sizeof(check_tables[0]); i++) {
		sqlite3_reset(get);
		sqlite3_bind_text(get, 1, check_tables[i][0], -1,
				  SQLITE_STATIC);
		if (sqlite3_step(get) != SQLITE_ROW)
			continue;
		sql = check_as_comparisons(
			(const char *)sqlite3_column_text(get, 0),
			check_tables[i][1]);
		if (sql == NULL)
			continue;
		sqlite3_reset(put);
		sqlite3_bind_text(put, 1, sql, -1, free);
		sqlite3_bind_text(put, 2, check_tables[i][0], -1,
				  SQLITE_STATIC);
		if (sqlite3_step(put) != SQLITE_DONE)
			goto out;
		edited++;
	}
	if (edited) {
		char bump[64];

		snprintf(bump, sizeof(bump), "PRAGMA schema_version = %d",
			 version + 1);
		if (exec(st, bump, err) < 0)
			goto out;
	}
	rc = 0;
out:
	if (rc < 0 && !err->msg[0])
		err_set(err, "%s: %s", st->path, sqlite3_errmsg(st->db));
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	sqlite3_exec(st->db, "PRAGMA writable_schema = OFF", NULL, NULL,
		     NULL);
	/* the edited text is read back now, inside the transaction: a
	 * text SQLite cannot parse fails the migration, which rolls back */
	if (rc == 0 && edited &&
	    exec(st, "SELECT 1 FROM comments, outbox, tokens LIMIT 0", err) < 0)
		rc = -1;
	return rc;
}

int store_pragma(struct store *st, const char *sql, struct mc_err *err)
{
	return exec(st, sql, err);
}

static sqlite3_stmt *store_stmt_ready(sqlite3_stmt *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
	return stmt;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql,
			 struct mc_err *err)
{
	sqlite3_stmt *stmt;
	size_t i;

	/* by address first: the SQL is a string constant, and a hundred
	 * strcmp() of texts that all begin "SELECT " cost more than the
	 * statements they find */
	for (i = 0; i < st->nstmts; i++)
		if (st->stmts[i].sql == sql)
			return store_stmt_ready(st->stmts[i].stmt);
	for (i = 0; i < st->nstmts; i++)
		if (strcmp(st->stmts[i].sql, sql) == 0)
			return store_stmt_ready(st->stmts[i].stmt);
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &stmt, NULL) != SQLITE_OK) {
		err_set(err, "%s: preparing \"%.60s\": %s", st->path, sql,
			sqlite3_errmsg(st->db));
		return NULL;
	}
	st->stmts = xrealloc(st->stmts, (st->nstmts + 1) * sizeof(*st->stmts));
	st->stmts[st->nstmts].sql = sql;
	st->stmts[st->nstmts].stmt = stmt;
	st->nstmts++;
	return stmt;
}

int store_step_done(struct store *st, sqlite3_stmt *stmt, struct mc_err *err)
{
	int rc = sqlite3_step(stmt);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		err_set(err, "%s: %s", st->path, sqlite3_errmsg(st->db));
		sqlite3_reset(stmt);
		return -1;
	}
	sqlite3_reset(stmt);
	return 0;
}

int store_step_exists(struct store *st, sqlite3_stmt *stmt,
		      struct mc_err *err)
{
	int rc = sqlite3_step(stmt);

	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return err_set(err, "%s: %s", st->path, sqlite3_errmsg(st->db));
}

int store_step_count(struct store *st, sqlite3_stmt *stmt, int *n,
		     struct mc_err *err)
{
	int rc = sqlite3_step(stmt);

	*n = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return err_set(err, "%s: counting: %s", st->path,
			       sqlite3_errmsg(st->db));
	return 0;
}

int store_schema_version(struct store *st)
{
	sqlite3_stmt *stmt = store_stmt(
		st, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
		NULL);
	int v = -1;

	if (stmt && sqlite3_step(stmt) == SQLITE_ROW)
		v = sqlite3_column_int(stmt, 0);
	if (stmt)
		sqlite3_reset(stmt);
	return v;
}

static int migrate(struct store *st, int target, struct mc_err *err)
{
	sqlite3_stmt *stmt;
	size_t i;
	int v;

	if (exec(st,
		 "CREATE TABLE IF NOT EXISTS schema_migrations ("
		 " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
		 err) < 0)
		return -1;
	v = store_schema_version(st);
	if (v < 0)
		return err_set(err, "%s: cannot read the schema version",
			       st->path);
	if (v > NMIGRATIONS)
		return err_set(err,
			       "%s: database schema version %d is newer than "
			       "this mailcomments understands (%d); use a "
			       "newer mailcomments",
			       st->path, v, NMIGRATIONS);
	for (; v < target; v++) {
		if (store_begin(st, err) < 0)
			return -1;
		if (exec(st, migrations[v], err) < 0)
			goto fail;
		for (i = 0; i < sizeof(migration_code) /
					sizeof(migration_code[0]); i++)
			if (migration_code[i].sql == migrations[v]) {
				if (migration_code[i].code(st, err) < 0)
					goto fail;
				st->vacuum |= migration_code[i].vacuum;
			}
		stmt = store_stmt(st,
				  "INSERT INTO schema_migrations "
				  "(version, applied_at) VALUES (?, ?)",
				  err);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int(stmt, 1, v + 1);
		sqlite3_bind_int64(stmt, 2, now());
		if (store_step_done(st, stmt, err) < 0 ||
		    store_commit(st, err) < 0)
			goto fail;
	}
	return 0;
fail:
	err_prefix(err, "migrating to schema version %d: ", v + 1);
	store_rollback(st);
	return -1;
}

/* A directory made for the database is the owner's alone. */
static int make_parent_dir(const char *path, struct mc_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

	if (slash == NULL || slash == path)
		return 0;
	dir = xstrndup(path, (size_t)(slash - path));
	rc = mkdirs(dir, 0700, err);
	free(dir);
	return rc;
}

/* Makes path owner-only: created 0600 if create and missing (whatever
 * the umask: SQLite gives its -wal and -shm files the database's mode),
 * tightened with a log line if group or others may read it.  A link is
 * refused: it would make the gateway create or chmod another file. */
static int private_file(const char *path, int create, struct mc_err *err)
{
	struct stat sb;
	int fd;

	fd = open(path,
		  O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC |
			  (create ? O_CREAT : 0),
		  0600);
	if (fd < 0) {
		if (errno == ENOENT && !create)
			return 0;
		if (errno == ELOOP)
			return err_set(err, "refused: %s is a symbolic link "
					    "(give database.path the real "
					    "file)", path);
		return err_set(err, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return err_set(err, "refused: %s is not a regular file", path);
	}
	if ((sb.st_mode & 077) != 0) {
		if (fchmod(fd, sb.st_mode & 0700) == 0)
			log_warnx("%s was readable by group or others (mode "
				  "%04o): made owner-only (%04o)",
				  path, (unsigned)(sb.st_mode & 07777),
				  (unsigned)(sb.st_mode & 0700));
		else
			log_warn("%s is readable by group or others (mode "
				 "%04o) and cannot be made owner-only",
				 path, (unsigned)(sb.st_mode & 07777));
	}
	close(fd);
	return 0;
}

/* The database, its WAL and its shared memory: owner-only, since they
 * hold every address and the outbox. */
static int private_files(const char *path, struct mc_err *err)
{
	static const char *const side[] = { "-wal", "-shm", "-journal" };
	size_t i;

	if (strcmp(path, ":memory:") == 0 || path[0] == '\0')
		return 0;
	if (private_file(path, 1, err) < 0)
		return -1;
	for (i = 0; i < sizeof(side) / sizeof(side[0]); i++) {
		char *p = xasprintf("%s%s", path, side[i]);
		int rc = private_file(p, 0, err);

		free(p);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The WAL is copied into the database once it holds this many pages
 * (SQLite's default is 1,000, 4 MB): a poll's batch of a thousand mails
 * writes about 12 MB, so each commit was followed by a checkpoint that
 * wrote the pages every batch changes (the indexes' last pages, the
 * counters) into the database again.  At 32 MB, a 2,000-mail poll
 * writes 14 MB into the database instead of 23, a 10,000-mail one 112
 * instead of 123, with 132 syncs instead of 180 (`strace`); the WAL is
 * no less durable (each commit syncs it), and `store_checkpoint()`
 * still empties it where that matters. */
#define STORE_WAL_PAGES "8192"

/* The page cache of a connection that stores batches (not a sibling's,
 * which only reads the outbox): 8 MiB, not SQLite's 2, so that the pages
 * a batch reads (the indexes' inner pages, the counters) stay in it;
 * with 6 a 50,000-mail local poll took 0.5 to 1.9 s more system time,
 * reading pages again. */
#define STORE_CACHE_KIB "8192"

/* How many pages a transaction may change before SQLite writes some of
 * them into the WAL ahead of its commit: 4,000 (15.6 MiB), beyond the
 * cache, which then grows past its size with changed pages only (clean
 * ones are reused first) and shrinks back at the commit.  A batch of a
 * thousand mails changes 2,000 pages at 10,000 mails stored and 2,400
 * at 50,000, as the indexes on random keys (sender, token) grow.
 * Spilled early, the pages first changed are the hot ones (the tables'
 * and indexes' last pages, the counters), changed again the next moment
 * and written again: a 50,000-mail poll wrote 188,600 WAL frames (3.8 a
 * mail; 1.99 at 10,000) with the spill at the cache's 8 MiB, 116,800
 * (2.3) with this.  Bounded: a transaction that changes more (a
 * migration, a large import) spills as before.  Not 4096: SQLite reads
 * the number as a boolean too, through a byte, and a multiple of 256
 * turns spilling off, the cache then growing with the transaction
 * without limit (test_store). */
#define STORE_SPILL_PAGES "4000"

/* SQLite counts the memory it holds under a global mutex at every
 * allocation, for sqlite3_memory_used() and the soft heap limit, which
 * we do not use: a lock and an unlock per malloc, thousands a stored
 * comment.  Only possible before SQLite starts; later it is refused,
 * and nothing changes.  The first store is opened before any thread. */
static void store_config_once(void)
{
	static int done;

	if (!done) {
		done = 1;
		(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	}
}

/* check: make the files owner-only first (private_files()). */
static int open_at(struct store **stp, const char *path,
		   const char *key_path, int version, int check,
		   struct mc_err *err)
{
	struct store *st;

	*stp = NULL;
	store_config_once();
	if (check &&
	    (make_parent_dir(path, err) < 0 || private_files(path, err) < 0))
		return -1;
	st = xcalloc(1, sizeof(*st));
	st->path = xstrdup(path);
	st->key_path = key_path && *key_path ? xstrdup(key_path) :
					       xasprintf("%s.key", path);
	if (sqlite3_open_v2(path, &st->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW,
			    NULL) != SQLITE_OK) {
		err_set(err, "%s: %s", path,
			st->db ? sqlite3_errmsg(st->db) : "cannot open");
		store_close(st);
		return -1;
	}
	sqlite3_busy_timeout(st->db, 10000);
	sqlite3_extended_result_codes(st->db, 1);
	/* synchronous=FULL: a commit must survive a power cut, since the
	 * source message is acknowledged right after it.  secure_delete:
	 * what is deleted (a forgotten person, a pruned mail) is overwritten
	 * with zeros, not left in free pages of the file.  temp_store in
	 * memory: each statement of a batch's transaction that may abort
	 * (a UNIQUE, a trigger) keeps the pages it changes in a statement
	 * journal, which beyond 64 KiB went to a file in /var/tmp: 700 MB
	 * of writes and 350,000 system calls for 10,000 mails, for a
	 * journal that never holds more than one statement's pages. */
	if (exec(st,
		 "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
		 "PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;"
		 "PRAGMA temp_store = MEMORY;"
		 "PRAGMA wal_autocheckpoint = " STORE_WAL_PAGES ";",
		 err) < 0 ||
	    (check && exec(st,
			   "PRAGMA cache_size = -" STORE_CACHE_KIB ";"
			   "PRAGMA cache_spill = " STORE_SPILL_PAGES ";",
			   err) < 0) ||
	    migrate(st, version, err) < 0 ||
	    (st->vacuum && (exec(st, "VACUUM", err) < 0 ||
			    store_checkpoint(st, err) < 0))) {
		store_close(st);
		return -1;
	}
	*stp = st;
	return 0;
}

int store_open_full(struct store **stp, const char *path,
		    const char *key_path, int version, struct mc_err *err)
{
	return open_at(stp, path, key_path, version, 1, err);
}

/* Without private_files(): its open() and close() of the database and
 * its -shm would drop the POSIX locks the process's first connection
 * holds on them (a close drops all of a process's locks on a file), and
 * the -shm, then looking unused, is truncated by this connection under
 * the first one's mapping of it (SIGBUS). */
int store_open_sibling(struct store **stp, struct store *st,
		       struct mc_err *err)
{
	return open_at(stp, st->path, st->key_path, store_schema_latest(), 0,
		       err);
}

int store_open_version(struct store **st, const char *path, int version,
		       struct mc_err *err)
{
	return store_open_full(st, path, NULL, version, err);
}

int store_open(struct store **st, const char *path, struct mc_err *err)
{
	return store_open_full(st, path, NULL, NMIGRATIONS, err);
}

int store_key(struct store *st, const unsigned char **key, struct mc_err *err)
{
	int created;

	if (!st->have_key) {
		if (keyfile_load(st->key_path, st->key, &created, err) < 0)
			return -1;
		st->have_key = 1;
		if (created)
			log_info("created the key file %s: tokens are derived "
				 "from it; back it up apart from the database",
				 st->key_path);
	}
	*key = st->key;
	return 0;
}

const char *store_key_path(struct store *st)
{
	return st->key_path;
}

int store_checkpoint(struct store *st, struct mc_err *err)
{
	int busy = 0, rc;

	rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
				       NULL, NULL);
	if (rc == SQLITE_BUSY)
		busy = 1;
	else if (rc != SQLITE_OK)
		return err_set(err, "%s: checkpoint: %s", st->path,
			       sqlite3_errmsg(st->db));
	if (busy)
		return err_set(err, "%s: another process is reading the "
			       "database; its journal (-wal) is emptied at "
			       "its next checkpoint", st->path);
	return 0;
}

void store_close(struct store *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < st->nstmts; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	free(st->stmts);
	sqlite3_close(st->db);
	free(st->path);
	free(st->key_path);
	memset(st->key, 0, sizeof(st->key));
	free(st);
}

int store_begin(struct store *st, struct mc_err *err)
{
	return exec(st, "BEGIN IMMEDIATE", err);
}

int store_begin_read(struct store *st, struct mc_err *err)
{
	return exec(st, "BEGIN DEFERRED", err);
}

int store_commit(struct store *st, struct mc_err *err)
{
	return exec(st, "COMMIT", err);
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_bind_text(sqlite3_stmt *stmt, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(stmt, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(stmt, i);
}

int store_processed_add(struct store *st, const struct processed *p,
			int *inserted, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO processed (key, source, source_id, kind, outcome,"
		" comment_id, processed_at, retry) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
		" ON CONFLICT (key) DO UPDATE SET source = excluded.source,"
		" source_id = excluded.source_id, kind = excluded.kind,"
		" outcome = excluded.outcome, comment_id = excluded.comment_id,"
		" processed_at = excluded.processed_at, retry = excluded.retry"
		" WHERE processed.retry = 1",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, p->key);
	store_bind_text(stmt, 2, p->source);
	store_bind_text(stmt, 3, p->source_id ? p->source_id : "");
	store_bind_text(stmt, 4, p->kind);
	store_bind_text(stmt, 5, p->outcome);
	if (p->comment_id > 0)
		sqlite3_bind_int64(stmt, 6, p->comment_id);
	sqlite3_bind_int64(stmt, 7, now());
	sqlite3_bind_int(stmt, 8, p->retry != 0);
	if (store_step_done(st, stmt, err) < 0)
		return err_prefix(err, "recording message %s: ", p->key);
	*inserted = sqlite3_changes(st->db) > 0;
	return 0;
}

void store_forgotten_key(const char *key, char out[STORE_FORGOTTEN_KEY])
{
	char hash[65];

	sha256_hex(key, strlen(key), hash);
	snprintf(out, STORE_FORGOTTEN_KEY, "forgotten:%s", hash);
}

int store_processed_has(struct store *st, const char *key, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		/* two lookups, not "key IN (?, ?)": an IN list that drives an
		 * index is built as a temporary table at each run */
		"SELECT 1 WHERE EXISTS (SELECT 1 FROM processed WHERE key = ?1"
		" AND retry = 0) OR EXISTS (SELECT 1 FROM processed WHERE"
		" key = ?2 AND retry = 0)",
		err);
	char forgotten[STORE_FORGOTTEN_KEY];

	if (stmt == NULL)
		return -1;
	store_forgotten_key(key, forgotten);
	store_bind_text(stmt, 1, key);
	store_bind_text(stmt, 2, forgotten);
	return store_step_exists(st, stmt, err);
}

int store_audit(struct store *st, const struct audit *a, struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO audit (at, actor, action, comment_id, detail,"
		" message_id, prev_status) VALUES (?, ?, ?, ?, ?, ?, ?)",
		err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, now());
	store_bind_text(stmt, 2, a->actor);
	store_bind_text(stmt, 3, a->action);
	if (a->comment_id > 0)
		sqlite3_bind_int64(stmt, 4, a->comment_id);
	store_bind_text(stmt, 5, a->detail ? a->detail : "");
	store_bind_text(stmt, 6, a->message_id);
	store_bind_text(stmt, 7, a->prev_status);
	return store_step_done(st, stmt, err);
}

char *store_state_get(struct store *st, const char *key, struct mc_err *err)
{
	sqlite3_stmt *stmt =
		store_stmt(st, "SELECT value FROM state WHERE key = ?", err);
	char *v = NULL;

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, key);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		v = store_col_text(stmt, 0);
	sqlite3_reset(stmt);
	return v;
}

int store_state_set(struct store *st, const char *key, const char *value,
		    struct mc_err *err)
{
	sqlite3_stmt *stmt = store_stmt(
		st,
		"INSERT INTO state (key, value) VALUES (?, ?)"
		" ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, key);
	store_bind_text(stmt, 2, value);
	return store_step_done(st, stmt, err);
}

char *store_col_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *t = sqlite3_column_text(stmt, col);

	return t ? xstrdup((const char *)t) : NULL;
}
