build-dev/src/main.o: src/main.c src/cmd/cmd.h src/cmd/../conf.h \
 src/cmd/../util.h src/cmd/../store.h src/comment.h src/conf.h \
 src/store.h src/util.h src/fsroot.h src/log.h src/banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/comment.h:
src/conf.h:
src/store.h:
src/util.h:
src/fsroot.h:
src/log.h:
src/banned.h:
