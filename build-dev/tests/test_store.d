build-dev/tests/test_store: tests/unit/test_store.c tests/unit/testutil.h \
 src/store.h src/util.h src/util.h
tests/unit/testutil.h:
src/store.h:
src/util.h:
src/util.h:
