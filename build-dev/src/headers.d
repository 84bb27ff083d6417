build-dev/src/headers.o: src/headers.c src/headers.h src/util.h \
 src/banned.h
src/headers.h:
src/util.h:
src/banned.h:
