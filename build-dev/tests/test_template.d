build-dev/tests/test_template: tests/unit/test_template.c \
 tests/unit/testutil.h src/template.h src/util.h src/util.h
tests/unit/testutil.h:
src/template.h:
src/util.h:
src/util.h:
