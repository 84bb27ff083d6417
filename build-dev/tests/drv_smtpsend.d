build-dev/tests/drv_smtpsend: tests/drivers/smtpsend.c src/conf.h \
 src/util.h src/transport.h src/conf.h
src/conf.h:
src/util.h:
src/transport.h:
src/conf.h:
