build-dev/src/outbox.o: src/outbox.c src/address.h src/conf.h src/util.h \
 src/log.h src/outbox.h src/store.h src/transport.h src/term.h \
 src/token.h src/banned.h
src/address.h:
src/conf.h:
src/util.h:
src/log.h:
src/outbox.h:
src/store.h:
src/transport.h:
src/term.h:
src/token.h:
src/banned.h:
