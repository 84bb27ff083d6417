build-dev/tests/test_fsroot: tests/unit/test_fsroot.c \
 tests/unit/testutil.h src/fsroot.h src/util.h src/util.h
tests/unit/testutil.h:
src/fsroot.h:
src/util.h:
src/util.h:
