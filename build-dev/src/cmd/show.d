build-dev/src/cmd/show.o: src/cmd/show.c src/cmd/cmd.h src/cmd/../conf.h \
 src/cmd/../util.h src/cmd/../store.h src/cmd/../articles.h \
 src/cmd/../conf.h src/cmd/../store.h src/cmd/../comment.h \
 src/cmd/../log.h src/cmd/../term.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../articles.h:
src/cmd/../conf.h:
src/cmd/../store.h:
src/cmd/../comment.h:
src/cmd/../log.h:
src/cmd/../term.h:
src/cmd/../banned.h:
