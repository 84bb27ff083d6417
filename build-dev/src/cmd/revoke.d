build-dev/src/cmd/revoke.o: src/cmd/revoke.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h src/cmd/../log.h \
 src/cmd/../moderate.h src/cmd/../command.h src/cmd/../conf.h \
 src/cmd/../store.h src/cmd/../token.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../log.h:
src/cmd/../moderate.h:
src/cmd/../command.h:
src/cmd/../conf.h:
src/cmd/../store.h:
src/cmd/../token.h:
src/cmd/../banned.h:
