build-dev/src/cmd/delete.o: src/cmd/delete.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h \
 src/cmd/../command.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../command.h:
src/cmd/../banned.h:
