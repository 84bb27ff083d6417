build-dev/tests/test_headers: tests/unit/test_headers.c \
 tests/unit/testutil.h src/headers.h src/util.h src/util.h
tests/unit/testutil.h:
src/headers.h:
src/util.h:
src/util.h:
