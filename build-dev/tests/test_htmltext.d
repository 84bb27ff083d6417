build-dev/tests/test_htmltext: tests/unit/test_htmltext.c \
 tests/unit/testutil.h src/htmltext.h src/util.h src/util.h
tests/unit/testutil.h:
src/htmltext.h:
src/util.h:
src/util.h:
