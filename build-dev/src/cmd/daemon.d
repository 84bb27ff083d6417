build-dev/src/cmd/daemon.o: src/cmd/daemon.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h \
 src/cmd/../articles.h src/cmd/../conf.h src/cmd/../store.h \
 src/cmd/../comment.h src/cmd/../log.h src/cmd/../outbox.h \
 src/cmd/../transport.h src/cmd/../pipeline.h src/cmd/../source.h \
 src/cmd/../source.h src/cmd/../throttle.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../articles.h:
src/cmd/../conf.h:
src/cmd/../store.h:
src/cmd/../comment.h:
src/cmd/../log.h:
src/cmd/../outbox.h:
src/cmd/../transport.h:
src/cmd/../pipeline.h:
src/cmd/../source.h:
src/cmd/../source.h:
src/cmd/../throttle.h:
src/cmd/../banned.h:
