build-dev/src/cmd/outbox.o: src/cmd/outbox.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h src/cmd/../log.h \
 src/cmd/../outbox.h src/cmd/../conf.h src/cmd/../store.h \
 src/cmd/../transport.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../log.h:
src/cmd/../outbox.h:
src/cmd/../conf.h:
src/cmd/../store.h:
src/cmd/../transport.h:
src/cmd/../banned.h:
