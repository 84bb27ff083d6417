build-dev/src/cmd/poll.o: src/cmd/poll.c src/cmd/cmd.h src/cmd/../conf.h \
 src/cmd/../util.h src/cmd/../store.h src/cmd/../log.h \
 src/cmd/../pipeline.h src/cmd/../conf.h src/cmd/../source.h \
 src/cmd/../store.h src/cmd/../source.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../log.h:
src/cmd/../pipeline.h:
src/cmd/../conf.h:
src/cmd/../source.h:
src/cmd/../store.h:
src/cmd/../source.h:
src/cmd/../banned.h:
