build-dev/tests/test_conf: tests/unit/test_conf.c tests/unit/testutil.h \
 src/conf.h src/util.h src/util.h
tests/unit/testutil.h:
src/conf.h:
src/util.h:
src/util.h:
