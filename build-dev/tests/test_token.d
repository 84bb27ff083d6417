build-dev/tests/test_token: tests/unit/test_token.c tests/unit/testutil.h \
 src/keyfile.h src/util.h src/store.h src/token.h src/store.h
tests/unit/testutil.h:
src/keyfile.h:
src/util.h:
src/store.h:
src/token.h:
src/store.h:
