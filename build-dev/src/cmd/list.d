build-dev/src/cmd/list.o: src/cmd/list.c src/cmd/cmd.h src/cmd/../conf.h \
 src/cmd/../util.h src/cmd/../store.h src/cmd/../json.h src/cmd/../log.h \
 src/cmd/../term.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../json.h:
src/cmd/../log.h:
src/cmd/../term.h:
src/cmd/../banned.h:
