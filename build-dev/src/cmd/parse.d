build-dev/src/cmd/parse.o: src/cmd/parse.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h \
 src/cmd/../message.h src/cmd/../conf.h src/cmd/../term.h \
 src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../message.h:
src/cmd/../conf.h:
src/cmd/../term.h:
src/cmd/../banned.h:
