build-dev/tests/test_extract: tests/unit/test_extract.c \
 tests/unit/testutil.h src/extract.h
tests/unit/testutil.h:
src/extract.h:
