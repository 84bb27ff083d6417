build-dev/tests/test_sender_counts: tests/unit/test_sender_counts.c \
 tests/unit/testutil.h src/comment.h src/conf.h src/util.h src/store.h \
 src/conf.h src/store.h src/throttle.h src/util.h
tests/unit/testutil.h:
src/comment.h:
src/conf.h:
src/util.h:
src/store.h:
src/conf.h:
src/store.h:
src/throttle.h:
src/util.h:
