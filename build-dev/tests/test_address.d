build-dev/tests/test_address: tests/unit/test_address.c \
 tests/unit/testutil.h src/address.h src/conf.h src/util.h src/conf.h
tests/unit/testutil.h:
src/address.h:
src/conf.h:
src/util.h:
src/conf.h:
