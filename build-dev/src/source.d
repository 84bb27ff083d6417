build-dev/src/source.o: src/source.c src/source.h src/conf.h src/util.h \
 src/store.h src/banned.h
src/source.h:
src/conf.h:
src/util.h:
src/store.h:
src/banned.h:
