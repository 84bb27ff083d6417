build-dev/src/extract.o: src/extract.c src/extract.h src/util.h \
 src/banned.h
src/extract.h:
src/util.h:
src/banned.h:
