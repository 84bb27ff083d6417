build-dev/tests/test_markup: tests/unit/test_markup.c \
 tests/unit/testutil.h src/markup.h src/conf.h src/util.h src/html.h \
 src/util.h
tests/unit/testutil.h:
src/markup.h:
src/conf.h:
src/util.h:
src/html.h:
src/util.h:
