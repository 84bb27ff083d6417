build-dev/tests/test_inject: tests/unit/test_inject.c \
 tests/unit/testutil.h src/inject.h src/util.h src/util.h
tests/unit/testutil.h:
src/inject.h:
src/util.h:
src/util.h:
