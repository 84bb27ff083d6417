build-dev/tests/test_rfc2047: tests/unit/test_rfc2047.c \
 tests/unit/testutil.h src/charset.h src/util.h src/codec.h src/rfc2047.h \
 src/util.h
tests/unit/testutil.h:
src/charset.h:
src/util.h:
src/codec.h:
src/rfc2047.h:
src/util.h:
