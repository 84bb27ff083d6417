build-dev/tests/drv_imapsrc: tests/drivers/imapsrc.c src/conf.h \
 src/util.h src/source.h src/conf.h src/store.h src/store.h
src/conf.h:
src/util.h:
src/source.h:
src/conf.h:
src/store.h:
src/store.h:
