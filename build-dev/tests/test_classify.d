build-dev/tests/test_classify: tests/unit/test_classify.c \
 tests/unit/msgtest.h tests/unit/testutil.h src/conf.h src/util.h \
 src/message.h src/conf.h src/classify.h src/message.h
tests/unit/msgtest.h:
tests/unit/testutil.h:
src/conf.h:
src/util.h:
src/message.h:
src/conf.h:
src/classify.h:
src/message.h:
