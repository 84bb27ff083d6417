build-dev/tests/test_charset: tests/unit/test_charset.c \
 tests/unit/testutil.h src/charset.h src/util.h src/util.h
tests/unit/testutil.h:
src/charset.h:
src/util.h:
src/util.h:
