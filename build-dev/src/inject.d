build-dev/src/inject.o: src/inject.c src/inject.h src/util.h src/banned.h
src/inject.h:
src/util.h:
src/banned.h:
