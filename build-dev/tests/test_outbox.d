build-dev/tests/test_outbox: tests/unit/test_outbox.c \
 tests/unit/testutil.h src/compose.h src/util.h src/conf.h src/outbox.h \
 src/conf.h src/store.h src/transport.h src/store.h src/token.h \
 src/transport.h
tests/unit/testutil.h:
src/compose.h:
src/util.h:
src/conf.h:
src/outbox.h:
src/conf.h:
src/store.h:
src/transport.h:
src/store.h:
src/token.h:
src/transport.h:
