build-dev/src/cmd/common.o: src/cmd/common.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h src/cmd/../log.h \
 src/cmd/../moderate.h src/cmd/../command.h src/cmd/../conf.h \
 src/cmd/../store.h src/cmd/../outbox.h src/cmd/../transport.h \
 src/cmd/../render.h src/cmd/../term.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../log.h:
src/cmd/../moderate.h:
src/cmd/../command.h:
src/cmd/../conf.h:
src/cmd/../store.h:
src/cmd/../outbox.h:
src/cmd/../transport.h:
src/cmd/../render.h:
src/cmd/../term.h:
src/cmd/../banned.h:
