build-dev/tests/test_trust: tests/unit/test_trust.c tests/unit/msgtest.h \
 tests/unit/testutil.h src/conf.h src/util.h src/message.h src/conf.h \
 src/trust.h src/message.h
tests/unit/msgtest.h:
tests/unit/testutil.h:
src/conf.h:
src/util.h:
src/message.h:
src/conf.h:
src/trust.h:
src/message.h:
