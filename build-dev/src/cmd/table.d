build-dev/src/cmd/table.o: src/cmd/table.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h \
 src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../banned.h:
