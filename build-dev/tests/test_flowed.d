build-dev/tests/test_flowed: tests/unit/test_flowed.c \
 tests/unit/testutil.h src/flowed.h src/util.h src/util.h
tests/unit/testutil.h:
src/flowed.h:
src/util.h:
src/util.h:
