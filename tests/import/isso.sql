-- An Isso database written by hand from Isso's documented schema
-- (isso/db/threads.py, isso/db/comments.py): threads by URI, comments
-- with their parent; mode 1 accepted, 2 pending (waiting for
-- moderation), 4 deleted (kept because it has replies; Isso empties its
-- text); likes, dislikes and voters are ignored.  t-import-comments makes
-- the database with `sqlite3 isso.db <isso.sql`.  Edge cases: a URI with
-- and without its trailing slash, an empty thread, replies deeper than
-- render.max_depth, a parent that is gone, HTML and Markdown in the
-- text, an author without name or email, a thread on no known article,
-- a loop of parents, a URI with a terminal escape.
CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);
INSERT INTO preferences VALUES ('session-key', 'not-a-real-key');
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE,
  title VARCHAR(256));
CREATE TABLE comments (
  tid REFERENCES threads(id), id INTEGER PRIMARY KEY,
  parent INTEGER, created FLOAT NOT NULL, modified FLOAT,
  mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR,
  email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0,
  dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
  notification INTEGER DEFAULT 0);
INSERT INTO threads VALUES (1, '/2024/panne-mondiale/', 'La panne mondiale');
INSERT INTO threads VALUES (2, '/2024/panne-mondiale', 'La panne mondiale');
INSERT INTO threads VALUES (3, '/notes/hello.html', 'Hello');
INSERT INTO threads VALUES (4, '/empty/', 'Nobody here');
INSERT INTO threads VALUES (5, '/2018/elsewhere/', 'Not on this site');
INSERT INTO comments VALUES (1, 1, NULL, 1721469600.25, NULL, 1,
  '192.0.2.0', 'Isso *first*, with [a link](https://example.net/x).

<script>alert(1)</script> and <b onmouseover="x()">raw html</b>.',
  'Iris', 'iris@example.net', NULL, 3, 0, x'00', 0);
INSERT INTO comments VALUES (2, 2, 1, 1721473200, NULL, 1, '192.0.2.0',
  'Reply on the URI without a slash.', 'Jules', 'jules@example.net',
  NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 3, 2, 1721476800, NULL, 1, '192.0.2.0',
  'Level two.', 'Iris', 'iris@example.net', NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 4, 3, 1721480400, NULL, 1, '192.0.2.0',
  'Level three.', 'Jules', 'jules@example.net', NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 5, 4, 1721484000, NULL, 1, '192.0.2.0',
  'Level four, deeper than max_depth.', 'Iris', 'iris@example.net',
  NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 6, 77, 1721552400, NULL, 1, '192.0.2.0',
  'My parent is gone.', 'Kim', 'kim@example.net', NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 7, NULL, 1721556000, NULL, 2, '192.0.2.0',
  'Waiting for a moderator.', 'Luc', 'luc@example.net', NULL, 0, 0,
  x'00', 0);
INSERT INTO comments VALUES (1, 8, NULL, 1721559600, NULL, 4, '192.0.2.0',
  '', NULL, NULL, NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (3, 9, NULL, 1721629800, NULL, 1, '192.0.2.0',
  'No name, no address.', NULL, NULL, NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (5, 10, NULL, 1514764800, NULL, 1, '192.0.2.0',
  'On a page this site does not have.', 'Max', 'max@example.net', NULL,
  0, 0, x'00', 0);
-- a loop of parents (12 answers 13, 13 answers 12): the older one stays
-- at the top, so that the thread is a tree
INSERT INTO comments VALUES (1, 12, 13, 1721700000, NULL, 1, '192.0.2.0',
  'Loop, older.', 'Nina', 'nina@example.net', NULL, 0, 0, x'00', 0);
INSERT INTO comments VALUES (1, 13, 12, 1721700060, NULL, 1, '192.0.2.0',
  'Loop, newer.', 'Omar', 'omar@example.net', NULL, 0, 0, x'00', 0);
-- a URI with a terminal escape (clears the screen if printed as is)
INSERT INTO threads VALUES (6, '/evil' || char(27) || '[2J/', 'Escape');
INSERT INTO comments VALUES (6, 14, NULL, 1721700000, NULL, 1, '192.0.2.0',
  'Hidden.', 'Pat', 'pat@example.net', NULL, 0, 0, x'00', 0);
