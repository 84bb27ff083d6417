build-dev/src/cmd/help.o: src/cmd/help.c src/cmd/cmd.h src/cmd/../conf.h \
 src/cmd/../util.h src/cmd/../store.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../banned.h:
