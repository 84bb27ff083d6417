build-dev/src/store.o: src/store.c src/log.h src/keyfile.h src/util.h \
 src/store.h src/token.h src/banned.h
src/log.h:
src/keyfile.h:
src/util.h:
src/store.h:
src/token.h:
src/banned.h:
