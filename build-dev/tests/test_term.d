build-dev/tests/test_term: tests/unit/test_term.c tests/unit/testutil.h \
 src/json.h src/util.h src/log.h src/term.h src/util.h
tests/unit/testutil.h:
src/json.h:
src/util.h:
src/log.h:
src/term.h:
src/util.h:
