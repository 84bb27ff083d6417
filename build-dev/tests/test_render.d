build-dev/tests/test_render: tests/unit/test_render.c \
 tests/unit/testutil.h src/conf.h src/util.h src/render.h src/conf.h \
 src/store.h src/store.h src/util.h
tests/unit/testutil.h:
src/conf.h:
src/util.h:
src/render.h:
src/conf.h:
src/store.h:
src/store.h:
src/util.h:
