build-dev/src/retention.o: src/retention.c src/retention.h src/conf.h \
 src/util.h src/store.h src/banned.h
src/retention.h:
src/conf.h:
src/util.h:
src/store.h:
src/banned.h:
