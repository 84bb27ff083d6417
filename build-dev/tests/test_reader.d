build-dev/tests/test_reader: tests/unit/test_reader.c \
 tests/unit/msgtest.h tests/unit/testutil.h src/conf.h src/util.h \
 src/message.h src/conf.h src/reader.h src/comment.h src/store.h \
 src/ingest.h src/message.h src/source.h src/token.h
tests/unit/msgtest.h:
tests/unit/testutil.h:
src/conf.h:
src/util.h:
src/message.h:
src/conf.h:
src/reader.h:
src/comment.h:
src/store.h:
src/ingest.h:
src/message.h:
src/source.h:
src/token.h:
