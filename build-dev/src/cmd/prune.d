build-dev/src/cmd/prune.o: src/cmd/prune.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h src/cmd/../log.h \
 src/cmd/../retention.h src/cmd/../conf.h src/cmd/../store.h \
 src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../log.h:
src/cmd/../retention.h:
src/cmd/../conf.h:
src/cmd/../store.h:
src/cmd/../banned.h:
