build-dev/tests/test_compose: tests/unit/test_compose.c \
 tests/unit/testutil.h src/compose.h src/util.h
tests/unit/testutil.h:
src/compose.h:
src/util.h:
