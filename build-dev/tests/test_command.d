build-dev/tests/test_command: tests/unit/test_command.c \
 tests/unit/testutil.h src/command.h src/util.h
tests/unit/testutil.h:
src/command.h:
src/util.h:
