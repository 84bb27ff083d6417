build-dev/src/cmd/articles.o: src/cmd/articles.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h \
 src/cmd/../articles.h src/cmd/../conf.h src/cmd/../store.h \
 src/cmd/../log.h src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../articles.h:
src/cmd/../conf.h:
src/cmd/../store.h:
src/cmd/../log.h:
src/cmd/../banned.h:
