build-dev/tests/test_message: tests/unit/test_message.c \
 tests/unit/msgtest.h tests/unit/testutil.h src/conf.h src/util.h \
 src/message.h src/conf.h
tests/unit/msgtest.h:
tests/unit/testutil.h:
src/conf.h:
src/util.h:
src/message.h:
src/conf.h:
