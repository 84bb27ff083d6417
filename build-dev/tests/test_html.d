build-dev/tests/test_html: tests/unit/test_html.c tests/unit/testutil.h \
 src/html.h src/util.h src/util.h
tests/unit/testutil.h:
src/html.h:
src/util.h:
src/util.h:
