build-dev/src/cmd/render.o: src/cmd/render.c src/cmd/cmd.h \
 src/cmd/../conf.h src/cmd/../util.h src/cmd/../store.h \
 src/cmd/../address.h src/cmd/../conf.h src/cmd/../log.h \
 src/cmd/../render.h src/cmd/../store.h src/cmd/../term.h \
 src/cmd/../banned.h
src/cmd/cmd.h:
src/cmd/../conf.h:
src/cmd/../util.h:
src/cmd/../store.h:
src/cmd/../address.h:
src/cmd/../conf.h:
src/cmd/../log.h:
src/cmd/../render.h:
src/cmd/../store.h:
src/cmd/../term.h:
src/cmd/../banned.h:
