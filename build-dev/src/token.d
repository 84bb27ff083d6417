build-dev/src/token.o: src/token.c src/keyfile.h src/util.h src/token.h \
 src/store.h src/banned.h
src/keyfile.h:
src/util.h:
src/token.h:
src/store.h:
src/banned.h:
